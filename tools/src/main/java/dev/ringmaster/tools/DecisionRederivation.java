package dev.ringmaster.tools;

import dev.ringmaster.journal.DecisionProvenance;
import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.JournalRecord;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-derives a journal's routing decisions for {@code audit --explain}: replays the records in order on each agent
 * type's pool rebuilt from them ({@link ReplayedPool}: the fleet, each agent's tasks in flight from assignments, steals
 * and ends, its latency averages from its results), gives every assignment to a fresh instance of the strategy that
 * recorded it, with the random state recorded with it, and tells that instance of the recorded assignments and releases
 * as the live one was told. For the audited task it scores every candidate with the strategy's rule
 * ({@link RoutingStrategy#explainScore}); for the whole journal it counts the decisions re-derived as recorded.
 * One use, on the calling thread.
 *
 * <p>Why a re-derived winner can differ from the recorded one: the journal does not carry everything the router saw.
 * An attempt's end is journaled by its worker a little after its slot was freed, so an agent may look busier than it
 * was; outlier ejection, slow start, draining and adapter-reported figures (quality, context use, budget) are not
 * journaled; and a fleet that is not the demo's is inferred from the records.
 */
final class DecisionRederivation
{
    /** One agent as the re-derivation scored it. */
    record Candidate(String agentId, double score, int inFlight, int limit, boolean eligible)
    {
    }

    /** One assignment of the audited task, re-derived. */
    record Decision(int attempt, String strategy, String recordedAgent, String derivedAgent, int recordedCandidates,
                    int derivedCandidates, List<Candidate> agents, String problem)
    {
        boolean same()
        {
            return recordedAgent.equals(derivedAgent);
        }
    }

    /** A recorded decision the replay derived otherwise. */
    record Difference(long taskId, int attempt, String recordedAgent, String derivedAgent, boolean recordedEligible)
    {
    }

    /**
     * What a replay found: the audited task's decisions, how many of the journal's it re-derived, and each damaged
     * region it read past (empty for a sound journal).
     */
    record Result(String fleet, int prefetch, List<Decision> decisions, long replayed, long same, long withChoice,
                  long sameWithChoice, long recordedNotEligible, List<Difference> differences, String problem,
                  List<String> damage, long fellBack)
    {
    }

    /** Differences kept for a report or a test; the counts say how many there are. */
    private static final int KEPT = 20;

    private final ReplayFleet fleet;
    private final ClassLoader loader;
    private final int prefetch;
    private final long taskId;
    private final Map<String, ReplayedPool> pools = new HashMap<>();
    private final Map<String, RoutingStrategy> strategies = new HashMap<>();
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Map<Long, Open> open = new HashMap<>();
    private final RoutingDecision decision = new RoutingDecision();
    private final View view = new View();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Difference> differences = new ArrayList<>();
    private long replayed;
    /** Assignments the built-in fallback made (the strategy failed): not the strategy's, so not re-derived. */
    private long fellBack;
    private long same;
    private long withChoice;
    private long sameWithChoice;
    private long recordedNotEligible;
    private String problem;

    private DecisionRederivation(final ReplayFleet fleet, final ClassLoader loader, final int prefetch,
                                 final long taskId)
    {
        this.fleet = fleet;
        this.loader = loader;
        this.prefetch = prefetch;
        this.taskId = taskId;
    }

    /**
     * @param taskId   the task whose decisions to explain in full, or -1 for the counts only.
     * @param prefetch tasks an agent may hold beyond its capacity in the recording dispatcher (its default is 1).
     * @param loader   where the recorded strategies are found (the classpath, or a plugins registry's loader).
     * @throws dev.ringmaster.journal.JournalCorruptException if the journal is damaged and no completed task could be
     *     read around the damage (a damaged journal is otherwise read on past each region, listed in the result).
     * @throws IllegalStateException if the journal holds no completed task to infer a fleet from.
     */
    static Result run(final Path directory, final long taskId, final int prefetch, final ClassLoader loader)
    {
        try (JournalReader reader = JournalReader.open(directory))
        {
            final JournalArrivals arrivals = JournalArrivals.read(reader, directory);
            final ReplayFleet fleet = ReplayFleet.of(directory, arrivals);
            final DecisionRederivation replay = new DecisionRederivation(fleet, loader, prefetch, taskId);
            // on past each damaged region, as the arrivals were read (which listed the regions): stopping at the first
            // would leave every decision after it unexplained
            reader.toStart().readToEnd(r ->
            {
                if (r.agentId() != null && r.agentIndex() >= 0)
                {
                    replay.indexOf.putIfAbsent(r.agentId(), r.agentIndex());
                }
            }, e -> { });
            reader.toStart().readToEnd(replay::onRecord, e -> { });
            return new Result(fleet.origin(), prefetch, List.copyOf(replay.decisions), replay.replayed, replay.same,
                replay.withChoice, replay.sameWithChoice, replay.recordedNotEligible, List.copyOf(replay.differences),
                replay.problem, arrivals.damage(), replay.fellBack);
        }
    }

    private void onRecord(final JournalRecord r)
    {
        switch (r.type())
        {
            case ACCEPTED, RECOVERED ->
            {
                if (r.hasTask() && !r.payloadMissing())
                {
                    open.put(r.taskId(), new Open(r.task(JournalArrivals.IGNORE_PAYLOAD), r.nanos(), r.sequence()));
                }
            }
            case ASSIGNED -> assigned(r);
            case STARTED ->
            {
                final Open t = open.get(r.taskId());
                if (t != null)
                {
                    t.startedNanos = r.nanos();
                }
            }
            case STOLEN ->
            {
                final Open t = open.get(r.taskId());
                if (t != null && t.pool != null)
                {
                    release(t);
                    hold(t, t.pool.positionOf(r.agentId()), r);
                }
            }
            case COMPLETED, FAILED ->
            {
                final Open t = open.get(r.taskId());
                if (t != null && t.pool != null && t.position >= 0)
                {
                    final ReplayedPool pool = t.pool;
                    final int position = t.position;
                    release(t);
                    if (t.startedNanos != 0)
                    {
                        pool.result(position, Math.max(1, r.nanos() - t.startedNanos), r.nanos());
                        guarded(() -> strategy(pool.type(), t.strategy).onTelemetry(pool, position));
                    }
                    t.startedNanos = 0;
                }
                if (r.type() == EventType.COMPLETED)
                {
                    open.remove(r.taskId());
                }
            }
            case EXPIRED, CANCELLED, DEAD_LETTERED ->
            {
                final Open t = open.remove(r.taskId());
                if (t != null)
                {
                    release(t);
                }
            }
            default ->
            {
            }
        }
    }

    private void assigned(final JournalRecord r)
    {
        final Open t = open.get(r.taskId());
        final ReplayedPool pool = t == null ? null : pool(r.taskType());
        final String name = r.strategy();
        final int recorded = pool == null ? -1 : pool.positionOf(r.agentId());
        if (recorded < 0 || name == null)
        {
            if (r.taskId() == taskId)
            {
                decisions.add(new Decision(r.attempt(), name, r.agentId(), null, -1, -1, List.of(), t == null ?
                    "the task's acceptance is not in the journal" : "agent " + r.agentId() + " is not in the fleet " +
                    "rebuilt from the journal"));
            }
            return;
        }
        final RoutingStrategy strategy = strategy(pool.type(), name);
        if (strategy == null)
        {
            return;
        }
        t.strategy = name;
        final DecisionProvenance why = r.provenance();
        if (why != null && why.fellBack())
        {
            // the journal names the strategy asked, but its decision failed: re-deriving would compare the strategy
            // with the fallback (a quarantined plugin read "0 of 3,063 as recorded"); the pool still counts the task
            fellBack++;
            if (r.taskId() == taskId)
            {
                decisions.add(new Decision(r.attempt(), name, r.agentId(), null, why.candidates(), -1, List.of(),
                    "the strategy's decision failed (it threw, answered out of range or was quarantined), and the " +
                    "built-in fallback, fewest tasks in flight, chose " + r.agentId() + ": no decision of the " +
                    "strategy's to re-derive"));
            }
            hold(t, recorded, r);
            return;
        }
        pool.forTask(t.task);
        view.of(t, r);
        final int derived = derive(strategy, pool, why);
        replayed++;
        final boolean recordedEligible = pool.isEligible(recorded);
        final boolean choice = pool.eligibleCount() > 1;
        withChoice += choice ? 1 : 0;
        if (derived == recorded)
        {
            same++;
            sameWithChoice += choice ? 1 : 0;
        }
        else
        {
            recordedNotEligible += recordedEligible ? 0 : 1;
            if (differences.size() < KEPT)
            {
                differences.add(new Difference(r.taskId(), r.attempt(), r.agentId(), derived < 0 ? null :
                    pool.agent(derived).id(), recordedEligible));
            }
        }
        if (r.taskId() == taskId)
        {
            decisions.add(new Decision(r.attempt(), name, r.agentId(), derived < 0 ? null : pool.agent(derived).id(),
                why == null ? -1 : why.candidates(), pool.eligibleCount(), scored(strategy, pool), null));
        }
        hold(t, recorded, r);
    }

    /** @return the position the strategy picks on the rebuilt pool, or -1 if it declined or failed. */
    private int derive(final RoutingStrategy strategy, final ReplayedPool pool, final DecisionProvenance why)
    {
        if (why != null && why.hasRandomState() && !strategy.restoreRandomState(why.randomState()) && problem == null)
        {
            problem = strategy.name() + " recorded a random state but cannot restore one (restoreRandomState): its " +
                "random draws are not the recorded ones";
        }
        decision.reset();
        try
        {
            if (strategy instanceof IndexedRoutingStrategy indexed)
            {
                final int p = indexed.route(view, pool, decision);
                return pool.isEligible(p) ? p : -1;
            }
            final EligibleList candidates = new EligibleList(pool);
            if (candidates.size() == 0)
            {
                return -1;
            }
            final int i = strategy.select(view, candidates, decision);
            return i >= 0 && i < candidates.size() ? candidates.poolPosition(i) : -1;
        }
        catch (final Throwable e) // a strategy is plugin code: a fault is a decision not re-derived
        {
            return -1;
        }
    }

    /** @return every agent of the pool, eligible ones first by descending score, then the others. */
    private List<Candidate> scored(final RoutingStrategy strategy, final ReplayedPool pool)
    {
        final List<Candidate> all = new ArrayList<>(pool.size());
        for (int p = 0; p < pool.size(); p++)
        {
            final AgentView a = pool.agent(p);
            double score = Double.NaN;
            try
            {
                score = strategy.explainScore(view, pool, p);
            }
            catch (final Throwable e) // plugin code: an agent without a score
            {
                score = Double.NaN;
            }
            all.add(new Candidate(a.id(), score, a.inFlight(), a.capacity() + prefetch, pool.isEligible(p)));
        }
        all.sort(Comparator.comparing((Candidate c) -> !c.eligible())
            .thenComparing(c -> Double.isNaN(c.score()) ? Double.NEGATIVE_INFINITY : -c.score()));
        return List.copyOf(all);
    }

    private void hold(final Open t, final int position, final JournalRecord r)
    {
        if (position < 0)
        {
            return;
        }
        final ReplayedPool pool = pool(r.taskType());
        t.pool = pool;
        t.position = position;
        pool.assigned(position, t.task.costTokens());
        view.of(t, r);
        guarded(() -> strategy(pool.type(), t.strategy).onAssigned(pool, position, view));
    }

    private void release(final Open t)
    {
        if (t.pool == null || t.position < 0)
        {
            return;
        }
        final ReplayedPool pool = t.pool;
        final int position = t.position;
        pool.released(position, t.task.costTokens());
        t.position = -1;
        guarded(() -> strategy(pool.type(), t.strategy).onReleased(pool, position, view));
    }

    private void guarded(final Runnable callback)
    {
        try
        {
            callback.run();
        }
        catch (final Throwable e) // plugin code, or no strategy for the type: the callback is skipped
        {
            // the decision that follows is then re-derived on a stale index, which the counts show
        }
    }

    private ReplayedPool pool(final String type)
    {
        return pools.computeIfAbsent(type, k ->
        {
            final List<ReplayFleet.Agent> agents = new ArrayList<>(fleet.agents(k));
            agents.sort(Comparator.comparingInt(a -> indexOf.getOrDefault(a.id(), Integer.MAX_VALUE)));
            final List<AgentSpec> specs = new ArrayList<>(agents.size());
            for (final ReplayFleet.Agent a : agents)
            {
                final AgentSpec.Builder b = AgentSpec.builder(a.id(), k).capacity(a.capacity()).speed(a.speed());
                a.skills().forEach(b::skill);
                specs.add(b.build());
            }
            return new ReplayedPool(pools.size(), k, specs, prefetch);
        });
    }

    /** @return the type's instance of the strategy, told of its pool; null (and a problem noted) if it is not found. */
    private RoutingStrategy strategy(final String type, final String name)
    {
        if (name == null)
        {
            return null;
        }
        final String key = type + '\u0000' + name;
        RoutingStrategy s = strategies.get(key);
        if (s == null && !strategies.containsKey(key))
        {
            try
            {
                s = RoutingStrategies.create(name, loader);
                final RoutingStrategy created = s;
                guarded(() -> created.onPoolChanged(pool(type)));
            }
            catch (final RuntimeException e)
            {
                problem = name.endsWith(dev.ringmaster.predict.PredictiveStrategy.SUFFIX) ? "the journal was " +
                    "recorded under predictive pre-routing ('" + name + "'), whose choices follow the predictions it " +
                    "made live, which the journal does not hold: its decisions cannot be re-derived" : "strategy '" +
                    name + "' could not be created (" + e.getMessage() + "); give the plugins directory that holds " +
                    "it with --plugins DIR";
            }
            strategies.put(key, s);
        }
        return s;
    }

    /** A task between its acceptance and its end, and the agent holding it. */
    private static final class Open
    {
        final Task task;
        final long acceptedNanos;
        final long sequence;
        String strategy;
        ReplayedPool pool;
        int position = -1;
        long startedNanos;

        Open(final Task task, final long acceptedNanos, final long sequence)
        {
            this.task = task;
            this.acceptedNanos = acceptedNanos;
            this.sequence = sequence;
        }
    }

    /** The task view handed to the strategy; one reused flyweight. */
    private static final class View implements TaskView
    {
        private Open open;
        private Priority priority;
        private int attempt;

        void of(final Open open, final JournalRecord r)
        {
            this.open = open;
            this.priority = r.priority();
            this.attempt = r.attempt();
        }

        @Override
        public Task task()
        {
            return open.task;
        }

        @Override
        public Priority priority()
        {
            return priority;
        }

        @Override
        public int attempt()
        {
            return attempt;
        }

        @Override
        public long acceptedNanos()
        {
            return open.acceptedNanos;
        }

        @Override
        public long sequence()
        {
            return open.sequence;
        }
    }

    /** The eligible agents as a candidate list, for a version 1 strategy. */
    private static final class EligibleList implements Candidates
    {
        private final ReplayedPool pool;
        private final int[] positions;
        private final int[] indexOfPosition;

        EligibleList(final ReplayedPool pool)
        {
            this.pool = pool;
            this.indexOfPosition = new int[pool.size()];
            final List<Integer> eligible = new ArrayList<>();
            for (int p = 0; p < pool.size(); p++)
            {
                indexOfPosition[p] = pool.isEligible(p) ? eligible.size() : -1;
                if (indexOfPosition[p] >= 0)
                {
                    eligible.add(p);
                }
            }
            this.positions = eligible.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public int size()
        {
            return positions.length;
        }

        @Override
        public AgentView get(final int i)
        {
            return pool.agent(positions[i]);
        }

        @Override
        public int poolPosition(final int i)
        {
            return positions[i];
        }

        @Override
        public int candidateIndexOf(final int poolPosition)
        {
            return indexOfPosition[poolPosition];
        }

        @Override
        public int poolSize()
        {
            return pool.size();
        }

        @Override
        public AgentView poolAgent(final int i)
        {
            return pool.agent(i);
        }
    }
}
