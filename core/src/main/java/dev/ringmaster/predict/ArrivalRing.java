package dev.ringmaster.predict;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Arrivals on their way from the routing role's holder to the pre-routing thread: a preallocated single-producer,
 * single-consumer ring (the routing role is held by one thread at a time, each hand-over a happens-before edge, so it
 * is one logical producer). Offering stores references and longs into preallocated slots: no allocation, no lock; a
 * full ring drops the arrival and counts it, it never waits.
 */
final class ArrivalRing
{
    private final int mask;
    private final String[] types;
    private final String[] keys;
    private final long[] skills;
    private final long[] nanos;
    /** Next slot to write; published with an ordered store after the slot's fields. */
    private final AtomicLong tail = new AtomicLong();
    /** Next slot to read; published with an ordered store once the slot is consumed. */
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    ArrivalRing(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("the arrival ring's capacity must be a power of two, got " + capacity);
        }
        this.mask = capacity - 1;
        this.types = new String[capacity];
        this.keys = new String[capacity];
        this.skills = new long[capacity];
        this.nanos = new long[capacity];
    }

    /** Producer: the routing role's holder. */
    void offer(final String type, final String key, final long requiredSkills, final long at)
    {
        final long t = tail.get();
        if (t - head.get() > mask)
        {
            dropped.incrementAndGet();
            return;
        }
        final int i = (int)(t & mask);
        types[i] = type;
        keys[i] = key;
        skills[i] = requiredSkills;
        nanos[i] = at;
        tail.lazySet(t + 1); // StoreStore: the slot's fields before the consumer can see it
    }

    /** Consumer: the pre-routing thread. @return arrivals handed to the sink. */
    int drain(final PreRouting sink, final long clockOffsetNanos)
    {
        final long h = head.get();
        final long t = tail.get();
        for (long s = h; s < t; s++)
        {
            final int i = (int)(s & mask);
            sink.observe(types[i], keys[i], skills[i], nanos[i] + clockOffsetNanos);
            types[i] = null;
            keys[i] = null;
        }
        head.lazySet(t); // the slots may be reused from now
        return (int)(t - h);
    }

    long dropped()
    {
        return dropped.get();
    }
}
