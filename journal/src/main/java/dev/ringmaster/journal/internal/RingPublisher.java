package dev.ringmaster.journal.internal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Puts encoded records into the ring the journal writer drains; lock-free (one CAS per record on the ring's tail),
 * callable from any thread, normally only the router.
 *
 * <p>Ring-full policy: the producer waits, with a bounded back-off (spin, then yield, then parks of at most
 * {@link #MAX_PARK_NANOS}), for as long as the writer is alive; a record is never dropped to keep the router going,
 * since recovery and audit depend on every record. Each wait is counted ({@link #fullWaits()}, with the time spent
 * in {@link #fullWaitNanos()}). Only once the writer has stopped (closed, or failed on I/O) are records dropped, and
 * each drop is counted in {@link #dropped()} and logged by the journal.
 */
public final class RingPublisher
{
    /** Longest single park while the ring is full: short, because the router is stalled meanwhile. */
    public static final long MAX_PARK_NANOS = 50_000;

    private final ManyToOneRingBuffer ring;
    private final BooleanSupplier writerAlive;
    private final AtomicLong fullWaits = new AtomicLong();
    private final AtomicLong fullWaitNanos = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public RingPublisher(final ManyToOneRingBuffer ring, final BooleanSupplier writerAlive)
    {
        this.ring = ring;
        this.writerAlive = writerAlive;
    }

    /** @return the largest record the ring takes. */
    public int maxLength()
    {
        return ring.maxMsgLength();
    }

    /** @return true if published, false if dropped because the writer has stopped. */
    public boolean publish(final int typeId, final DirectBuffer buffer, final int length)
    {
        if (!writerAlive.getAsBoolean())
        {
            dropped.incrementAndGet();
            return false;
        }
        if (ring.write(typeId, buffer, 0, length))
        {
            return true;
        }
        return publishSlow(typeId, buffer, length);
    }

    private boolean publishSlow(final int typeId, final DirectBuffer buffer, final int length)
    {
        final long start = System.nanoTime();
        fullWaits.incrementAndGet();
        int round = 0;
        boolean published = false;
        while (writerAlive.getAsBoolean())
        {
            if (ring.write(typeId, buffer, 0, length))
            {
                published = true;
                break;
            }
            if (++round < 16)
            {
                Thread.onSpinWait();
            }
            else if (round < 32)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, 1_000L << Math.min(6, round - 32)));
            }
        }
        fullWaitNanos.addAndGet(System.nanoTime() - start);
        if (!published)
        {
            dropped.incrementAndGet();
        }
        return published;
    }

    /** @return records that found the ring full and had to wait. */
    public long fullWaits()
    {
        return fullWaits.get();
    }

    /** @return total nanoseconds producers waited for room. */
    public long fullWaitNanos()
    {
        return fullWaitNanos.get();
    }

    /** @return records dropped because the writer had stopped. */
    public long dropped()
    {
        return dropped.get();
    }
}
