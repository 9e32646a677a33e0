package dev.ringmaster.remote.internal;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt running on an agent host: the task view its agent sees and the completion it answers through; the
 * view is immutable, the completion may be called from any thread and sends the first answer only.
 */
public final class HostedAttempt implements TaskView, Completion
{
    /** Where a host sends an attempt's answer; implementations are thread-safe. */
    public interface Sink
    {
        void completed(long correlationId, boolean ok, long tokens, double quality, String text);
    }

    private final Messages.TaskMessage message;
    private final long acceptedNanos = System.nanoTime();
    private final Sink sink;
    private final AtomicBoolean answered = new AtomicBoolean();

    public HostedAttempt(final Messages.TaskMessage message, final Sink sink)
    {
        this.message = message;
        this.sink = sink;
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

    @Override
    public long sequence()
    {
        return message.correlationId();
    }

    @Override
    public void succeed(final Object result, final long tokensUsed, final double quality)
    {
        if (answered.compareAndSet(false, true))
        {
            sink.completed(message.correlationId(), true, tokensUsed, quality, String.valueOf(result));
        }
    }

    @Override
    public void fail(final Throwable cause)
    {
        if (answered.compareAndSet(false, true))
        {
            sink.completed(message.correlationId(), false, 0, Double.NaN, String.valueOf(cause));
        }
    }
}
