package dev.ringmaster.tools;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.JournalCorruptException;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.JournalRecord;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded workload of a journal, as a what-if replay needs it: every task that completed, with its arrival,
 * type, priority, skills, affinity key and cost, the agent that finished it and how long that agent took, and when the
 * recorded dispatcher first placed it; plus what each agent showed (type, most tasks running at once, skills of the
 * tasks it finished). Immutable once read; safe to share between threads.
 *
 * <p>Times are wall-clock nanoseconds since the journal's first acceptance (the records' epoch times, consistent
 * across the writer's sessions). Tasks that never completed (dead-lettered, expired, cancelled, still open) are left
 * out: they have no duration to replay and no sojourn to compare.
 */
final class JournalArrivals
{
    /** One completed task as recorded; times relative to the journal's first acceptance. */
    record Arrival(long taskId, String type, Priority priority, long skillMask, String affinityKey, long costTokens,
                   long arrivalNanos, long firstAssignedNanos, String recordedAgent, String executedBy,
                   long durationNanos, long completedNanos)
    {
        long sojournNanos()
        {
            return completedNanos - arrivalNanos;
        }
    }

    /** What one agent showed in the journal. */
    record AgentSeen(String id, String type, int maxRunning, long skillMask)
    {
    }

    private final List<Arrival> arrivals;
    private final Map<String, AgentSeen> agents;
    private final String recordedStrategy;
    private final long records;
    private final List<String> damage;

    private JournalArrivals(final List<Arrival> arrivals, final Map<String, AgentSeen> agents,
                            final String recordedStrategy, final long records, final List<String> damage)
    {
        this.arrivals = List.copyOf(arrivals);
        this.agents = java.util.Collections.unmodifiableMap(agents);
        this.recordedStrategy = recordedStrategy;
        this.records = records;
        this.damage = List.copyOf(damage);
    }

    /**
     * Reads the whole journal, on past each damaged region (listed in {@link #damage()}, for the caller to report:
     * the tasks recorded in one are missing from the workload).
     *
     * @throws JournalCorruptException if the journal is damaged and no completed task could be read around it.
     * @throws IllegalStateException   if the journal holds no completed task, saying how to record one.
     */
    static JournalArrivals read(final JournalReader reader, final Path directory)
    {
        final Reading reading = new Reading();
        final List<JournalCorruptException> damage = new ArrayList<>();
        // on past each damaged region: stopping at the first would replay a journal damaged early as a few tasks
        reader.toStart().readToEnd(reading::onRecord, damage::add);
        if (reading.done.isEmpty() && !damage.isEmpty())
        {
            throw damage.get(0);
        }
        if (reading.done.isEmpty())
        {
            throw new IllegalStateException("the journal in " + directory + " holds no completed task (" +
                reading.records + " records), nothing to replay; give a journal of a run that finished tasks, e.g. one " +
                "recorded by 'ringmaster demo --tasks 100000 --journal DIR'");
        }
        final List<Arrival> done = reading.done;
        long origin = Long.MAX_VALUE;
        for (final Arrival a : done)
        {
            origin = Math.min(origin, a.arrivalNanos());
        }
        final List<Arrival> relative = new ArrayList<>(done.size());
        for (final Arrival a : done)
        {
            relative.add(new Arrival(a.taskId(), a.type(), a.priority(), a.skillMask(), a.affinityKey(), a.costTokens(),
                a.arrivalNanos() - origin, a.firstAssignedNanos() - origin, a.recordedAgent(), a.executedBy(),
                a.durationNanos(), a.completedNanos() - origin));
        }
        relative.sort(Comparator.comparingLong(Arrival::arrivalNanos).thenComparingLong(Arrival::taskId));
        String strategy = null;
        long most = 0;
        for (final Map.Entry<String, Long> e : reading.strategies.entrySet())
        {
            if (e.getValue() > most)
            {
                most = e.getValue();
                strategy = e.getKey();
            }
        }
        final Map<String, AgentSeen> agents = new LinkedHashMap<>();
        reading.agents.forEach((id, a) -> agents.put(id, new AgentSeen(id, a.type, a.maxRunning(), a.skills)));
        return new JournalArrivals(relative, agents, strategy, reading.records,
            damage.stream().map(Throwable::getMessage).toList());
    }

    /** @return each damaged region read past, naming its file, index and what is wrong; empty for a sound journal. */
    List<String> damage()
    {
        return damage;
    }

    /** @return the completed tasks in arrival order. */
    List<Arrival> arrivals()
    {
        return arrivals;
    }

    /** @return every agent that started a task, in order of first appearance. */
    Map<String, AgentSeen> agents()
    {
        return agents;
    }

    /** @return the strategy named by most assignment records, or null if none names one. */
    String recordedStrategy()
    {
        return recordedStrategy;
    }

    long records()
    {
        return records;
    }

    /** A codec that skips payloads: for readers that need a task's shape only ({@code learn}). */
    static final PayloadCodec IGNORE_PAYLOAD = Reading.IGNORE_PAYLOAD;

