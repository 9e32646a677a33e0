package dev.ringmaster.bench.sim;

/**
 * A FIFO of task indices on a ring that doubles when full, so that a central queue needs the memory of its longest
 * backlog and not of the whole run; single-threaded, one per priority level of a simulation.
 */
final class TaskQueue
{
    private int[] ring = new int[64];
    private int head;
    private int tail;

    boolean isEmpty()
    {
        return head == tail;
    }

    /** @return the oldest task; only when not empty. */
    int peek()
    {
        return ring[head & (ring.length - 1)];
    }

    void poll()
    {
        head++;
    }

    void add(final int task)
    {
        if (tail - head == ring.length)
        {
            final int[] grown = new int[ring.length * 2];
            for (int i = head; i < tail; i++)
            {
                grown[i & (grown.length - 1)] = ring[i & (ring.length - 1)];
            }
            ring = grown;
        }
        ring[tail++ & (ring.length - 1)] = task;
    }
}
