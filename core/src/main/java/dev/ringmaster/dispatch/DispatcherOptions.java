package dev.ringmaster.dispatch;

import dev.ringmaster.dispatch.internal.EngineConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * The tuning options of {@link Dispatcher.Builder} (sizes, threads, retries, timing, fleet policies), apart from its
 * agents and plugins; not thread-safe, used from one thread as the builder is.
 *
 * @param <B> the builder each option returns, for chaining.
 */
abstract class DispatcherOptions<B extends DispatcherOptions<B>>
{
    final EngineConfig config = new EngineConfig();
    double overloadThreshold = 1.0;

    abstract B self();

    /** Ingress ring slots, a power of two (default 65536). */
    public B ringSize(final int size)
    {
        config.ringSize = BuilderChecks.powerOfTwo("ringSize", size);
        return self();
    }

    /** Most accepted, unfinished tasks per agent type and priority (default 65536). */
    public B queueCapacity(final int capacity)
    {
        config.queueCapacity = BuilderChecks.atLeast("queueCapacity", capacity, 1);
        return self();
    }

    /** Tasks an agent may hold beyond its capacity, waiting in its inbox (default 1). */
    public B prefetch(final int prefetch)
    {
        config.prefetch = BuilderChecks.atLeast("prefetch", prefetch, 0);
        return self();
    }

    /**
     * Which waiting tasks an idle agent may steal under late binding (default: any it has the skills for); e.g.
     * {@code LivePreRouting.stealGuard()}, which leaves a task with the agent holding its context warm when the wait
     * there is shorter than a cold load.
     */
    public B stealGuard(final dev.ringmaster.spi.StealGuard guard)
    {
        config.stealGuard = java.util.Objects.requireNonNull(guard, "stealGuard");
        return self();
    }

    /**
     * Most worker threads (default: available processors). The dispatcher runs one per agent up to this number, for
     * agents added while it runs as for the builder's: one built with a single agent (an autoscaler's minimum) starts one
     * thread and starts another with each agent added, up to {@code workers}; beyond that an added agent shares the
     * worker with fewest agents. A thread is started off the dispatch path (by the router thread, when the agent is
     * added) and stopped only when the dispatcher terminates: one whose agents all left stays parked, without using a
     * core, and takes the next agent added.
     */
    public B workers(final int workers)
    {
        config.workers = BuilderChecks.atLeast("workers", workers, 1);
        return self();
    }

    /** Dispatches from higher priorities after which a waiting lower priority is served (default 8). */
    public B agingQuantum(final int quantum)
    {
        config.agingQuantum = BuilderChecks.atLeast("agingQuantum", quantum, 1);
        return self();
    }

    /** Retry back-off: base doubles per attempt up to max, with jitter in [delay/2, delay). */
    public B retryBackoff(final Duration base, final Duration max)
    {
        BuilderChecks.backoff(base, max);
        config.retryBaseNanos = base.toNanos();
        config.retryMaxNanos = max.toNanos();
        return self();
    }

    /** How often the router looks for attempts past their timeout and queued tasks past their TTL (default 1 ms). */
    public B watchdogInterval(final Duration interval)
    {
        BuilderChecks.positive("watchdog interval", interval);
        config.watchdogIntervalNanos = interval.toNanos();
        return self();
    }

    /** Longest park of an idle router or worker when nobody wakes it (default 1 ms). */
    public B maxPark(final Duration park)
    {
        BuilderChecks.positive("maxPark", park);
        config.maxParkNanos = park.toNanos();
        return self();
    }

    /**
     * Router and workers spin instead of parking when idle: lowest latency, one core each. Only with cores to
     * spare; on a 2-core machine it starves everything else.
     */
    public B busySpin(final boolean busySpin)
    {
        config.busySpin = busySpin;
        return self();
    }

    /** Dead letters kept for {@link Dispatcher#deadLetters()} (default 10,000, oldest dropped first). */
    public B deadLetterCapacity(final int capacity)
    {
        config.deadLetterCapacity = BuilderChecks.atLeast("deadLetterCapacity", capacity, 0);
        return self();
    }

    /**
     * Limits what starts for an agent type or a tenant (token buckets, in tasks per second and tokens per
     * minute); tasks over the limit wait in their queue. One limit per type or tenant; the last one given wins.
     */
    public B rateLimit(final RateLimit limit)
    {
        Objects.requireNonNull(limit, "rate limit must not be null");
        config.rateLimits.removeIf(l -> l.scope() == limit.scope() && l.name().equals(limit.name()));
        config.rateLimits.add(limit);
        return self();
    }

    /**
     * Restarts crashed agents (their adapter's start() threw, or they stopped answering) through the
     * {@link Dispatcher.Builder#agentFactory factory} of their type, with back-off (off by default). An agent added
     * with a {@link CrashHandler}, as the autoscaler adds its own, is not restarted here: its adapter is stopped and
     * its owner told, which replaces it, so that the owner's count and its factory's release follow the agent.
     */
    public B supervision(final Supervision settings)
    {
        config.supervision = Objects.requireNonNull(settings, "supervision settings must not be null");
        return self();
    }

    /** How tasks of an agent type are bound to their agent (default {@link Binding#LATE}); see {@link Binding}. */
    public B binding(final String type, final Binding binding)
    {
        config.bindings.put(Objects.requireNonNull(type, "agent type must not be null"),
            Objects.requireNonNull(binding, "binding for type '" + type + "' must not be null: LATE, EARLY or EARLY_STEALING"));
        return self();
    }

    /** Takes failing or slow agents out of routing for a while (off by default). */
    public B outlierEjection(final OutlierEjection settings)
    {
        config.outlierEjection = Objects.requireNonNull(settings, "outlier ejection settings must not be null");
        return self();
    }

    /**
     * New agents, and agents back from ejection, ramp up: over {@code window} the tasks they may hold grow
     * linearly from {@code minFactor} of their limit to all of it (off by default).
     */
    public B slowStart(final Duration window, final double minFactor)
    {
        BuilderChecks.slowStart(window, minFactor);
        config.slowStartNanos = window.toNanos();
        config.slowStartMinFactor = minFactor;
        return self();
    }

    /** Load (in flight over capacity) at or above which metrics flag an agent as overloaded (default 1.0). */
    public B overloadThreshold(final double threshold)
    {
        this.overloadThreshold = BuilderChecks.positive("overload threshold", threshold);
        return self();
    }

    /** Seed of the dispatcher's own randomness (retry jitter), so a run can be replayed. */
    public B seed(final long seed)
    {
        config.seed = seed;
        return self();
    }
}
