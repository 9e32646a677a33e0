package dev.ringmaster.spi;

/**
 * Decides whether an idle agent may take a task waiting in a busy agent's inbox (work stealing), e.g. to leave a task
 * with the agent that holds its context warm when the wait there costs less than loading the context elsewhere; set
 * with {@code Dispatcher.builder().stealGuard(...)}. Called by worker threads concurrently, for every waiting task a
 * thief could take, and under early binding by the routing role's holder for a bound task an agent that ran dry would
 * take: thread-safe, non-blocking, allocation-free. What it throws counts as "yes", the default stealing.
 */
@FunctionalInterface
public interface StealGuard
{
    /**
     * @param task   the waiting task.
     * @param victim the busy agent whose inbox holds it.
     * @param thief  the idle agent that would run it.
     * @return true to let the thief take it, false to leave it where it waits.
     */
    boolean mayMove(TaskView task, AgentView victim, AgentView thief);
}
