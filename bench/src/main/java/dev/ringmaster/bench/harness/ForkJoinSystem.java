package dev.ringmaster.bench.harness;

import java.util.concurrent.ForkJoinPool;

/**
 * A {@link ForkJoinPool} of {@code workers} parallelism in async (FIFO) mode, the mode meant for event-style tasks
 * that are never joined, fed through {@code execute(Runnable)} from the producers (external submission queues); idle
 * workers park. Each slot has a prebuilt Runnable (the pool wraps each in an adapter task: the peer's own cost).
 */
final class ForkJoinSystem implements SystemUnderTest
{
    private ForkJoinPool pool;
    private Runnable[] runnables;

    @Override
    public void start(final LatencySlots slots, final int workers)
    {
        runnables = SlotRunnable.prebuild(slots);
        pool = new ForkJoinPool(workers, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
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
        return workers + " worker(s), parking when idle";
    }
}
