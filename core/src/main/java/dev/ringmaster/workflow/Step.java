package dev.ringmaster.workflow;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One node of a {@link Workflow}: the agent type that runs it, how urgently, what it waits for, how its payload is
 * built from its predecessors' results and what replaces it if it fails; immutable and safe to share between threads
 * and workflows (its functions are called on a {@link Supervisor}'s thread only).
 */
public final class Step
{
    private final String name;
    private final String agentType;
    private final Priority priority;
    private final Duration timeout;
    private final int maxRetries;
    private final List<String> dependencies;
    private final Function<Map<String, Object>, Object> payload;
    private final Consumer<Task.Builder> taskOptions;
    private final Step fallbackStep;
    private final boolean hasFallbackValue;
    private final Object fallbackValue;

    private Step(final Builder b)
    {
        this.name = b.name;
        this.agentType = b.agentType;
        this.priority = b.priority;
        this.timeout = b.timeout;
        this.maxRetries = b.maxRetries;
        this.dependencies = Collections.unmodifiableList(new ArrayList<>(b.dependencies));
        this.payload = b.payload;
        this.taskOptions = b.taskOptions;
        this.fallbackStep = b.fallbackStep;
        this.hasFallbackValue = b.hasFallbackValue;
        this.fallbackValue = b.fallbackValue;
    }

    /**
     * @param name      unique within its workflow; its result is published to dependents under this name.
     * @param agentType the agent type that runs it, as in {@link Task#builder(String)}.
     * @return a builder with defaults: MEDIUM priority, no timeout, the task's default retries, no dependencies, and
     *     the predecessors' results map itself as the payload.
     */
    public static Builder builder(final String name, final String agentType)
    {
        return new Builder(name, agentType);
    }

    public String name()
    {
        return name;
    }

    public String agentType()
    {
        return agentType;
    }

    public Priority priority()
    {
        return priority;
    }

    /** @return the longest one attempt may run, or null for no limit. */
    public Duration timeout()
    {
        return timeout;
    }

    /** @return retries after a failed attempt, or -1 for the task's default. */
    public int maxRetries()
    {
        return maxRetries;
    }

    /** @return the names of the steps whose results this step needs, in declaration order. */
    public List<String> dependencies()
    {
        return dependencies;
    }

    /** @return the step that runs in this one's place if it fails, or null. */
    public Step fallbackStep()
    {
        return fallbackStep;
    }

    /** @return true if a constant replaces this step's result when it fails. */
    public boolean hasFallbackValue()
    {
        return hasFallbackValue;
    }

    /** @return the constant that replaces this step's result when it fails (see {@link #hasFallbackValue()}). */
    public Object fallbackValue()
    {
        return fallbackValue;
    }

    /** Supervisor thread only: the payload function is user code and may throw. */
    Object buildPayload(final Map<String, Object> inputs)
    {
        return payload.apply(inputs);
    }

    /** Supervisor thread only: the task options are user code and may throw. */
    Task toTask(final Object payloadValue)
    {
        final Task.Builder b = Task.builder(agentType).priority(priority).payload(payloadValue);
        if (timeout != null)
        {
            b.timeout(timeout);
        }
        if (maxRetries >= 0)
        {
            b.maxRetries(maxRetries);
        }
        if (taskOptions != null)
        {
            taskOptions.accept(b);
        }
        return b.build();
    }

    @Override
    public String toString()
    {
        return "Step{" + name + ", type=" + agentType + ", priority=" + priority +
            (dependencies.isEmpty() ? "" : ", after=" + dependencies) + '}';
    }

    /** Collects the fields of a {@link Step}; not thread-safe, use from one thread. */
    public static final class Builder
    {
        private final String name;
        private final String agentType;
        private Priority priority = Priority.MEDIUM;
        private Duration timeout;
        private int maxRetries = -1;
        private final Set<String> dependencies = new LinkedHashSet<>();
        private Function<Map<String, Object>, Object> payload = inputs -> inputs;
        private Consumer<Task.Builder> taskOptions;
        private Step fallbackStep;
        private boolean hasFallbackValue;
        private Object fallbackValue;

        private Builder(final String name, final String agentType)
        {
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("step name must be a non-blank string, got '" + name + "'");
            }
            if (agentType == null || agentType.isBlank())
            {
                throw new IllegalArgumentException(
                    "agent type of step '" + name + "' must name an agent type, got '" + agentType + "'");
            }
            this.name = name;
            this.agentType = agentType;
        }

        /** Declares steps that must complete first; their results are this step's inputs. Repeats are ignored. */
        public Builder after(final String... stepNames)
        {
            for (final String dependency : stepNames)
            {
                if (dependency == null || dependency.isBlank())
                {
                    throw new IllegalArgumentException(
                        "step '" + name + "' names a blank dependency: give the name of another step");
                }
                dependencies.add(dependency);
            }
            return this;
        }

        public Builder priority(final Priority priority)
        {
            this.priority = Objects.requireNonNull(priority, "priority of step '" + name + "' must not be null");
            return this;
        }

        /** The longest one attempt may run; the dispatcher retries a timed-out attempt like a failed one. */
        public Builder timeout(final Duration timeout)
        {
            Objects.requireNonNull(timeout, "timeout of step '" + name + "' must not be null");
            if (timeout.isNegative() || timeout.isZero())
            {
                throw new IllegalArgumentException("timeout of step '" + name + "' must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder maxRetries(final int maxRetries)
        {
            if (maxRetries < 0)
            {
                throw new IllegalArgumentException("maxRetries of step '" + name + "' must be >= 0, got " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * @param payload builds the task's payload from the predecessors' results (step name to result, in
         *                declaration order, nulls allowed); called once per submission on the supervisor's thread, so
         *                it must be quick. Throwing fails the step.
         */
        public Builder payload(final Function<Map<String, Object>, Object> payload)
        {
            this.payload = Objects.requireNonNull(payload, "payload function of step '" + name + "' must not be null");
            return this;
        }

        /**
         * @param options applied last to the step's task builder, for what a step has no setter for (affinity key,
         *                required skills, cost estimate, TTL); it may override the settings above.
         */
        public Builder task(final Consumer<Task.Builder> options)
        {
            this.taskOptions = Objects.requireNonNull(options, "task options of step '" + name + "' must not be null");
            return this;
        }

        /**
         * Runs {@code fallback} in this step's place if it fails; the fallback gets this step's inputs, its result is
         * published under this step's name, and it may have a fallback of its own. Replaces a fallback value.
         *
         * @throws IllegalArgumentException if the fallback declares dependencies of its own.
         */
        public Builder fallback(final Step fallback)
        {
            Objects.requireNonNull(fallback, "fallback of step '" + name + "' must not be null");
            if (!fallback.dependencies().isEmpty())
            {
                throw new IllegalArgumentException("fallback '" + fallback.name() + "' of step '" + name +
                    "' must not declare dependencies " + fallback.dependencies() +
                    ": it runs with the inputs of the step it replaces");
            }
            this.fallbackStep = fallback;
            this.hasFallbackValue = false;
            this.fallbackValue = null;
            return this;
        }

        /** Uses {@code value} (null allowed) as this step's result if it fails. Replaces a fallback step. */
        public Builder fallbackValue(final Object value)
        {
            this.fallbackStep = null;
            this.hasFallbackValue = true;
            this.fallbackValue = value;
            return this;
        }

        public Step build()
        {
            return new Step(this);
        }
    }
}