    /**
     * @return the task's skills as a mask, each name registered: read from a journal in a fresh JVM, a task names
     *     skills no agent of this JVM has had yet, which {@link Task#requiredSkills()} leaves out of its mask (such a
     *     name takes no registry bit until an agent has it), so a replay took every task as needing no skill and a
     *     user's --verify-decisions of the golden journal failed for every strategy. The recorded dispatcher knew them.
     */
    static long skillMask(final Task task)
    {
        return task.requiresUnknownSkill() ? Skills.mask(task.requiredSkillNames()) : task.requiredSkills();
    }

    /** Folds records into per-task state; confined to the reading thread. */
    private static final class Reading
    {
        /** The replay needs the task's shape, never its payload: skip decoding whatever codec wrote it. */
        private static final PayloadCodec IGNORE_PAYLOAD = new PayloadCodec()
        {
            @Override
            public int encode(final Object payload, final MutableDirectBuffer buffer, final int offset)
            {
                throw new UnsupportedOperationException("read-only");
            }

            @Override
            public Object decode(final DirectBuffer buffer, final int offset, final int length)
            {
                return null;
            }
        };

        final Map<Long, Open> open = new HashMap<>();
        final List<Arrival> done = new ArrayList<>();
        final Map<String, Long> strategies = new HashMap<>();
        final Map<String, Seen> agents = new LinkedHashMap<>();
        long records;

        void onRecord(final JournalRecord r)
        {
            records++;
            final EventType type = r.type();
            switch (type)
            {
                case ACCEPTED ->
                {
                    final Task task = r.task(IGNORE_PAYLOAD);
                    open.put(r.taskId(), new Open(task, r.epochNanos()));
                }
                case ASSIGNED ->
                {
                    final Open t = open.get(r.taskId());
                    if (r.strategy() != null)
                    {
                        strategies.merge(r.strategy(), 1L, Long::sum);
                    }
                    if (t != null && t.firstAssigned < 0)
                    {
                        t.firstAssigned = r.epochNanos();
                        t.recordedAgent = r.agentId();
                    }
                }
                case STARTED ->
                {
                    final Open t = open.get(r.taskId());
                    if (t != null)
                    {
                        t.started = r.epochNanos();
                        t.runningOn = r.agentId();
                    }
                }
                case COMPLETED, FAILED ->
                {
                    final Open t = open.get(r.taskId());
                    if (t != null && t.runningOn != null)
                    {
                        agent(t.runningOn, r.taskType()).attempt(t.started, r.epochNanos());
                        if (type == EventType.COMPLETED)
                        {
                            agent(t.runningOn, r.taskType()).skills |= skillMask(t.task);
                            open.remove(r.taskId());
                            final Task k = t.task;
                            done.add(new Arrival(k.id(), k.type(), k.priority(), skillMask(k), k.affinityKey(),
                                k.costTokens(), t.accepted, t.firstAssigned < 0 ? t.started : t.firstAssigned,
                                t.recordedAgent, t.runningOn, Math.max(1, r.epochNanos() - t.started), r.epochNanos()));
                        }
                        t.runningOn = null;
                    }
                }
                case DEAD_LETTERED, EXPIRED, CANCELLED -> open.remove(r.taskId());
                default ->
                {
                }
            }
        }

        private Seen agent(final String id, final String type)
        {
            return agents.computeIfAbsent(id, k -> new Seen(type));
        }
    }

    /** A task between its acceptance and its end. */
    private static final class Open
    {
        final Task task;
        final long accepted;
        long firstAssigned = -1;
        String recordedAgent;
        long started;
        String runningOn;

        Open(final Task task, final long accepted)
        {
            this.task = task;
            this.accepted = accepted;
        }
    }

    /** An agent as the records show it. */
    private static final class Seen
    {
        static final double OVERLAP_TOLERANCE = 0.1;

        final String type;
        long skills;
        /** Attempt starts and ends, +1 and -1 events as (time << 1 | isStart): a start and its end may be one record. */
        long[] edges = new long[64];
        int edgeCount;

        Seen(final String type)
        {
            this.type = type;
        }

        void attempt(final long start, final long end)
        {
            if (edgeCount + 2 > edges.length)
            {
                edges = java.util.Arrays.copyOf(edges, edges.length * 2);
            }
            edges[edgeCount++] = (start << 1) | 1;
            edges[edgeCount++] = end << 1;
        }

        /**
         * @return the most attempts running at once for all but {@value #OVERLAP_TOLERANCE} of the agent's busy time:
         *     an attempt's end is journaled when the dispatcher hears of it, a little after the slot was freed and the
         *     next attempt started, so the plain maximum overstates the capacity.
         */
        int maxRunning()
        {
            final long[] sorted = java.util.Arrays.copyOf(edges, edgeCount);
            java.util.Arrays.sort(sorted);
            final java.util.Map<Integer, Long> timeAt = new java.util.TreeMap<>();
            int running = 0;
            long last = 0;
            long busy = 0;
            for (final long e : sorted)
            {
                final long at = e >> 1;
                if (running > 0)
                {
                    timeAt.merge(running, at - last, Long::sum);
                    busy += at - last;
                }
                running += (e & 1) == 1 ? 1 : -1;
                last = at;
            }
            int level = 0;
            long above = busy;
            for (final Map.Entry<Integer, Long> e : timeAt.entrySet())
            {
                if (above <= OVERLAP_TOLERANCE * busy)
                {
                    break;
                }
                level = e.getKey();
                above -= e.getValue();
            }
            return Math.max(1, level);
        }
    }
}
