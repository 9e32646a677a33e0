package dev.ringmaster.plugins.routing;

import dev.ringmaster.plugins.routing.index.Pools;
import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import java.util.HashMap;

/**
 * Direct assignment: a task that names its agent ({@code task.targetAgent()}) goes to that agent, and waits
 * ({@link RoutingStrategy#DECLINE}) while the agent is busy, paused, lacks the task's skills or is not in the task's
 * pool; O(1) expected (a hash lookup). A task without a target goes to the least loaded agent (as
 * {@code least-connections}, O(n)). Called by the routing role's holder, one thread at a time.
 *
 * <p>Each agent type's pool gets a map from agent id to pool position, built (allocating) when the pool first
 * appears or changes; a lookup allocates nothing ({@code HashMap.get} on a String uses the cached hash, and the
 * boxed positions are created once, at build). A position found is checked against the agent now at that position, so
 * a pool that changed under the map is noticed and the map rebuilt. A target no agent of the pool has waits like a
 * busy one, in case the agent joins later; give such tasks a TTL. No scores are reported for targeted tasks.
 */
public final class DirectStrategy extends LeastLoadedFallback
{
    public static final String NAME = "direct";

    private final HashMap<String, Directory> directories = new HashMap<>();

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
    {
        final String target = task.task().targetAgent();
        if (target == null)
        {
            return leastLoaded.select(task, candidates, decision);
        }
        final String type = task.task().type();
        Directory directory = directories.get(type);
        if (directory == null || !directory.matches(candidates))
        {
            directory = rebuild(type, candidates);
        }
        int position = directory.positionOf(target, candidates);
        if (position == Directory.STALE)
        {
            position = rebuild(type, candidates).positionOf(target, candidates);
        }
        return position < 0 ? DECLINE : candidates.candidateIndexOf(position);
    }

    private Directory rebuild(final String type, final Candidates candidates)
    {
        final Directory directory = new Directory(candidates);
        directories.put(type, directory);
        return directory;
    }

    /** Agent id to pool position for one pool, immutable once built; the routing role's holder only (one thread at a time). */
    private static final class Directory
    {
        static final int ABSENT = -1;
        static final int STALE = -2;

        private final HashMap<String, Integer> positionById;
        private final int poolSize;
        private final int firstIndex;
        private final int lastIndex;

        Directory(final Candidates candidates)
        {
            poolSize = candidates.poolSize();
            positionById = new HashMap<>(poolSize * 2);
            for (int p = 0; p < poolSize; p++)
            {
                positionById.put(candidates.poolAgent(p).id(), p);
            }
            firstIndex = candidates.poolAgent(0).index();
            lastIndex = candidates.poolAgent(poolSize - 1).index();
        }

        /** O(1): same size and the same agents at both ends as when built. */
        boolean matches(final Candidates candidates)
        {
            return candidates.poolSize() == poolSize && candidates.poolAgent(0).index() == firstIndex &&
                candidates.poolAgent(poolSize - 1).index() == lastIndex;
        }

        /**
         * @return the target's pool position, {@link #ABSENT} if the pool has no such agent, {@link #STALE} if the
         *     map is out of date.
         */
        int positionOf(final String target, final Candidates candidates)
        {
            final Integer position = positionById.get(target);
            if (position == null)
            {
                return ABSENT;
            }
            final int p = position;
            return p < candidates.poolSize() && target.equals(candidates.poolAgent(p).id()) ? p : STALE;
        }
    }

    /** O(1): the pool finds the named agent by id; untargeted tasks go to the least loaded (least-connections). */
    @Override
    public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
    {
        final int target = Pools.target(task, pool);
        return target != Pools.NOT_TARGETED ? target : leastLoaded.route(task, pool, decision);
    }

    /** Registers {@link DirectStrategy} with the ServiceLoader; stateless. */
    public static final class Provider implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "direct assignment: the agent the task names, waiting while it is busy; O(1) (untargeted tasks: " +
                "least loaded, O(n))";
        }

        @Override
        public RoutingStrategy create()
        {
            return new DirectStrategy();
        }
    }
}
