package dev.ringmaster.autoscale;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The last scaling events, oldest first, bounded: written by the autoscaler's evaluating thread only (so its size
 * needs no atomic), read from any thread as a copy.
 */
final class ScalingHistory
{
    private final ConcurrentLinkedDeque<ScalingEvent> events = new ConcurrentLinkedDeque<>();
    private final int capacity;
    private int size;

    ScalingHistory(final int capacity)
    {
        this.capacity = capacity;
    }

    /** The evaluating thread: keeps the event, dropping the oldest past the capacity. */
    void add(final ScalingEvent event)
    {
        events.addLast(event);
        if (++size > capacity)
        {
            events.pollFirst();
            size--;
        }
    }

    /** Any thread. @return the events kept, oldest first. */
    List<ScalingEvent> copy()
    {
        return List.copyOf(events);
    }
}
