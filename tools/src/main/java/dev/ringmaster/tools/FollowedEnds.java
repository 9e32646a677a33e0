package dev.ringmaster.tools;

import dev.ringmaster.dispatch.TaskResult;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The future ends of tasks serve recovered from its journal, held until the admin endpoint that answers for them
 * exists (recovery runs before it starts, and an acknowledged journal hands an end over only once the task is
 * journaled, maybe after); thread-safe: ends come from any thread, each goes to the sink exactly once.
 */
final class FollowedEnds
{
    private final Queue<CompletableFuture<TaskResult>> waiting = new ConcurrentLinkedQueue<>();
    private volatile Consumer<CompletableFuture<TaskResult>> sink;

    void add(final CompletableFuture<TaskResult> end)
    {
        waiting.add(end);
        handOver();
    }

    /** From now on every end goes to {@code sink}, those held so far at once. */
    void followWith(final Consumer<CompletableFuture<TaskResult>> sink)
    {
        this.sink = sink;
        handOver();
    }

    /** Whoever adds or sets the sink last drains: poll hands each end to one caller only. */
    private void handOver()
    {
        final Consumer<CompletableFuture<TaskResult>> to = sink;
        if (to == null)
        {
            return;
        }
        CompletableFuture<TaskResult> end;
        while ((end = waiting.poll()) != null)
        {
            to.accept(end);
        }
    }
}
