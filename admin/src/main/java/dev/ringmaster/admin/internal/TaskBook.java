package dev.ringmaster.admin.internal;

import dev.ringmaster.dispatch.TaskResult;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The ends of the tasks submitted (or requeued) through the endpoint, the most recent ones only, so that a client that delegated
 * a task can fetch its answer by id; thread-safe: the dispatcher records from the thread that ends a task, server
 * threads read.
 */
final class TaskBook
{
    private final int capacity;
    private final Map<Long, TaskResult> results = new ConcurrentHashMap<>();
    private final Queue<Long> order = new ConcurrentLinkedQueue<>();

    TaskBook(final int capacity)
    {
        this.capacity = capacity;
    }

    /** Cheap on purpose: it runs on the dispatcher's thread that ended the task. */
    void record(final TaskResult result)
    {
        final long id = result.task().id();
        if (results.put(id, result) == null)
        {
            order.add(id);
            while (results.size() > capacity)
            {
                final Long oldest = order.poll();
                if (oldest == null)
                {
                    break;
                }
                results.remove(oldest);
            }
        }
    }

    TaskResult get(final long id)
    {
        return results.get(id);
    }

    /** Forgets a task's end, e.g. when its dead letter is requeued and it will end again. */
    void forget(final long id)
    {
        results.remove(id);
    }
}
