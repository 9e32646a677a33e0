package dev.ringmaster.dispatch.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A change to the running dispatcher (add or remove an agent, pause a type, re-prioritize a task), queued by any
 * thread and applied by the router between duty cycles, so that routing state keeps its single writer and the
 * dispatch path takes no lock. Allocation here is fine: commands are rare.
 */
abstract class Command<T>
{
    final CompletableFuture<T> future = new CompletableFuture<>();

    /** Router thread only. */
    abstract void apply(Router router, long nowNanos);

    /**
     * @return true for a command that must still apply once shutdownNow began (an agent that dies while the
     *     dispatcher stops: its attempts must end for termination to come); fleet changes in general do not.
     */
    boolean appliesWhileStopping()
    {
        return false;
    }
}
