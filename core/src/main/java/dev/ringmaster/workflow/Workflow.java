package dev.ringmaster.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A validated, acyclic graph of {@link Step}s run by a {@link Supervisor}: the supervisor delegation model, where
 * independent steps fan out to agents in parallel and a synthesis step combines their results; immutable and safe to
 * run many times, from any thread.
 *
 * <p>The final result of a run is the synthesis step's result if one was declared, else the result of the one step
 * nothing depends on, else a map of every such step's name to its result, in declaration order.
 */
public final class Workflow
{
    /** Steps of one run in the dispatcher at once unless the builder says otherwise. */
    public static final int DEFAULT_MAX_PARALLEL_STEPS = 8;

    private final String name;
    private final List<Step> steps;
    private final Map<String, Integer> indexByName;
    private final int[][] predecessors;
    private final int[][] successors;
    private final int[] topologicalOrder;
    private final int[] sinks;
    private final int synthesis;
    private final int maxParallelSteps;

    private Workflow(final String name, final List<Step> steps, final Map<String, Integer> indexByName,
                     final int[][] predecessors, final int[][] successors, final int[] topologicalOrder,
                     final int[] sinks, final int synthesis, final int maxParallelSteps)
    {
        this.name = name;
        this.steps = steps;
        this.indexByName = indexByName;
        this.predecessors = predecessors;
        this.successors = successors;
        this.topologicalOrder = topologicalOrder;
        this.sinks = sinks;
        this.synthesis = synthesis;
        this.maxParallelSteps = maxParallelSteps;
    }

    /** @param name names the workflow in results and error messages. */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    public String name()
    {
        return name;
    }

    /** @return every step in declaration order. */
    public List<Step> steps()
    {
        return steps;
    }

    /** @return how many steps of one run may be in the dispatcher at once; the others wait their turn. */
    public int maxParallelSteps()
    {
        return maxParallelSteps;
    }

    /** @return the synthesis step's name, or null if none was declared. */
    public String synthesisStep()
    {
        return synthesis < 0 ? null : steps.get(synthesis).name();
    }

    /**
     * @return the names of the steps that must complete before {@code stepName} runs, in declaration order; for the
     *     synthesis step, every other step.
     * @throws IllegalArgumentException for an unknown step.
     */
    public List<String> dependenciesOf(final String stepName)
    {
        final Integer index = indexByName.get(stepName);
        if (index == null)
        {
            throw new IllegalArgumentException("workflow '" + name + "' has no step '" + stepName + "'");
        }
        final List<String> names = new ArrayList<>(predecessors[index].length);
        for (final int p : predecessors[index])
        {
            names.add(steps.get(p).name());
        }
        return Collections.unmodifiableList(names);
    }

    /** @return the step names in an order in which each comes after all its dependencies, ties in declaration order. */
    public List<String> topologicalOrder()
    {
        final List<String> names = new ArrayList<>(topologicalOrder.length);
        for (final int i : topologicalOrder)
        {
            names.add(steps.get(i).name());
        }
        return Collections.unmodifiableList(names);
    }

    int size()
    {
        return steps.size();
    }

    Step step(final int index)
    {
        return steps.get(index);
    }

    int[] predecessorsOf(final int index)
    {
        return predecessors[index];
    }

    int[] successorsOf(final int index)
    {
        return successors[index];
    }

    int[] sinks()
    {
        return sinks;
    }

    int synthesisIndex()
    {
        return synthesis;
    }

    @Override
    public String toString()
    {
        return "Workflow{" + name + ", steps=" + topologicalOrder() + ", maxParallelSteps=" + maxParallelSteps + '}';
    }

    /** Collects the steps of a {@link Workflow} and validates them at {@link #build()}; not thread-safe. */
    public static final class Builder
    {
        private final String name;
        private final List<Step> steps = new ArrayList<>();
        private int synthesis = -1;
        private int maxParallelSteps = DEFAULT_MAX_PARALLEL_STEPS;

        private Builder(final String name)
        {
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("workflow name must be a non-blank string, got '" + name + "'");
            }
            this.name = name;
        }

        /** Adds a step; order of declaration only breaks ties between steps ready at the same time. */
        public Builder step(final Step step)
        {
            steps.add(Objects.requireNonNull(step, "step of workflow '" + name + "' must not be null"));
            return this;
        }

        /** Builds and adds a step. */
        public Builder step(final Step.Builder step)
        {
            return step(Objects.requireNonNull(step, "step of workflow '" + name + "' must not be null").build());
        }

        /**
         * Adds the synthesis step: it depends on every other step of the workflow, including those added after it,
         * so its payload function sees every result, and its result is the workflow's final result.
         *
         * @throws IllegalArgumentException if a synthesis step was already declared.
         */
        public Builder synthesis(final Step step)
        {
            Objects.requireNonNull(step, "synthesis step of workflow '" + name + "' must not be null");
            if (synthesis >= 0)
            {
                throw new IllegalArgumentException("workflow '" + name + "' already has the synthesis step '" +
                    steps.get(synthesis).name() + "'; cannot add '" + step.name() + "' as a second one");
            }
            synthesis = steps.size();
            steps.add(step);
            return this;
        }

        /** Builds and adds the synthesis step (see {@link #synthesis(Step)}). */
        public Builder synthesis(final Step.Builder step)
        {
            return synthesis(Objects.requireNonNull(step, "synthesis step of workflow '" + name + "' must not be null").build());
        }

