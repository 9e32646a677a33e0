package dev.ringmaster.bench.harness;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The executors' task: completes its slot and does nothing else; immutable, one per slot, prebuilt. */
final class SlotRunnable implements Runnable
{
    private final LatencySlots slots;
    private final int slot;

    private SlotRunnable(final LatencySlots slots, final int slot)
    {
        this.slots = slots;
        this.slot = slot;
    }

    @Override
    public void run()
    {
        slots.complete(slot);
    }

    static Runnable[] prebuild(final LatencySlots slots)
    {
        final Runnable[] r = new Runnable[slots.count()];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = new SlotRunnable(slots, i);
        }
        return r;
    }

    static ThreadFactory threads(final String prefix)
    {
        final AtomicInteger n = new AtomicInteger();
        return r ->
        {
            final Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Shuts an executor down, gracefully or dropping what has not started, and waits for its threads. */
    static void stop(final ExecutorService pool, final boolean now)
    {
        if (now)
        {
            pool.shutdownNow();
        }
        else
        {
            pool.shutdown();
        }
        try
        {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS))
            {
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
