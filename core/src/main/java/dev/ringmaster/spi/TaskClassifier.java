package dev.ringmaster.spi;

import dev.ringmaster.model.Task;

import java.util.Objects;
import java.util.function.Function;

/**
 * Decides the agent type of an untyped task (the Router delegation model); {@link #classify} is called on the
 * submitting thread, possibly by many threads at once, so an implementation must be thread-safe and should be quick.
 */
@FunctionalInterface
public interface TaskClassifier
{
    /**
     * Reads the task, payload included, and names the agent type that should handle it.
     *
     * @param task the untyped task as submitted.
     * @return an agent type, e.g. "coder"; null or blank if the classifier cannot decide (the submission then fails).
     */
    String classify(Task task);

    /** @return the name used in failures and listings; lambdas should be wrapped with {@link #named}. */
    default String name()
    {
        return getClass().getName();
    }

    /**
     * @param name the name failures will quote, e.g. "keywords".
     * @param fn   the classification, thread-safe.
     * @return a classifier with that name.
     */
    static TaskClassifier named(final String name, final Function<Task, String> fn)
    {
        Objects.requireNonNull(name, "classifier name must not be null");
        Objects.requireNonNull(fn, "classifier '" + name + "' needs a function");
        return new TaskClassifier()
        {
            @Override
            public String classify(final Task task)
            {
                return fn.apply(task);
            }

            @Override
            public String name()
            {
                return name;
            }

            @Override
            public String toString()
            {
                return "TaskClassifier[" + name + "]";
            }
        };
    }
}
