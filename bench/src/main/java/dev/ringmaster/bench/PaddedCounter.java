package dev.ringmaster.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter on its own cache lines (no false sharing with the benchmark's other fields); exactly one thread may
 * {@link #increment()} (ordered store, no CAS), any thread may {@link #get()}.
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

    /** Single writer only. */
    public void increment()
    {
        VALUE.setRelease(this, (long)VALUE.get(this) + 1);
    }

    /** Any thread. */
    public long get()
    {
        return value;
    }
}
