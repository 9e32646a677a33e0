package dev.ringmaster.delegation;

import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An asynchronous test adapter that holds every attempt until the test releases it; execute is called on worker
 * threads, the rest on the test thread.
 */
final class Gate implements AgentAdapter
{
    final List<Task> started = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Task> starts = new LinkedBlockingQueue<>();
    private final BlockingQueue<Completion> held = new LinkedBlockingQueue<>();

    @Override
    public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
    {
        started.add(task.task());
        held.add(completion);
        starts.add(task.task());
    }

    /** @return the next task this agent started, waiting up to 5 seconds; null if none. */
    Task awaitStart() throws InterruptedException
    {
        return starts.poll(5, TimeUnit.SECONDS);
    }

    /** Completes the oldest held attempt with {@code result}, waiting for one to start. */
    boolean succeedNext(final Object result) throws InterruptedException
    {
        final Completion c = held.poll(5, TimeUnit.SECONDS);
        if (c == null)
        {
            return false;
        }
        c.succeed(result);
        return true;
    }

    /** Completes every held attempt. */
    void releaseAll(final Object result)
    {
        Completion c;
        while ((c = held.poll()) != null)
        {
            c.succeed(result);
        }
    }
}
