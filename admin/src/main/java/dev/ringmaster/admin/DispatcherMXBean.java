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

    /** @return completed tasks per second over the last minute. */
    double getRecentThroughputPerSecond();

    /** @return how long the recent window really is, in seconds (about 60 once read every second). */
    double getRecentWindowSeconds();

    /** @return end-to-end latency over the last minute, in milliseconds: p50, p90, p99, p99.9 and max. */
    Map<String, Double> getRecentEndToEndMillis();

    /** @return end-to-end latency at the given percentile (e.g. 99.0) over the last minute, in milliseconds. */
    double recentEndToEndMillisAtPercentile(double percentile);

    /** @return tasks by priority and state since start, keyed "PRIORITY state", e.g. "HIGH completed". */
    Map<String, Long> getTasksByPriority();

    /**
     * @return tasks by tenant and state since start, keyed "tenant state": the first 32 tenants by name, later ones
     *     as "(other)", tasks without a tenant as "(none)".
     */
    Map<String, Long> getTasksByTenant();

    /** @return per agent type, the mean of its agents' recent quality scores (NaN before any completed). */
    Map<String, Double> getQualityMeanByType();

    /** @return per agent type, the standard deviation of its agents' recent quality scores (NaN before any). */
    Map<String, Double> getQualityStdDevByType();

    /** @return per agent type, context tokens loaded but not used over those loaded (NaN if none reported). */
    Map<String, Double> getContextWasteRatioByType();

    /** @return the fleet's context waste ratio (NaN if no adapter reported context tokens). */
    double getContextWasteRatio();

    /** Pauses routing to a type. @return the tasks waiting for it. */
    int pauseType(String type);

    /** Resumes a paused type. @return the tasks waiting for it. */
    int resumeType(String type);

    /** Starts the graceful removal of an agent. @return what was done, for the operator's console. */
    String drainAgent(String agentId);
}
