package dev.ringmaster.predict;

import dev.ringmaster.metrics.FaultLog;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acts on a {@link Predictor}'s predictions above a confidence threshold: gives each predicted (type, key) a home agent
 * ({@link HomePlan}: the most proficient agents, a few keys each), publishes the plan for the router
 * ({@link #preferWarm}: a task of a predicted key goes to its home or to an agent holding the key warm, waiting a
 * bounded time for it if busy), warms the idle home agent of a key that just became predicted or that a transition
 * predicts, tells a {@link CapacityHint} the expected arrivals per type, and logs every prediction acted on at most
 * once per horizon. Shared by the live dispatcher ({@link LivePreRouting}) and the simulator.
 *
 * <p>Threads: {@link #observe} and {@link #tick} are called by one thread at a time (the pre-routing thread);
 * {@link #preferWarm} and {@link #assigned} by the routing role's holder, allocation-free and O(1) for a task of a
 * predicted key (a volatile read of the published plan, at most {@value WarmModel#AGENTS_PER_KEY} warm agents
 * examined); a task of a key nobody predicted that would evict a predicted key scans the candidates once for an
 * agent it would not hurt. A predictor, warmer, hint or log that throws anything is contained: the tick acts on
 * nothing it could not compute, dispatch goes on.
 */
public final class PreRouting
{
    /** Act only above this confidence, as the seed says. */
    public static final double DEFAULT_THRESHOLD = 0.7;
    private static final Logger LOG = LoggerFactory.getLogger(PreRouting.class);

    /**
     * @param threshold    act on predictions at or above this confidence, in (0, 1].
     * @param horizonNanos how far ahead predictions reach.
     * @param warmSlots    context keys an agent keeps warm (the warm model's slots).
     * @param maxAgents    agents the warm model covers (by {@code AgentView.index()}).
     * @param coldNanos    what loading a cold context costs a task: a warm agent expected to free a slot no later
     *                     than this after the strategy's choice is preferred.
     * @param holdNanos    how long after its acceptance a task of a predicted key may be held back for its busy home
     *                     or warm agent, 0 never to hold.
     */
    public record Settings(double threshold, long horizonNanos, int warmSlots, int maxAgents, long coldNanos,
                           long holdNanos)
    {
        public Settings
        {
            if (!(threshold > 0 && threshold <= 1) || horizonNanos <= 0 || warmSlots < 1 || maxAgents < 1 ||
                coldNanos < 0 || holdNanos < 0)
            {
                throw new IllegalArgumentException("pre-routing needs a threshold in (0, 1], a positive horizon, " +
                    "at least one warm slot and agent and a cold-context cost and hold time >= 0, got " + threshold +
                    ", " + horizonNanos + " ns, " + warmSlots + ", " + maxAgents + ", " + coldNanos + " ns, " +
                    holdNanos + " ns");
            }
        }

        /**
         * Threshold 0.7, a 30-second horizon, 4 warm keys per agent, 4,096 agents, a cold context costing 1 s, a task
         * held up to 4 s for its warm agent.
         */
        public static Settings defaults()
        {
            return new Settings(DEFAULT_THRESHOLD, Duration.ofSeconds(30).toNanos(), 4, 4096,
                Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(4).toNanos());
        }

        public Settings withThreshold(final double t)
        {
            return new Settings(t, horizonNanos, warmSlots, maxAgents, coldNanos, holdNanos);
        }
    }

    private final Predictor predictor;
    private final Settings settings;
    private final WarmModel warm;
    private final PredictionLog log;
    private final CapacityHint capacity;
    private final Predictions predictions = new Predictions();
    private final HomePlan plan;
    private final Map<String, Map<String, Long>> loggedAt = new HashMap<>();
    private final Map<String, double[]> perType = new HashMap<>();
    private final Map<String, Long> lastWarmed = new HashMap<>();
    private boolean[] warmedThisTick = new boolean[16];

    private volatile HotKeys hot = HotKeys.NONE;
    private final AtomicLong faults = new AtomicLong();
    /** One per kind and source, so a fault that repeats on every arrival does not hide the others. */
    private final FaultLog observeFaults;
    private final FaultLog predictFaults;
    private final FaultLog hintFaults;
    private final FaultLog warmFaults;
    private final FaultLog recordFaults;
    private final FaultLog tickFaults;
    private final AtomicLong keptWarm = new AtomicLong();
    private long warms;
    private long predicted;
    /** Written only by the routing role's holder; read racily by reports. */
    private volatile long preferred;
    private volatile long held;
    private volatile long protectedKeys;

    /** @param log and @param capacity may be null. */
    public PreRouting(final Predictor predictor, final Settings settings, final PredictionLog log,
                      final CapacityHint capacity)
    {
        this(predictor, settings, log, capacity, LOG);
    }

    /** As the public constructor, logging contained faults to {@code faultLogger} (tests). */
    PreRouting(final Predictor predictor, final Settings settings, final PredictionLog log,
               final CapacityHint capacity, final Logger faultLogger)
    {
        final String named = "pre-routing: predictor '" + nameOf(predictor) + "'";
        this.observeFaults = new FaultLog(faultLogger, named);
        this.predictFaults = new FaultLog(faultLogger, named);
        this.hintFaults = new FaultLog(faultLogger, "pre-routing: capacity hint");
        this.warmFaults = new FaultLog(faultLogger, "pre-routing: warm hook");
        this.recordFaults = new FaultLog(faultLogger, "pre-routing: prediction log");
        this.tickFaults = new FaultLog(faultLogger, "pre-routing:");
        this.predictor = java.util.Objects.requireNonNull(predictor, "predictor");
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.warm = new WarmModel(settings.warmSlots(), settings.maxAgents());
        this.plan = new HomePlan(settings.warmSlots());
        this.log = log;
        this.capacity = capacity;
    }

    public Predictor predictor()
    {
        return predictor;
    }

    public Settings settings()
    {
        return settings;
    }

    public WarmModel warmModel()
    {
        return warm;
    }

    /** Feeds one arrival to the predictor (pre-routing thread). */
    public void observe(final String type, final String key, final long requiredSkills, final long nanos)
    {
        try
        {
            predictor.observe(type, key, requiredSkills, nanos);
        }
        catch (final Throwable t)
        {
            fault(observeFaults, "threw on observe; the arrival is not learnt (contained, dispatch goes on)", t);
        }
    }

    /**
     * Predicts over the horizon from {@code nowNanos} and acts: publishes the confident keys, warms idle agents for
     * confident keys that no agent holds warm, passes expected arrivals per type to the capacity hint.
     *
     * @param agents the live agents (an agent with nothing in flight is idle and may be warmed).
     * @param warmer warms an agent, or null to only predict and prefer.
     */
    public void tick(final long nowNanos, final List<? extends AgentView> agents, final Warmer warmer)
    {
        predictions.clear();
        try
        {
            predictor.predict(nowNanos, settings.horizonNanos(), predictions);
        }
        catch (final Throwable t)
        {
            hot = HotKeys.NONE;
            fault(predictFaults, "threw on predict; nothing is predicted until the next tick (contained, dispatch " +
                "goes on)", t);
            return;
        }
        final double threshold = settings.threshold();
        final int[] homes = plan.plan(predictions, threshold, agents);
        final HotKeys before = hot;
        hot = HotKeys.of(predictions, threshold, homes);
        perType.values().forEach(sum -> java.util.Arrays.fill(sum, 0));
        if (warmedThisTick.length < agents.size())
        {
            warmedThisTick = new boolean[agents.size() * 2];
        }
        java.util.Arrays.fill(warmedThisTick, false);
        for (int i = 0; i < predictions.size(); i++)
        {
            if (predictions.confidence(i) < threshold)
            {
                continue;
            }
            final double[] sum = perType.computeIfAbsent(predictions.type(i), t -> new double[2]);
            sum[0] += predictions.expected(i);
            sum[1] = Math.max(sum[1], predictions.confidence(i));
            if (predictions.key(i) != null)
            {
                logOncePerHorizon(i, nowNanos);
                // ahead of its tasks: a key that just became predicted, or that a transition says comes next; a key
                // predicted all along is kept warm at its home by its own tasks, and warming it again after an
                // eviction mostly loads a context no task uses (measured in the periodic simulation)
                if (warmer != null && homes[i] >= 0 && (predictions.basis(i) == Predictions.Basis.TRANSITION ||
                    !before.contains(predictions.type(i), predictions.key(i))))
                {
                    warmHome(i, homes[i], agents, warmer, nowNanos);
                }
            }
        }
        if (capacity != null)
        {
            final double seconds = settings.horizonNanos() / 1e9;
            perType.forEach((type, sum) ->
            {
                if (sum[0] > 0)
                {
                    try
                    {
                        capacity.expect(type, sum[0] / seconds, sum[1]);
                    }
                    catch (final Throwable t)
                    {
                        fault(hintFaults, "threw (contained, dispatch goes on)", t);
                    }
                }
            });
        }
    }

    private void logOncePerHorizon(final int i, final long nowNanos)
    {
        final Map<String, Long> ofType = loggedAt.computeIfAbsent(predictions.type(i), t -> new HashMap<>());
        final Long last = ofType.get(predictions.key(i));
        if (last == null || nowNanos - last >= settings.horizonNanos())
        {
            ofType.put(predictions.key(i), nowNanos);
            predicted++;
            record(PredictionLog.Action.PREDICTED, i, null, nowNanos);
        }
    }

    /** Warms the key's home agent if it is idle and not warm for the key yet. */
    private void warmHome(final int i, final int home, final List<? extends AgentView> agents, final Warmer warmer,
                          final long nowNanos)
    {
        final String key = predictions.key(i);
        final Long last = lastWarmed.get(key);
        if (warm.isWarm(home, key) || (last != null && nowNanos - last < settings.horizonNanos()))
        {
            return; // warm, or warmed within the horizon and evicted since: its own tasks keep it warm or not
        }
        for (int a = 0; a < agents.size(); a++)
        {
            final AgentView agent = agents.get(a);
            if (agent.index() != home)
            {
                continue;
            }
            if (agent.inFlight() > 0 || warmedThisTick[a])
            {
                return; // busy: its next task of the key will load the context anyway
            }
            warmedThisTick[a] = true;
            boolean warmed;
            try
            {
                warmed = warmer.warm(agent, key);
            }
            catch (final Throwable t)
            {
                fault(warmFaults, "threw warming agent '" + agent.spec().id() + "' for '" + key + "'; it is not warm " +
                    "(contained, dispatch goes on)", t);
                warmed = false;
            }
            if (warmed)
            {
                lastWarmed.put(key, nowNanos);
                warm.touch(home, key);
                warms++;
                record(PredictionLog.Action.WARMED, i, agent.spec().id(), nowNanos);
            }
            return;
        }
    }

    private void record(final PredictionLog.Action action, final int i, final String agentId, final long nowNanos)
    {
        if (log == null)
        {
            return;
        }
        try
        {
            log.onPrediction(action, predictions.type(i), predictions.key(i), agentId, predictions.confidence(i),
                predictions.expected(i), settings.horizonNanos(), nowNanos);
        }
        catch (final Throwable t)
        {
            fault(recordFaults, "threw (contained, dispatch goes on)", t);
        }
    }

    /** @return true if tasks of this type and key are predicted above the threshold now; any thread, no allocation. */
    public boolean hot(final String type, final String key)
    {
        return hot.contains(type, key);
    }

    /**
     * Routing thread: for a task of a predicted key, replaces the strategy's choice by an agent that holds the key warm,
     * is at least as proficient in its skills and can start it at once, else by the key's home agent or a warm agent
     * expected to free a slot no more than the cold-context cost after the strategy's choice. If no warm agent can take
     * it now but one is busy, and the strategy's choice could not start it at once either, the task is held
     * ({@code DECLINE}: the router sets it aside and routes the tasks behind it) for at most the hold time since its
     * acceptance, so that the warm agent's next free slot takes it rather than a cold agent paying to load the
     * context.
     *
     * @param nowNanos  the routing clock (the one {@link TaskView#acceptedNanos()} is on).
     * @param chosen    the candidate index the strategy chose (or {@code DECLINE}).
     * @param positions pool position of each agent index, or null when index and pool position coincide.
     * @return the candidate index to assign.
     */
    public int preferWarm(final TaskView task, final Candidates candidates, final int chosen, final int[] positions,
                          final long nowNanos)
    {
        final String key = task.task().affinityKey();
        // no plan (before the first tick, or the predictor failed): the strategy's own choice, untouched
        if (chosen < 0 || chosen >= candidates.size() || key == null || hot == HotKeys.NONE)
        {
            return chosen;
        }
        final AgentView picked = candidates.get(chosen);
        if (warm.isWarm(picked.index(), key))
        {
            return chosen;
        }
        final long required = task.task().requiredSkills();
        final double fit = fit(picked, required);
        final String type = task.task().type();
        final int home = hot.home(type, key);
        if (home == HotKeys.NOT_HOT)
        {
            // nobody predicted the key, but an agent may still hold it warm from its last tasks: if one can start it
            // at once and fits as well, it saves the cold load without making the task wait
            final int warmIdle = warmAgent(key, required, fit, candidates, positions, 0, false);
            return warmIdle >= 0 ? warmIdle : protect(type, picked, chosen, candidates, required, fit);
        }
        // hold only when the strategy's choice could not start the task now either: then waiting for the warm agent
        // costs little, whereas holding a task an idle agent could start costs more than the cold load it saves
        final boolean mayHold = nowNanos - task.acceptedNanos() < settings.holdNanos() &&
            picked.inFlight() >= picked.capacity();
        // an agent holding the key warm that can start the task at once beats the home, which may have lost the key
        final int warmIdle = warmAgent(key, required, fit, candidates, positions, 0, false);
        if (warmIdle >= 0)
        {
            return warmIdle;
        }
        if (home >= 0 && home != picked.index())
        {
            final int position = positions == null ? home : home < positions.length ? positions[home] : -1;
            if (position >= 0 && position < candidates.poolSize() && candidates.poolAgent(position).index() == home &&
                fit(candidates.poolAgent(position), required) >= fit)
            {
                final int c = candidates.candidateIndexOf(position);
                final AgentView h = candidates.poolAgent(position);
                if (c >= 0 && (h.inFlight() < h.capacity() ||
                    h.expectedFreeNanos() <= picked.expectedFreeNanos() + settings.coldNanos()))
                {
                    preferred++; // single writer: the routing role's holder
                    return c;
                }
                if (c < 0 && mayHold)
                {
                    held++;
                    return RoutingStrategy.DECLINE;
                }
            }
        }
        else if (home == picked.index())
        {
            return chosen;
        }
        final int warmAgent = warmAgent(key, required, fit, candidates, positions,
            picked.expectedFreeNanos() + settings.coldNanos(), true);
        if (warmAgent >= 0)
        {
            return warmAgent;
        }
        if (mayHold && warmButBusy(key, required, fit, candidates,
            positions))
        {
            return RoutingStrategy.DECLINE;
        }
        return protect(type, picked, chosen, candidates, required, fit);
    }

    /**
     * @param freeBy   with {@code mayQueue}, a busy warm agent is taken if expected to free a slot by then.
     * @return the candidate index of an agent holding the key warm that fits as well and can start the task at once
     *     (or, with {@code mayQueue}, by {@code freeBy}), or -1.
     */
    private int warmAgent(final String key, final long required, final double fit, final Candidates candidates,
                          final int[] positions, final double freeBy, final boolean mayQueue)
    {
        for (int i = 0; i < WarmModel.AGENTS_PER_KEY; i++)
        {
            final int index = warm.recentAgent(key, i);
            if (index < 0)
            {
                return -1;
            }
            final int position = positions == null ? index : index < positions.length ? positions[index] : -1;
            final int c = position < 0 || position >= candidates.poolSize() ? -1 : candidates.candidateIndexOf(position);
            if (c < 0)
            {
                continue;
            }
            final AgentView a = candidates.get(c);
            if (a.index() == index && (a.inFlight() < a.capacity() || (mayQueue && a.expectedFreeNanos() <= freeBy)) &&
                warm.isWarm(index, key) && fit(a, required) >= fit)
            {
                preferred++; // single writer: the routing role's holder
                return c;
            }
        }
        return -1;
    }

    /**
     * A task that will load its context cold evicts its agent's least recent key: if that key is predicted, move the
     * task to an agent that can start it at once, fits as well, and would evict no predicted key.
     */
    private int protect(final String type, final AgentView picked, final int chosen, final Candidates candidates,
                        final long required, final double fit)
    {
        if (!hot.contains(type, warm.evictsNext(picked.index())))
        {
            return chosen;
        }
        for (int c = 0; c < candidates.size(); c++)
        {
            final AgentView a = candidates.get(c);
            if (a.inFlight() < a.capacity() && !hot.contains(type, warm.evictsNext(a.index())) &&
                fit(a, required) >= fit)
            {
                protectedKeys++;
                return c;
            }
        }
        return chosen;
    }

    /** @return whether an agent of the pool holds the key warm, fits as well and is not a candidate now (full). */
    private boolean warmButBusy(final String key, final long required, final double fit, final Candidates candidates,
                                final int[] positions)
    {
        for (int i = 0; i < WarmModel.AGENTS_PER_KEY; i++)
        {
            final int index = warm.recentAgent(key, i);
            if (index < 0)
            {
                return false;
            }
            final int position = positions == null ? index : index < positions.length ? positions[index] : -1;
            if (position < 0 || position >= candidates.poolSize() || candidates.candidateIndexOf(position) >= 0)
            {
                continue;
            }
            final AgentView a = candidates.poolAgent(position);
            if (a.index() == index && warm.isWarm(index, key) && fit(a, required) >= fit &&
                (required & ~a.spec().skillMask()) == 0)
            {
                held++;
                return true;
            }
        }
        return false;
    }

    /**
     * Work stealing ({@link dev.ringmaster.spi.StealGuard}; worker threads, concurrently): a task waiting at an agent
     * that holds its key warm stays there, rather than going to an idle agent that would load the key cold, while the
     * victim is expected to free a slot within the cold-context cost (stealing saves less than it costs). Without a
     * published plan, or for a task without a key, stealing is as without pre-routing.
     *
     * @return true to let the thief take the task.
     */
    public boolean mayMove(final TaskView task, final AgentView victim, final AgentView thief)
    {
        final String key = task.task().affinityKey();
        if (key == null || hot == HotKeys.NONE || !warm.isWarm(victim.index(), key) || warm.isWarm(thief.index(), key))
        {
            return true;
        }
        // the task is among the victim's tasks in flight: without it, the victim frees a slot when the task would start
        if (AgentView.expectedFreeNanos(victim.inFlight() - 1, victim.capacity(), victim.expectedLatencyNanos()) >
            settings.coldNanos())
        {
            return true;
        }
        keptWarm.incrementAndGet();
        return false;
    }

    /** @return steals refused so far because the task's warm agent would free a slot soon enough ({@link #mayMove}). */
    public long keptWarm()
    {
        return keptWarm.get();
    }

    /** Routing thread: the task's key is now warm on the agent it was assigned to. */
    public void assigned(final AgentView agent, final TaskView task)
    {
        warm.touch(agent.index(), task.task().affinityKey());
    }

    /** @return the lowest proficiency over the required skills, 1 for none. */
    static double fit(final AgentView a, final long required)
    {
        double min = 1.0;
        long remaining = required;
        while (remaining != 0)
        {
            min = Math.min(min, a.proficiency(Long.numberOfTrailingZeros(remaining)));
            remaining &= remaining - 1;
        }
        return min;
    }

    /** Counts a contained fault and logs it at most once per interval for its kind ({@link FaultLog}). */
    private void fault(final FaultLog kind, final String what, final Throwable t)
    {
        faults.incrementAndGet();
        kind.report(what, t);
    }

    /** @return the predictor's name, or its class's if asking throws: containing its faults must not fail first. */
    private static String nameOf(final Predictor predictor)
    {
        try
        {
            return String.valueOf(java.util.Objects.requireNonNull(predictor, "predictor").name());
        }
        catch (final NullPointerException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            return predictor.getClass().getName();
        }
    }

    /** A tick of the live loop around {@link #tick} failed (the dispatcher closed, listing agents threw). */
    void tickFailed(final Throwable t)
    {
        fault(tickFaults, "a tick failed; the next one tries again (contained, dispatch goes on)", t);
    }

    /** @return faults contained so far (predictor, warmer, hint, log). */
    public long faults()
    {
        return faults.get();
    }

    /** @return agents warmed so far (pre-routing thread's count; racy read elsewhere). */
    public long warms()
    {
        return warms;
    }

    /** @return predictions logged so far (each key at most once per horizon). */
    public long predicted()
    {
        return predicted;
    }

    /** @return tasks moved so as not to evict a predicted key. */
    public long protectedKeys()
    {
        return protectedKeys;
    }

    /** @return times a task was held back for a busy warm agent. */
    public long held()
    {
        return held;
    }

    /** @return tasks routed to a warm agent instead of the strategy's choice. */
    public long preferred()
    {
        return preferred;
    }
}
