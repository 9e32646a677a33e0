package dev.ringmaster.delegation;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.TaskClassifier;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Router delegation model: a {@link TaskClassifier} decides the agent type of an untyped task, and the typed copy
 * goes on to the dispatcher (or to another delegation model). Thread-safe: {@link #submitAsync} may be called from
 * any thread and classifies on the calling thread.
 *
 * <p>Convention: a task is untyped when its type is {@value #AUTO}, e.g. {@code Task.builder(ClassifyingSubmitter.AUTO)
 * .payload(prompt).build()}. Tasks of any other type pass through unchanged, never reclassified. The typed copy keeps
 * the task's id and every other field, so {@code cancel} and {@code whereIs} work with the id the caller knows.
 *
 * <p>A classifier that throws, answers nothing, or names a type no agent has fails the stage with a
 * {@link RejectedTaskException} (UNKNOWN_AGENT_TYPE) naming the classifier, the type it chose and the types that
 * exist; nothing is submitted then.
 */
public final class ClassifyingSubmitter implements TaskSubmitter
{
    /** The type of a task the classifier must type. */
    public static final String AUTO = "auto";

    private final Dispatcher dispatcher;
    private final TaskClassifier classifier;
    private final TaskSubmitter downstream;
    private final LongAdder classified = new LongAdder();
    private final LongAdder unclassifiable = new LongAdder();
    private final LongAdder passedThrough = new LongAdder();

    /** Classifies and submits straight to the dispatcher. */
    public ClassifyingSubmitter(final Dispatcher dispatcher, final TaskClassifier classifier)
    {
        this(dispatcher, classifier, TaskSubmitter.of(dispatcher));
    }

    /**
     * Classifies, then hands the typed task to another model, e.g. {@code hedger} or {@code broadcast}.
     *
     * @param dispatcher the dispatcher whose agent types are valid answers.
     */
    public ClassifyingSubmitter(final Dispatcher dispatcher, final TaskClassifier classifier,
        final TaskSubmitter downstream)
    {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
        this.downstream = Objects.requireNonNull(downstream, "downstream submitter must not be null");
    }

    /**
     * Types the task if it is {@value #AUTO} and submits it downstream.
     *
     * @return the downstream stage, or one failed with {@link RejectedTaskException} if classification failed.
     */
    @Override
    public CompletableFuture<TaskResult> submitAsync(final Task task)
    {
        final Task typed;
        try
        {
            typed = classify(task);
        }
        catch (final RejectedTaskException e)
        {
            return CompletableFuture.failedFuture(e);
        }
        return downstream.submitAsync(typed);
    }

    /**
     * @return the typed copy of an {@value #AUTO} task, or the task itself if it already has a type.
     * @throws RejectedTaskException if the classifier throws, answers nothing or names an unknown type.
     */
    public Task classify(final Task task)
    {
        Objects.requireNonNull(task, "task must not be null");
        if (!AUTO.equals(task.type()))
        {
            passedThrough.increment();
            return task;
        }
        final String type;
        try
        {
            type = classifier.classify(task);
        }
        catch (final Throwable e) // a plugin's Error too: the caller gets a rejection, as the class comment says
        {
            unclassifiable.increment();
            final RejectedTaskException rejection = RejectedTaskException.because(task, SubmitStatus.UNKNOWN_AGENT_TYPE,
                "classifier '" + classifier.name() + "' failed on it, so it has no type: " + e + "; fix the classifier, " +
                "or give the task a type the dispatcher has");
            rejection.initCause(e);
            throw rejection;
        }
        final Set<String> types = dispatcher.types().keySet();
        if (type == null || type.isBlank() || !types.contains(type))
        {
            unclassifiable.increment();
            throw RejectedTaskException.because(task, SubmitStatus.UNKNOWN_AGENT_TYPE, "classifier '" +
                classifier.name() + "' " + (type == null || type.isBlank() ? "gave no type" : "chose type '" + type +
                "'") + ", which is not one of the dispatcher's agent types " + types + ": fix the classifier's rules, " +
                "or add an agent of the type it chose");
        }
        classified.increment();
        return Task.Builder.from(task).type(type).id(task.id()).build();
    }

    /** @return the classifier in use. */
    public TaskClassifier classifier()
    {
        return classifier;
    }

    /** @return untyped tasks given a known type. */
    public long classified()
    {
        return classified.sum();
    }

    /** @return untyped tasks refused because the classifier threw, answered nothing or named an unknown type. */
    public long unclassifiable()
    {
        return unclassifiable.sum();
    }

    /** @return tasks that already had a type and went downstream unchanged. */
    public long passedThrough()
    {
        return passedThrough.sum();
    }
}
