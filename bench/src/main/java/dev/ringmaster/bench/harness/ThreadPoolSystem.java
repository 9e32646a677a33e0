package dev.ringmaster.bench.harness;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@link ThreadPoolExecutor} with an unbounded {@link LinkedBlockingQueue}, as {@code newFixedThreadPool}
 * builds it: {@code workers} threads that block on the queue's lock and condition when idle. Each slot has a prebuilt
 * Runnable (the queue still allocates a node per task: that is the peer's own cost).
 */
final class ThreadPoolSystem implements SystemUnderTest
{
    private ThreadPoolExecutor pool;
    private Runnable[] runnables;

    @Override
    public void start(final LatencySlots slots, final int workers)
    {
        runnables = SlotRunnable.prebuild(slots);
        pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            SlotRunnable.threads("bench-tpe-"));
        pool.prestartAllCoreThreads();
    }

    @Override
    public boolean submit(final int slot)
    {
        pool.execute(runnables[slot]);
        return true;
    }

    @Override
    public void stop(final boolean now)
    {
        SlotRunnable.stop(pool, now);
    }

    @Override
    public String threads(final int workers)
    {
        return workers + " worker(s), blocking on the queue's lock when idle";
    }
}
