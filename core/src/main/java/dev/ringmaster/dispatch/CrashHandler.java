package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;

import java.util.concurrent.CompletableFuture;

/**
 * The owner of an agent added with {@link Dispatcher#addAgent(AgentSpec, dev.ringmaster.spi.AgentAdapter, CrashHandler)}
 * (an autoscaler), told when it crashes under {@link DispatcherOptions#supervision supervision}, so that the owner,
 * not the dispatcher, replaces it: the owner's records and its factory's release then follow the agent. Called on the
 * dispatcher's router thread, which the whole fleet waits on, so it must only hand the news on (a queue offer) and
 * return; whatever it throws is logged, and the crash then handled as if it declined.
 */
@FunctionalInterface
public interface CrashHandler
{
    /**
     * Called as the dispatcher takes the agent out, before it leaves the fleet's agent list, on purpose: an owner that
     * samples that list never finds the agent gone without having had this news. Once this returns the agent takes no
     * new task; if the owner replaces it, it is not restarted by the dispatcher and may be added again under the same
     * id at once. Tasks addressed to it by id, or needing a skill only it had, are held for it, as for a restart,
     * until an agent is added under its id or the owner calls {@link Dispatcher#giveUpReplacement}.
     *
     * @param spec    the crashed agent's spec.
     * @param reason  why it counts as crashed, in words.
     * @param stopped completes once the dispatcher has called the crashed adapter's {@code stop()} (off the router),
     *                whatever it threw: release what the adapter held after that, not before; also when the
     *                dispatcher terminates first. Should {@code stop()} not return within the supervision's
     *                {@code maxBackoff} (it hangs), it completes with a {@link java.util.concurrent.TimeoutException}
     *                instead, so that the owner is not kept waiting: release then, though {@code stop()} may still run.
     * @return true if the owner replaces it; false to decline (an owner that no longer replaces its agents, such as
     *     a closed autoscaler): the dispatcher then handles the crash as any other, restarting the agent through its
     *     type's factory if it has one. A handler that throws declines too.
     */
    boolean crashed(AgentSpec spec, String reason, CompletableFuture<Void> stopped);
}
