package dev.ringmaster.admin;

import java.util.Map;

/**
 * The JMX view of one dispatcher (see {@link DispatcherJmx}): the figures of {@code /status} and {@code /metrics} as
 * attributes, and the fleet operations; every method may be called from any thread (JMX calls come on RMI threads).
 */
public interface DispatcherMXBean
{
    String getState();

    String getStrategy();

    long getAccepted();

    long getCompleted();

    long getDeadLettered();

    long getExpired();

    long getCancelled();

    long getOutstanding();

    long getRetries();

    long getSteals();

    double getThroughputPerSecond();

    double getGiniByCount();

    /** @return per agent type, tasks waiting centrally. */
    Map<String, Long> getQueueDepthByType();

    /** @return per agent, tasks in flight over capacity. */
    Map<String, Double> getLoadByAgent();

    /** @return per agent type, whether it is paused. */
    Map<String, Boolean> getPausedByType();

    /** @return end-to-end latency at the given percentile (e.g. 99.0) since start, in milliseconds. */
    double endToEndMillisAtPercentile(double percentile);

    /** Pauses routing to a type. @return the tasks waiting for it. */
    int pauseType(String type);

    /** Resumes a paused type. @return the tasks waiting for it. */
    int resumeType(String type);

    /** Starts the graceful removal of an agent. @return what was done, for the operator's console. */
    String drainAgent(String agentId);
}
