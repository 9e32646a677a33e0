package dev.ringmaster.admin;

import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test adapter that holds every attempt until the test releases it, so that tasks stay running or queued while the
 * test looks; execute is called on dispatcher worker threads, the rest on the test thread.
 */
final class Held implements AgentAdapter
{
    private final BlockingQueue<Completion> held = new LinkedBlockingQueue<>();

    @Override
    public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
    {
        if ("poison".equals(task.task().payload()))
        {
            completion.fail(new IllegalStateException("poison task (test)"));
            return;
        }
        held.add(completion);
    }

    /** @return true once n attempts are held, false after 5 s. */
    boolean awaitHeld(final int n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (held.size() < n)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(2);
        }
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
            c.succeed("released", 100, 0.9);
        }
    }
}
