package dev.ringmaster.bench.harness;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Systems for the harness's own tests: they complete each task on the producer's thread, inside submit. */
final class FakeSystems
{
    private FakeSystems()
    {
    }

    /** Completes at once; never stalls. */
    static SystemUnderTest instant()
    {
        return new Synchronous(Long.MAX_VALUE, 0);
    }

    /**
     * Completes at once, except that the first submit at or after {@code stallAfterNanos} of the run blocks the
     * producer for {@code stallNanos} before completing: a system that stalls once (a GC pause, a full queue).
     */
    static SystemUnderTest stallingOnce(final long stallAfterNanos, final long stallNanos)
    {
        return new Synchronous(stallAfterNanos, stallNanos);
    }

    /** Confined to the one producer thread (start and stop on the harness thread). */
    private static final class Synchronous implements SystemUnderTest
    {
        private final long stallAfterNanos;
        private final long stallNanos;
        private LatencySlots slots;
        private long startedNanos;
        private boolean stalled;

        Synchronous(final long stallAfterNanos, final long stallNanos)
        {
            this.stallAfterNanos = stallAfterNanos;
            this.stallNanos = stallNanos;
        }

        @Override
        public void start(final LatencySlots slots, final int workers)
        {
            this.slots = slots;
            this.startedNanos = System.nanoTime();
        }

        @Override
        public boolean submit(final int slot)
        {
            if (!stalled && System.nanoTime() - startedNanos >= stallAfterNanos)
            {
                stalled = true;
                final long until = System.nanoTime() + stallNanos;
                while (until - System.nanoTime() > 0)
                {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
            }
            slots.complete(slot);
            return true;
        }

        @Override
        public void stop(final boolean now)
        {
        }

        @Override
        public String threads(final int workers)
        {
            return "none: completes on the producer";
        }
    }

    static long millis(final long ms)
    {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
