package dev.ringmaster.dispatch.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Binary min-heap of tasks waiting out a retry back-off, ordered by {@code retryAtNanos}; routing role only.
 * Grows by doubling (rare, off the steady state) and never shrinks.
 */
final class RetryHeap
{
    private TaskRecord[] heap = new TaskRecord[64];
    private int size;

    int size()
    {
        return size;
    }

    void add(final TaskRecord r)
    {
        if (size == heap.length)
        {
            heap = Arrays.copyOf(heap, size << 1);
        }
        heap[size] = r;
        r.heapIndex = size;
        siftUp(size++);
    }

    /** @return when the earliest task falls due, Long.MAX_VALUE if none waits. */
    long nextDueNanos()
    {
        return size == 0 ? Long.MAX_VALUE : heap[0].retryAtNanos;
    }

    /** @return the earliest task if it is due at {@code nowNanos}, removed, else null. */
    TaskRecord pollDue(final long nowNanos)
    {
        if (size == 0 || heap[0].retryAtNanos - nowNanos > 0)
        {
            return null;
        }
        final TaskRecord top = heap[0];
        final TaskRecord last = heap[--size];
        heap[size] = null;
        if (size > 0)
        {
            heap[0] = last;
            last.heapIndex = 0;
            siftDown(0);
        }
        top.heapIndex = -1;
        return top;
    }

    /** Removes a task that is in the heap (its heapIndex is valid). */
    void remove(final TaskRecord r)
    {
        final int i = r.heapIndex;
        final TaskRecord last = heap[--size];
        heap[size] = null;
        r.heapIndex = -1;
        if (i < size)
        {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    /** @return the task with this id, or null; O(n), for rare control commands. */
    TaskRecord find(final long taskId)
    {
        for (int i = 0; i < size; i++)
        {
            if (heap[i].task.id() == taskId)
            {
                return heap[i];
            }
        }
        return null;
    }

    /** Removes every task, oldest deadline first not guaranteed. */
    void drainTo(final Consumer<TaskRecord> sink)
    {
        for (int i = 0; i < size; i++)
        {
            final TaskRecord r = heap[i];
            heap[i] = null;
            r.heapIndex = -1;
            sink.accept(r);
        }
        size = 0;
    }

    private void siftUp(int i)
    {
        final TaskRecord r = heap[i];
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            final TaskRecord p = heap[parent];
            if (p.retryAtNanos - r.retryAtNanos <= 0)
            {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = r;
        r.heapIndex = i;
    }

    private void siftDown(int i)
    {
        final TaskRecord r = heap[i];
        final int half = size >>> 1;
        while (i < half)
        {
            int child = (i << 1) + 1;
            final int right = child + 1;
            if (right < size && heap[right].retryAtNanos - heap[child].retryAtNanos < 0)
            {
                child = right;
            }
            if (r.retryAtNanos - heap[child].retryAtNanos <= 0)
            {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = r;
        r.heapIndex = i;
    }
}