        /** Most steps of one run in the dispatcher at once (default {@value #DEFAULT_MAX_PARALLEL_STEPS}). */
        public Builder maxParallelSteps(final int maxParallelSteps)
        {
            if (maxParallelSteps < 1)
            {
                throw new IllegalArgumentException(
                    "maxParallelSteps of workflow '" + name + "' must be >= 1, got " + maxParallelSteps);
            }
            this.maxParallelSteps = maxParallelSteps;
            return this;
        }

        /**
         * @return the validated workflow.
         * @throws IllegalArgumentException naming the problem: no steps, a duplicate step name, an unknown
         *     dependency, or a cycle (with its steps in order).
         */
        public Workflow build()
        {
            if (steps.isEmpty())
            {
                throw new IllegalArgumentException("workflow '" + name + "' has no steps: add at least one with step(...)");
            }
            final int n = steps.size();
            final Map<String, Integer> indexByName = new HashMap<>();
            for (int i = 0; i < n; i++)
            {
                if (indexByName.putIfAbsent(steps.get(i).name(), i) != null)
                {
                    throw new IllegalArgumentException("workflow '" + name + "' has two steps named '" +
                        steps.get(i).name() + "': every step needs its own name");
                }
            }
            final int[][] predecessors = new int[n][];
            for (int i = 0; i < n; i++)
            {
                predecessors[i] = resolveDependencies(i, indexByName);
            }
            final int[][] successors = invert(predecessors);
            final int[] order = topologicalOrder(predecessors, successors);
            int sinkCount = 0;
            for (int i = 0; i < n; i++)
            {
                sinkCount += successors[i].length == 0 ? 1 : 0;
            }
            final int[] sinks = new int[sinkCount];
            for (int i = 0, s = 0; i < n; i++)
            {
                if (successors[i].length == 0)
                {
                    sinks[s++] = i;
                }
            }
            return new Workflow(name, Collections.unmodifiableList(new ArrayList<>(steps)), Map.copyOf(indexByName),
                predecessors, successors, order, sinks, synthesis, maxParallelSteps);
        }

        private int[] resolveDependencies(final int index, final Map<String, Integer> indexByName)
        {
            final Step step = steps.get(index);
            final Set<Integer> resolved = new LinkedHashSet<>();
            for (final String dependency : step.dependencies())
            {
                final Integer d = indexByName.get(dependency);
                if (d == null)
                {
                    throw new IllegalArgumentException("step '" + step.name() + "' of workflow '" + name +
                        "' depends on unknown step '" + dependency + "'; its steps are " + stepNames());
                }
                resolved.add(d);
            }
            if (index == synthesis)
            {
                for (int i = 0; i < steps.size(); i++)
                {
                    if (i != index)
                    {
                        resolved.add(i);
                    }
                }
            }
            return resolved.stream().mapToInt(Integer::intValue).toArray();
        }

        private static int[][] invert(final int[][] predecessors)
        {
            final int n = predecessors.length;
            final int[] counts = new int[n];
            for (final int[] ps : predecessors)
            {
                for (final int p : ps)
                {
                    counts[p]++;
                }
            }
            final int[][] successors = new int[n][];
            for (int i = 0; i < n; i++)
            {
                successors[i] = new int[counts[i]];
                counts[i] = 0;
            }
            for (int i = 0; i < n; i++)
            {
                for (final int p : predecessors[i])
                {
                    successors[p][counts[p]++] = i;
                }
            }
            return successors;
        }

        /** Kahn's algorithm, lowest declaration index first among ready steps so the order is stable. */
        private int[] topologicalOrder(final int[][] predecessors, final int[][] successors)
        {
            final int n = predecessors.length;
            final int[] waiting = new int[n];
            final PriorityQueue<Integer> ready = new PriorityQueue<>();
            for (int i = 0; i < n; i++)
            {
                waiting[i] = predecessors[i].length;
                if (waiting[i] == 0)
                {
                    ready.add(i);
                }
            }
            final int[] order = new int[n];
            int placed = 0;
            while (!ready.isEmpty())
            {
                final int i = ready.poll();
                order[placed++] = i;
                for (final int s : successors[i])
                {
                    if (--waiting[s] == 0)
                    {
                        ready.add(s);
                    }
                }
            }
            if (placed < n)
            {
                throw new IllegalArgumentException("workflow '" + name + "' has a cycle: " +
                    describeCycle(predecessors, waiting) + " (each step waits for the one before it)");
            }
            return order;
        }

        /**
         * Every step Kahn could not place still waits for at least one unplaced predecessor, so walking unplaced
         * predecessors from any of them must revisit a step: that loop is a cycle.
         */
        private String describeCycle(final int[][] predecessors, final int[] waiting)
        {
            int start = 0;
            while (waiting[start] == 0)
            {
                start++;
            }
            final Map<Integer, Integer> seenAt = new HashMap<>();
            final List<Integer> walk = new ArrayList<>();
            int current = start;
            while (!seenAt.containsKey(current))
            {
                seenAt.put(current, walk.size());
                walk.add(current);
                int next = -1;
                for (final int p : predecessors[current])
                {
                    if (waiting[p] > 0)
                    {
                        next = p;
                        break;
                    }
                }
                current = next;
            }
            // walk[k] depends on walk[k + 1]; reverse the loop so that each step is printed after what it waits for
            final ArrayDeque<String> cycle = new ArrayDeque<>();
            for (int k = seenAt.get(current); k < walk.size(); k++)
            {
                cycle.addFirst(steps.get(walk.get(k)).name());
            }
            cycle.addLast(cycle.peekFirst());
            return String.join(" -> ", cycle);
        }

        private List<String> stepNames()
        {
            final List<String> names = new ArrayList<>(steps.size());
            for (final Step s : steps)
            {
                names.add(s.name());
            }
            return names;
        }
    }
}
