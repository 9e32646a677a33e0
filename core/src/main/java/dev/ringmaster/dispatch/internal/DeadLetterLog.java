package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.DeadLetter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most recent dead letters, bounded; the router appends (failure path only, so allocation is acceptable), any
 * thread reads a copy.
 */
final class DeadLetterLog
{
    private final int capacity;
    private final ConcurrentLinkedDeque<DeadLetter> letters = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    DeadLetterLog(final int capacity)
    {
        this.capacity = capacity;
    }

    void add(final DeadLetter letter)
    {
        letters.addLast(letter);
        if (size.incrementAndGet() > capacity && letters.pollFirst() != null)
        {
            size.decrementAndGet();
        }
    }

    List<DeadLetter> snapshot()
    {
        return new ArrayList<>(letters);
    }
}
