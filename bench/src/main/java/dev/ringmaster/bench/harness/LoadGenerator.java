package dev.ringmaster.bench.harness;

import java.util.concurrent.locks.LockSupport;

/**
 * One producer thread's open-loop schedule: its {@code i}-th task is due at
 * {@code start + (i * producers + index) * period}, whatever happened to the tasks before it. The producer waits for
 * each due time (parking when it is more than {@link #PARK_ABOVE_NANOS} away, yielding otherwise), and when it falls
 * behind (a slow submit, a busy slot, a descheduled thread) it sends the late tasks back to back, each still stamped
 * with its intended time: coordinated omission is corrected because the schedule, not the system, decides when a
 * task should have been sent. Runs on its own thread; {@link #stop} may be called from any thread.
 */
final class LoadGenerator implements Runnable
{
    /** Due times further away than this are waited for by parking; nearer ones by yielding (park overshoots ~60 us). */
    static final long PARK_ABOVE_NANOS = 150_000;
    private static final long PARK_SLACK_NANOS = 80_000;

    private final SystemUnderTest system;
    private final LatencySlots slots;
    private final int index;
    private final int producers;
    private final int firstSlot;
    private final int slotCount;
    private final long startNanos;
    private final long endNanos;
    private final double periodNanos;
    private volatile boolean stopped;
    private long sent;
    private volatile String failure;

    /**
     * @param index      this producer's number, 0 to producers - 1.
     * @param firstSlot  first of the slots this producer owns (no other producer touches them).
     * @param slotCount  slots it owns.
     * @param endNanos   no task is due at or after this.
     * @param ratePerSec tasks per second offered by all producers together.
     */
    LoadGenerator(final SystemUnderTest system, final LatencySlots slots, final int index, final int producers,
                  final int firstSlot, final int slotCount, final long startNanos, final long endNanos,
                  final double ratePerSec)
    {
        this.system = system;
        this.slots = slots;
        this.index = index;
        this.producers = producers;
        this.firstSlot = firstSlot;
        this.slotCount = slotCount;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.periodNanos = 1e9 / ratePerSec;
    }

    /** @return when this producer's {@code i}-th task is due. */
    long intendedNanos(final long i)
    {
        return startNanos + (long)((i * producers + index) * periodNanos);
    }

    @Override
    public void run()
    {
        final SystemUnderTest system = this.system;
        final LatencySlots slots = this.slots;
        final long end = endNanos;
        int slot = firstSlot;
        final int lastSlot = firstSlot + slotCount;
        long i = 0;
        while (!stopped)
        {
            final long intended = intendedNanos(i);
            if (intended - end >= 0)
            {
                break;
            }
            long now = System.nanoTime();
            while (intended - now > 0)
            {
                final long wait = intended - now;
                if (wait > PARK_ABOVE_NANOS)
                {
                    LockSupport.parkNanos(wait - PARK_SLACK_NANOS);
                }
                else
                {
                    Thread.yield();
                }
                now = System.nanoTime();
            }
            int idle = 0;
            while (!slots.isFree(slot))
            {
                // the system holds every slot: wait for it (charged to it through the intended time), politely
                if (stopped)
                {
                    return;
                }
                if (++idle < 100)
                {
                    Thread.yield();
                }
                else
                {
                    LockSupport.parkNanos(20_000);
                }
            }
            slots.occupy(slot, intended, System.nanoTime());
            if (!system.submit(slot))
            {
                failure = "task refused by the system";
                return;
            }
            i++;
            sent = i; // plain: read by the harness after join()
            if (++slot == lastSlot)
            {
                slot = firstSlot;
            }
        }
    }

    /** Any thread: stops sending after the current task. */
    void stop()
    {
        stopped = true;
    }

    /** @return tasks sent; read after the producer thread was joined. */
    long sent()
    {
        return sent;
    }

    /** @return why the producer gave up, or null. */
    String failure()
    {
        return failure;
    }
}
