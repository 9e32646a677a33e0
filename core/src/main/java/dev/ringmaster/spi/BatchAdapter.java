package dev.ringmaster.spi;

import java.util.List;
import java.util.Objects;

/**
 * An {@link AgentAdapter} that can execute a {@link Batch} of tasks sharing a context in one go (load the context
 * once, answer every member); {@link #executeBatch} is called on a dispatcher worker thread, one call per attempt,
 * and members may report from any thread.
 *
 * <p>Register agents that receive batches (from {@code dev.ringmaster.delegation.Batcher}) with a batch adapter: a
 * plain adapter would be handed the {@link Batch} payload it does not understand. Wrap an adapter that is not
 * batch-aware with {@link #oneByOne}. A batch adapter also accepts plain tasks, run as a batch of one.
 */
@FunctionalInterface
public interface BatchAdapter extends AgentAdapter
{
    /**
     * Runs one attempt of a batch. Report every member through {@code completion}, synchronously or later from any
     * thread; throwing fails the whole attempt (as {@link BatchCompletion#failBatch} does).
     *
     * @param batch      the members, in arrival order.
     * @param batchTask  the dispatcher's view of the task carrying the batch, valid until the attempt completes.
     * @param completion where to report each member's outcome, each exactly once.
     * @param telemetry  where to publish the agent's live state.
     */
    void executeBatch(Batch batch, TaskView batchTask, BatchCompletion completion, AgentTelemetry telemetry)
        throws Exception;

    /** Unwraps a {@link Batch} payload, or runs a plain task as a batch of one, and calls {@link #executeBatch}. */
    @Override
    default void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
    {
        final Object payload = task.task().payload();
        final Batch batch;
        final BatchCompletion batchCompletion;
        if (payload instanceof Batch)
        {
            batch = (Batch)payload;
            batchCompletion = BatchCompletion.forBatch(batch, completion);
        }
        else
        {
            batch = Batch.of(null, List.of(task.task()));
            batchCompletion = BatchCompletion.forSingle(completion);
        }
        try
        {
            executeBatch(batch, task, batchCompletion, telemetry);
        }
        catch (final Throwable t)
        {
            // reported through the completion rather than thrown so that members reported before the throw
            // cannot complete the attempt a second time
            batchCompletion.failBatch(t);
        }
    }

    /**
     * The default for agents that are not batch-aware: runs the members one after another through {@code adapter},
     * each as its own call to {@link AgentAdapter#execute} (the next starts when the previous completes, so an
     * asynchronous adapter works too), and reports each member's own outcome; a member that throws or fails does
     * not stop the others.
     *
     * @param adapter an ordinary adapter; it sees each member task with the batch attempt's priority and attempt.
     * @return a batch adapter around it.
     */
    static BatchAdapter oneByOne(final AgentAdapter adapter)
    {
        Objects.requireNonNull(adapter, "the adapter to run batch members one by one must not be null");
        if (adapter instanceof BatchAdapter)
        {
            return (BatchAdapter)adapter;
        }
        return (batch, batchTask, completion, telemetry) ->
            new SequentialBatchRun(adapter, batch, batchTask, completion, telemetry).run();
    }
}
