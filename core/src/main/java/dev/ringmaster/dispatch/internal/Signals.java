package dev.ringmaster.dispatch.internal;

import org.jctools.queues.MpscArrayQueue;

/**
 * Finished attempts on their way back to the router: many producers (workers and adapter threads), one consumer (the
 * router); lock-free, and it wakes the router if it is parked.
 */
final class Signals
{
    private final MpscArrayQueue<TaskRecord> queue;
    private final ParkingIdleStrategy routerIdle;

    Signals(final int capacity, final ParkingIdleStrategy routerIdle)
    {
        this.queue = new MpscArrayQueue<>(capacity);
        this.routerIdle = routerIdle;
    }

    void offer(final TaskRecord record)
    {
        // capacity covers every record that can be in flight at once; spinning here would mean a sizing bug
        while (!queue.offer(record))
        {
            routerIdle.wake();
            Thread.onSpinWait();
        }
        routerIdle.wake();
    }

    boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /** Router only. */
    TaskRecord poll()
    {
        return queue.relaxedPoll();
    }
}
