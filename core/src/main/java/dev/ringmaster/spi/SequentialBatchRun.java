package dev.ringmaster.spi;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt of a batch run member by member through an ordinary adapter ({@link BatchAdapter#oneByOne}); started
 * on a worker thread and continued by whichever thread completes the running member, never by two at once.
 */
final class SequentialBatchRun
{
    private static final int RUNNING = 0;
    private static final int COMPLETED_INLINE = 1;
    private static final int RETURNED = 2;

    private final AgentAdapter adapter;
    private final Batch batch;
    private final BatchCompletion completion;
    private final AgentTelemetry telemetry;
    private final Priority priority;
    private final int attempt;
    private final long acceptedNanos;
    private final long sequence;
    private int next;

    SequentialBatchRun(final AgentAdapter adapter, final Batch batch, final TaskView batchTask,
        final BatchCompletion completion, final AgentTelemetry telemetry)
    {
        this.adapter = adapter;
        this.batch = batch;
        this.completion = completion;
        this.telemetry = telemetry;
        // copied now: the batch task's view is recycled once the attempt completes, possibly before the last member
        this.priority = batchTask.priority();
        this.attempt = batchTask.attempt();
        this.acceptedNanos = batchTask.acceptedNanos();
        this.sequence = batchTask.sequence();
    }

    /**
     * Runs members until one completes asynchronously (its completion then resumes the loop) or none are left; a
     * trampoline, so a long batch of synchronous members does not grow the stack.
     */
    void run()
    {
        while (next < batch.size())
        {
            final MemberCompletion member = new MemberCompletion(next);
            try
            {
                adapter.execute(new MemberView(batch.member(next), priority, attempt, acceptedNanos, sequence),
                    member, telemetry);
            }
            catch (final Throwable t)
            {
                member.fail(t);
            }
            if (member.state.compareAndSet(RUNNING, RETURNED))
            {
                return;
            }
            next++;
        }
    }

    /** Completion of one member; it hands the loop on when the member finished after execute returned. */
    private final class MemberCompletion implements Completion
    {
        final AtomicInteger state = new AtomicInteger(RUNNING);
        private final int index;
        private final AtomicBoolean done = new AtomicBoolean();

        MemberCompletion(final int index)
        {
            this.index = index;
        }

        @Override
        public void succeed(final Object result, final long tokensUsed, final double quality)
        {
            if (done.compareAndSet(false, true))
            {
                completion.succeed(index, result, tokensUsed, quality);
                resume();
            }
        }

        @Override
        public void fail(final Throwable cause)
        {
            if (done.compareAndSet(false, true))
            {
                completion.fail(index, cause);
                resume();
            }
        }

        private void resume()
        {
            // an unconditional swap (not a CAS) so that reading RETURNED is a volatile read of execute's return
            if (state.getAndSet(COMPLETED_INLINE) == RETURNED)
            {
                // execute already returned, so the loop stopped for us: this thread carries it on
                next = index + 1;
                run();
            }
        }
    }

    /** A member task seen through the batch attempt's dispatch state; immutable. */
    private record MemberView(Task task, Priority priority, int attempt, long acceptedNanos, long sequence)
        implements TaskView
    {
    }
}
