package dev.ringmaster.spi;

/**
 * The agents eligible for one routing decision (right type, every required skill, free capacity, not paused); a
 * reused flyweight valid only during {@link RoutingStrategy#select}, read by the thread holding the routing role.
 */
public interface Candidates
{
    /** @return how many agents are eligible, at least 1. */
    int size();

    /** @return the i-th eligible agent, 0 &lt;= i &lt; size(). */
    AgentView get(int i);

    /** @return the position of the i-th eligible agent within the pool; candidates are in pool order. */
    int poolPosition(int i);

    /**
     * @param poolPosition a position in the pool, 0 &lt;= poolPosition &lt; poolSize().
     * @return the candidate index of that agent, or -1 if it is not eligible for this task now; O(1).
     */
    int candidateIndexOf(int poolPosition);

    /** @return every agent of the task's type, eligible or not, for strategies whose state spans the whole pool. */
    int poolSize();

    /** @return the i-th agent of the task's type, 0 &lt;= i &lt; poolSize(). */
    AgentView poolAgent(int i);
}
