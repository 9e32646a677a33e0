package dev.ringmaster.metrics;

import dev.ringmaster.model.Priority;

import java.util.List;
import java.util.Map;

/**
 * A point-in-time view of a dispatcher's metrics; immutable. Counts and latencies are since start, but in
 * {@link #recent()}, which has the last minute's.
 *
 * @param elapsedNanos   time since start.
 * @param strategy       routing strategy name.
 * @param accepted       tasks accepted, counted when the dispatcher takes them in: it may trail {@code submit}'s
 *                       return by a moment, so a snapshot read just after a submit can miss it.
 * @param completed      tasks completed.
 * @param deadLettered   tasks that failed every attempt.
 * @param expired        tasks whose TTL passed before they could start.
 * @param cancelled      tasks cancelled, by {@code cancel(id)} or by {@code shutdownNow}'s sweep.
 * @param outstanding    accepted tasks not yet terminal.
 * @param retries        retries scheduled.
 * @param timeouts       attempts that outlived their timeout.
 * @param steals         tasks moved by work stealing.
 * @param queueDepth     tasks waiting centrally, per priority.
 * @param stages         latency per stage (QUEUE_WAIT, ROUTING, EXECUTION, END_TO_END).
 * @param agents         per-agent figures, in registration order.
 * @param giniByCount    Gini coefficient of completed tasks per agent.
 * @param giniByTokens   Gini coefficient of tokens per agent.
 * @param ejections      outlier ejections so far.
 * @param rateLimitedNanos per rate limit ("type:NAME", "tenant:NAME"), how long it held work back.
 * @param faults         plugin and callback faults the dispatcher contained.
 * @param types          per agent type, quality spread and context waste (the seed's metrics), in type order.
 * @param tasksByPriority tasks by state per priority, each task counted at the priority it was submitted with (not
 *                       the one it was reprioritized to; see {@link TaskCounts}).
 * @param tasksByTenant  tasks by state per tenant: the first 32 tenants seen by name, then "(other)", and "(none)"
 *                       for tasks without a tenant (bounded, so that a metrics registry's series stay bounded).
 * @param recent         throughput and latency over the last minute.
 * @param shadow         how the shadow strategy compared with the live one, or null if none runs.
 */
public record MetricsSnapshot(long elapsedNanos, String strategy, long accepted, long completed, long deadLettered,
                              long expired, long cancelled, long outstanding, long retries, long timeouts, long steals,
                              Map<Priority, Long> queueDepth, Map<String, LatencySummary> stages,
                              List<AgentStats> agents, double giniByCount, double giniByTokens, long ejections,
                              Map<String, Long> rateLimitedNanos, FaultCounts faults, Map<String, TypeStats> types,
                              Map<Priority, TaskCounts> tasksByPriority, Map<String, TaskCounts> tasksByTenant,
                              RecentWindow recent, ShadowStats shadow)
{
    /** A snapshot without a shadow strategy. */
    public MetricsSnapshot(final long elapsedNanos, final String strategy, final long accepted, final long completed,
                           final long deadLettered, final long expired, final long cancelled, final long outstanding,
                           final long retries, final long timeouts, final long steals, final Map<Priority, Long> queueDepth,
                           final Map<String, LatencySummary> stages, final List<AgentStats> agents, final double giniByCount,
                           final double giniByTokens, final long ejections, final Map<String, Long> rateLimitedNanos,
                           final FaultCounts faults, final Map<String, TypeStats> types,
                           final Map<Priority, TaskCounts> tasksByPriority, final Map<String, TaskCounts> tasksByTenant,
                           final RecentWindow recent)
    {
        this(elapsedNanos, strategy, accepted, completed, deadLettered, expired, cancelled, outstanding, retries,
            timeouts, steals, queueDepth, stages, agents, giniByCount, giniByTokens, ejections, rateLimitedNanos, faults,
            types, tasksByPriority, tasksByTenant, recent, null);
    }

    /** A snapshot without counts per priority and tenant nor a recent window, as before they existed. */
    public MetricsSnapshot(final long elapsedNanos, final String strategy, final long accepted, final long completed,
                           final long deadLettered, final long expired, final long cancelled, final long outstanding,
                           final long retries, final long timeouts, final long steals, final Map<Priority, Long> queueDepth,
                           final Map<String, LatencySummary> stages, final List<AgentStats> agents, final double giniByCount,
                           final double giniByTokens, final long ejections, final Map<String, Long> rateLimitedNanos,
                           final FaultCounts faults, final Map<String, TypeStats> types)
    {
        this(elapsedNanos, strategy, accepted, completed, deadLettered, expired, cancelled, outstanding, retries,
            timeouts, steals, queueDepth, stages, agents, giniByCount, giniByTokens, ejections, rateLimitedNanos, faults,
            types, Map.of(), Map.of(), new RecentWindow(0, 0, 0, 0, 0, Map.of()), null);
    }

    /** A snapshot without per-type figures, as before they existed. */
    public MetricsSnapshot(final long elapsedNanos, final String strategy, final long accepted, final long completed,
                           final long deadLettered, final long expired, final long cancelled, final long outstanding,
                           final long retries, final long timeouts, final long steals, final Map<Priority, Long> queueDepth,
                           final Map<String, LatencySummary> stages, final List<AgentStats> agents, final double giniByCount,
                           final double giniByTokens, final long ejections, final Map<String, Long> rateLimitedNanos,
                           final FaultCounts faults)
    {
        this(elapsedNanos, strategy, accepted, completed, deadLettered, expired, cancelled, outstanding, retries,
            timeouts, steals, queueDepth, stages, agents, giniByCount, giniByTokens, ejections, rateLimitedNanos, faults,
            Map.of(), Map.of(), Map.of(), new RecentWindow(0, 0, 0, 0, 0, Map.of()), null);
    }

    /** @return context tokens loaded but not used over those loaded, over every type; NaN if none was reported. */
    public double contextWasteRatio()
    {
        long loaded = 0;
        long used = 0;
        for (final TypeStats t : types.values())
        {
            loaded += t.contextTokensLoaded();
            used += t.contextTokensUsed();
        }
        return loaded == 0 ? Double.NaN : (double)(loaded - used) / loaded;
    }

    /** @return routing decisions in which the strategy failed and the built-in fallback chose. */
    public long strategyFaults()
    {
        return faults.strategy();
    }

    /**
     * @return of {@link #strategyFaults()}, the calls of the strategy's callbacks (onAssigned, onReleased,
     *     onTelemetry, onPoolChanged) that threw; the rest are decisions (select() or route()) that failed.
     */
    public long strategyCallbackFaults()
    {
        return faults.strategyCallbacks();
    }

    /**
     * @return tasks placed for the live strategy, by it or, when it failed, by the built-in choice (declines not
     *     counted).
     */
    public long strategyDecisions()
    {
        return faults.strategyDecisions();
    }

    /**
     * @return of {@link #strategyDecisions()}, those the built-in choice made because the strategy failed or was
     *     quarantined; equal to it (and above 0), the strategy placed no task.
     */
    public long strategyFallbacks()
    {
        return faults.strategyFallbacks();
    }

    /** @return tasks that reached a terminal state. */
    public long terminal()
    {
        return completed + deadLettered + expired + cancelled;
    }

    /** @return completed tasks per second of elapsed time. */
    public double throughputPerSecond()
    {
        return elapsedNanos == 0 ? 0 : completed * 1e9 / elapsedNanos;
    }
}
