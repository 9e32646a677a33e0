package dev.ringmaster.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter on its own cache lines (no false sharing with the benchmark's other fields); any thread may
 * {@link #increment()} and {@link #get()}. Atomic because a dispatcher's result handler runs on whichever worker
 * completed the task, two at once with two workers.
 */
@SuppressWarnings("unused")
public final class PaddedCounter
{
    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedCounter.class, "value", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    private volatile long value;
    private long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    /** Any thread. */
    public void increment()
    {
        VALUE.getAndAdd(this, 1L);
    }

    /** Any thread. */
    public long get()
    {
        return value;
    }
}
