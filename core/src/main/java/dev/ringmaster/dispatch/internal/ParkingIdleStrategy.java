package dev.ringmaster.dispatch.internal;

import org.agrona.concurrent.IdleStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Agrona-style back-off (spin, then yield, then park with growing periods) that a producer can cut short with
 * {@link #wake()}: the owning thread calls {@code idle}, any thread may call {@code wake}.
 *
 * <p>The spin and yield phases are bounded in time, not in counts: on a 2-core machine a yield returns in well under
 * a microsecond when the other core is free and after a whole time slice when it is not, so a count says nothing about
 * how long the thread stays awake. A steady stream whose gaps are shorter than the yield window never parks the
 * thread, and never pays an unpark and a scheduler wake-up per task.
 *
 * <p>Why not plain {@code BackoffIdleStrategy}: on 2 cores a parked consumer must not cost a whole park period of
 * latency on the next task. The owner publishes "parked" and re-checks for work before parking; the waker publishes
 * work, fences, then reads "parked" (Dekker), so a wake-up is never lost.
 */
public final class ParkingIdleStrategy implements IdleStrategy
{
    private static final int NOT_IDLE = 0;
    private static final int SPINNING = 1;
    private static final int YIELDING = 2;
    private static final int PARKING = 3;

    private final long spinNanos;
    private final long yieldNanos;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final BooleanSupplier workPending;
    private final java.util.function.LongSupplier wakeAtNanos;
    /** Asked once per idle spell, when the spin ends: true skips the yield phase and parks at once. */
    private BooleanSupplier parkAfterSpin = () -> false;

    /** Null: never dozes (see {@link Slumber}). */
    private Slumber.Doze doze;

    private volatile Thread owner;
    private volatile boolean parked;

    private int phase = NOT_IDLE;
    private long idleSinceNanos;
    private int spinsSinceClockRead;
    private long parkNanos;

    /**
     * @param spinNanos    how long to busy-spin once idle before yielding; Long.MAX_VALUE spins for ever.
     * @param yieldNanos   how long after becoming idle to keep yielding before parking.
     * @param minParkNanos first park period.
     * @param maxParkNanos longest park period, the worst-case latency if work arrives without a wake.
     * @param workPending  checked after announcing the park; true cancels it.
     */
    public ParkingIdleStrategy(final long spinNanos, final long yieldNanos, final long minParkNanos,
                               final long maxParkNanos, final BooleanSupplier workPending)
    {
        this(spinNanos, yieldNanos, minParkNanos, maxParkNanos, workPending, () -> Long.MAX_VALUE);
    }

    /**
     * @param wakeAtNanos when timed work falls due ({@link System#nanoTime()}), Long.MAX_VALUE for none: a park never
     *                    lasts past it, so e.g. a rate limit's refill is served on time.
     */
    public ParkingIdleStrategy(final long spinNanos, final long yieldNanos, final long minParkNanos,
                               final long maxParkNanos, final BooleanSupplier workPending,
                               final java.util.function.LongSupplier wakeAtNanos)
    {
        this.wakeAtNanos = wakeAtNanos;
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.workPending = workPending;
    }

    /**
     * Owner thread, before the first idle: {@code parkAfterSpin} is asked when a spell's spin ends, and true parks at
     * once, for the longest period, instead of yielding (a worker whose agents another awake worker serves, see
     * {@code Worker}: wakers wake it when they need it).
     */
    void parkAfterSpin(final BooleanSupplier parkAfterSpin)
    {
        this.parkAfterSpin = parkAfterSpin;
    }

    /** Owner thread, before the first idle: a longest park may become a doze, as long as {@code doze} says. */
    void doze(final Slumber.Doze doze)
    {
        this.doze = doze;
    }

    /** Binds the strategy to the thread that idles with it; call from that thread before the first idle. */
    public void bindToCurrentThread()
    {
        owner = Thread.currentThread();
    }

    /** Wakes the owner if it is parked; cheap when it is not (one fence and one volatile read). */
    public void wake()
    {
        VarHandle.fullFence(); // StoreLoad: the caller's publication of work is visible before we read 'parked'
        if (parked)
        {
            final Thread t = owner;
            if (t != null)
            {
                LockSupport.unpark(t);
            }
        }
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        switch (phase)
        {
            case NOT_IDLE:
                phase = SPINNING;
                idleSinceNanos = System.nanoTime();
                spinsSinceClockRead = 0;
                break;
            case SPINNING:
                Thread.onSpinWait();
                // the clock every 16 spins: a nanoTime read costs about as much as a few spins
                if ((++spinsSinceClockRead & 15) == 0 && System.nanoTime() - idleSinceNanos > spinNanos)
                {
                    if (parkAfterSpin.getAsBoolean())
                    {
                        // for the longest period at once: such an owner is woken when it is needed, and the end of its
                        // park is only the backstop. Growing from the shortest instead (1, 2, 4 ... us, each at least
                        // the kernel's timer slack) woke a lent worker about ten times per idle spell, 10,000 context
                        // switches a second at 200k tasks/s, each taking a core from the lead or the producer
                        phase = PARKING;
                        parkNanos = maxParkNanos;
                    }
                    else
                    {
                        phase = YIELDING;
                    }
                }
                break;
            case YIELDING:
                if (System.nanoTime() - idleSinceNanos > yieldNanos)
                {
                    phase = PARKING;
                    parkNanos = minParkNanos;
                }
                else
                {
                    Thread.yield();
                }
                break;
            default:
                parked = true; // volatile store then load of the work state below: the other half of the Dekker pair
                if (!workPending.getAsBoolean())
                {
                    final long wakeAt = wakeAtNanos.getAsLong();
                    final long dozeNanos = parkNanos == maxParkNanos && doze != null ? doze.dozeNanos() : 0;
                    long park = dozeNanos > 0 ? dozeNanos : parkNanos;
                    if (wakeAt != Long.MAX_VALUE)
                    {
                        park = Math.min(park, wakeAt - System.nanoTime());
                    }
                    if (park > 0)
                    {
                        // an interrupt left on this thread (an adapter or callback restoring one, as the idiom after
                        // catching InterruptedException goes) makes every park return at once, and the idle thread
                        // spun at full speed for good; the dispatcher wakes its threads by unpark, never by interrupt
                        Thread.interrupted();
                        LockSupport.parkNanos(park);
                    }
                    if (dozeNanos > 0)
                    {
                        doze.wokeUp();
                    }
                }
                parked = false;
                parkNanos = Math.min(parkNanos << 1, maxParkNanos);
                break;
        }
    }

    @Override
    public void reset()
    {
        parkNanos = minParkNanos;
        phase = NOT_IDLE;
    }

    @Override
    public String alias()
    {
        return "parking";
    }
}
