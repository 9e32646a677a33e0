package dev.ringmaster.dispatch;

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
 * An asynchronous test adapter that holds every attempt until the test releases it, and records the start order;
 * execute is called on worker threads, release on the test thread.
 */
final class Gate implements AgentAdapter
{
    final List<Long> startOrder = new CopyOnWriteArrayList<>();
    final List<String> startPriorities = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Completion> held = new LinkedBlockingQueue<>();

    @Override
    public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
    {
        startOrder.add(task.task().id());
        startPriorities.add(task.task().priority().name());
        held.add(completion);
    }

    /** Completes the oldest held attempt, waiting for one to start. */
    boolean releaseOne() throws InterruptedException
    {
        final Completion c = held.poll(5, TimeUnit.SECONDS);
        if (c == null)
        {
            return false;
        }
        c.succeed("released");
        return true;
    }

    /** Fails the oldest held attempt, waiting for one to start. */
    boolean failOne() throws InterruptedException
    {
        final Completion c = held.poll(5, TimeUnit.SECONDS);
        if (c == null)
        {
            return false;
        }
        c.fail(new IllegalStateException("failed by the test"));
        return true;
    }

    int held()
    {
        return held.size();
    }

    void releaseAll()
    {
        Completion c;
        while ((c = held.poll()) != null)
        {
            c.succeed("released");
        }
    }
}
