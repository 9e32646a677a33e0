package dev.ringmaster.remote.internal;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt running on an agent host: the task view its agent sees and the completion it answers through; the
 * view is immutable, the completion may be called from any thread and sends the first answer only, and
 * {@link #cancel} (the host's poller) ends the attempt without an answer, so an answer after it is not sent either.
 */
public final class HostedAttempt implements TaskView, Completion
{
    /** Where a host sends an attempt's answer; implementations are thread-safe. */
    public interface Sink
    {
        void completed(long correlationId, boolean ok, long tokens, double quality, String text);

        /** The attempt ended (answered or cancelled), exactly once: its agent's slot on the host is free again. */
        void ended(HostedAttempt attempt);
    }

    private final Messages.TaskMessage message;
    private final long acceptedNanos = System.nanoTime();
    private final Sink sink;
    private final AtomicBoolean answered = new AtomicBoolean();
    /** The task thread's run of the adapter, if it runs on one; set and read by the poller only. */
    private Future<?> run;

    public HostedAttempt(final Messages.TaskMessage message, final Sink sink)
    {
        this.message = message;
        this.sink = sink;
    }

    public long correlationId()
    {
        return message.correlationId();
    }

    public int agentIndex()
    {
        return message.agentIndex();
    }

    /** Remembers the task thread's run of the adapter, so that a cancel interrupts it; poller only. */
    public void runsAs(final Future<?> future)
    {
        // set on the poller right after the task was handed to the pool, and cancel() runs on the poller too: no
        // cancel falls between
        this.run = future;
    }

    /**
     * Ends the attempt unanswered (the dispatcher gave it up): any answer the agent gives later is dropped, and the
     * adapter's call is interrupted if it still runs on a task thread, which is what frees a thread a hung agent
     * holds (an agent deaf to interrupts keeps it). Poller only.
     *
     * @return false if the attempt had ended already.
     */
    public boolean cancel()
    {
        if (!answered.compareAndSet(false, true))
        {
            return false;
        }
        sink.ended(this);
        final Future<?> future = run;
        if (future != null)
        {
            // a FutureTask interrupts only while the call runs, and the pool clears a stray interrupt before its
            // next task, so no other attempt is hit
            future.cancel(true);
        }
        return true;
    }

    @Override
    public Task task()
    {
        return message.task();
    }

    @Override
    public Priority priority()
    {
        return message.priority();
    }

    @Override
    public int attempt()
    {
        return message.attempt();
    }

    @Override
    public long acceptedNanos()
    {
        return acceptedNanos;
    }

    /**
     * @return the dispatcher's acceptance sequence of the task, lower is older, as the TASK carries it; from a
     *     dispatcher that predates sending it, the attempt's correlation id instead (which orders attempts by when
     *     they were sent, and starts at a random point in every dispatcher process).
     */
    @Override
    public long sequence()
    {
        return message.sequence();
    }

    @Override
    public void succeed(final Object result, final long tokensUsed, final double quality)
    {
        if (answered.compareAndSet(false, true))
        {
            sink.ended(this);
            sink.completed(message.correlationId(), true, tokensUsed, quality, String.valueOf(result));
        }
    }

    @Override
    public void fail(final Throwable cause)
    {
        if (answered.compareAndSet(false, true))
        {
            sink.ended(this);
            sink.completed(message.correlationId(), false, 0, Double.NaN, String.valueOf(cause));
        }
    }
}
