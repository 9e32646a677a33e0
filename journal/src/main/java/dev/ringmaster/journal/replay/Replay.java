package dev.ringmaster.journal.replay;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.JournalRecord;
import dev.ringmaster.metrics.Gini;
import dev.ringmaster.metrics.LatencySummary;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds dispatch statistics from a journal: work and tokens per agent with their Gini, per-stage latency from the
 * recorded timestamps, dead letters, steals and utilization over time; one instance per replay, confined to the
 * reading thread.
 */
public final class Replay
{
    private static final String[] STAGES = {"QUEUE_WAIT", "EXECUTION", "END_TO_END"};

    private final long bucketNanos;
    private final Map<EventType, Long> events = new EnumMap<>(EventType.class);
    private final Map<Long, TaskState> tasks = new HashMap<>();
    private final Map<String, long[]> agents = new LinkedHashMap<>();
    private final Map<String, Histogram> stages = new LinkedHashMap<>();
    private final List<DeadLetterReplay> deadLetters = new ArrayList<>();
    private final Map<String, Long> deadLetterReasons = new TreeMap<>();
    private final TreeMap<Long, Map<String, Long>> busyByBucket = new TreeMap<>();
    private long records;
    private long acceptedAgain;
    private long cancelledAtShutdown;
    private long firstEpochNanos;
    private long lastEpochNanos;

    private Replay(final long bucketMillis)
    {
        this.bucketNanos = bucketMillis * 1_000_000L;
        for (final String s : STAGES)
        {
            stages.put(s, new Histogram(3));
        }
    }

    /**
     * Reads the journal from its start to its current end.
     *
     * @param bucketMillis length of a utilization bucket, e.g. 1000.
     * @return the statistics; on a damaged journal, those of the records read around each damaged region (reading
     *     goes on past each, as recovery's), with every region in {@link ReplayReport#damage()}.
     */
    public static ReplayReport of(final JournalReader reader, final long bucketMillis)
    {
        if (bucketMillis < 1)
        {
            throw new IllegalArgumentException("bucketMillis must be >= 1, got " + bucketMillis);
        }
        final Replay replay = new Replay(bucketMillis);
        final List<String> damage = new ArrayList<>();
        // on past each damaged region: stopping at the first would report a journal damaged early as nearly empty
        reader.toStart().readToEnd(replay::onRecord, e -> damage.add(e.getMessage()));
        return replay.report(bucketMillis, damage);
    }

    private void onRecord(final JournalRecord r)
    {
        records++;
        final long epoch = r.epochNanos();
        // a start travels with its outcome, so a later record can carry an earlier time
        firstEpochNanos = records == 1 ? epoch : Math.min(firstEpochNanos, epoch);
        lastEpochNanos = Math.max(lastEpochNanos, epoch);
        final EventType type = r.type();
        events.merge(type, 1L, Long::sum);
        final long id = r.taskId();
        switch (type)
        {
            case ACCEPTED ->
            {
                // a task still open accepted again is the same task (recovery dispatches it again under its id), as
                // Recovery counts it: counting it twice would leave accepted tasks that never finish nor stay open
                final TaskState t = new TaskState(r.nanos(), r.queuedNanos());
                final TaskState before = tasks.put(id, t);
                t.firstEpochNanos = before == null ? epoch : before.firstEpochNanos;
                t.reaccepted = before != null;
                if (before != null)
                {
                    acceptedAgain++;
                }
            }
            case ASSIGNED ->
            {
                // an agent given tasks that it never finished (a run killed early) is in the distribution too, with 0
                agent(r.agentId());
                final TaskState t = tasks.get(id);
                if (t != null && !t.assigned)
                {
                    t.assigned = true;
                    stages.get("QUEUE_WAIT").recordValue(Math.max(0, r.nanos() - t.readyNanos));
                }
            }
            case STOLEN ->
            {
                agent(r.agentId())[3]++;
                agent(r.fromAgentId())[4]++;
            }
            case STARTED ->
            {
                final TaskState t = tasks.get(id);
                if (t != null)
                {
                    t.startedNanos = r.nanos();
                    t.startedEpochNanos = epoch;
                }
            }
            case COMPLETED ->
            {
                final long[] a = agent(r.agentId());
                a[0]++;
                a[1] += r.tokens();
                final TaskState t = tasks.remove(id);
                if (t != null)
                {
                    // a task accepted again (recovered after a crash) ends from its first acceptance, by the wall clock
                    // since the two processes' monotonic clocks do not compare: counted from the second, an outage of
                    // seconds read as a sub-second end to end
                    stages.get("END_TO_END").recordValue(Math.max(0, t.reaccepted ? epoch - t.firstEpochNanos :
                        r.nanos() - t.acceptedNanos));
                    endAttempt(t, r, a);
                }
            }
            case FAILED ->
            {
                final long[] a = agent(r.agentId());
                a[2]++;
                final TaskState t = tasks.get(id);
                if (t != null)
                {
                    endAttempt(t, r, a);
                }
            }
            case DEAD_LETTERED, EXPIRED ->
            {
                tasks.remove(id);
                final String reason = r.reason() == null ? type.name().toLowerCase() : r.reason();
                deadLetters.add(new DeadLetterReplay(id, r.taskType(), r.attempt(), reason, r.epochMillis()));
                deadLetterReasons.merge(reason, 1L, Long::sum);
            }
            case RETRIED ->
            {
                // a retry waits in the queue again, from when it is due: every assignment has its wait, as the
                // dispatcher's QUEUE_WAIT counts them (the retry's back-off is not queue wait)
                final TaskState t = tasks.get(id);
                if (t != null)
                {
                    t.assigned = false;
                    t.readyNanos = Math.max(r.nanos(), r.retryAtNanos());
                }
            }
            case CANCELLED ->
            {
                if (r.cancelledAtShutdown())
                {
                    // the shutdown's cancel ends nothing: recovery runs the task again, so it stays open here too
                    cancelledAtShutdown++;
                }
                else
                {
                    tasks.remove(id);
                }
            }
            default ->
            {
            }
        }
    }

    private void endAttempt(final TaskState t, final JournalRecord r, final long[] agent)
    {
        if (t.startedNanos == 0)
        {
            return;
        }
        final long busy = Math.max(0, r.nanos() - t.startedNanos);
        agent[5] += busy;
        if (r.type() == EventType.COMPLETED)
        {
            stages.get("EXECUTION").recordValue(busy);
        }
        spread(r.agentId(), t.startedEpochNanos, t.startedEpochNanos + busy);
        t.startedNanos = 0;
    }

    /** Splits a busy interval over the utilization buckets it spans. */
    private void spread(final String agentId, final long fromNanos, final long toNanos)
    {
        long at = fromNanos;
        while (at < toNanos)
        {
            final long bucket = Math.floorDiv(at, bucketNanos);
            final long end = Math.min(toNanos, (bucket + 1) * bucketNanos);
            busyByBucket.computeIfAbsent(bucket, b -> new HashMap<>()).merge(agentId, end - at, Long::sum);
            at = end;
        }
    }

    private long[] agent(final String id)
    {
        // completed, tokens, failed, stolenIn, stolenOut, busyNanos
        return agents.computeIfAbsent(id == null ? "(none)" : id, k -> new long[6]);
    }

    private ReplayReport report(final long bucketMillis, final List<String> damage)
    {
        final List<AgentReplay> agentList = new ArrayList<>();
        final long[] counts = new long[agents.size()];
        final long[] tokens = new long[agents.size()];
        int i = 0;
        for (final Map.Entry<String, long[]> e : agents.entrySet())
        {
            final long[] a = e.getValue();
            agentList.add(new AgentReplay(e.getKey(), a[0], a[1], a[2], a[3], a[4], a[5]));
            counts[i] = a[0];
            tokens[i++] = a[1];
        }
        agentList.sort((x, y) -> x.agentId().compareTo(y.agentId()));
        final Map<String, LatencySummary> summaries = new LinkedHashMap<>();
        stages.forEach((name, h) -> summaries.put(name, LatencySummary.of(h)));
        final List<UtilizationBucket> utilization = new ArrayList<>(busyByBucket.size());
        busyByBucket.forEach((bucket, busy) ->
        {
            // the first and last buckets are cut by the journal's ends: averaged over the whole bucket, the time
            // before the first record (or after the last) would count as idle, and a run would seem to ramp up and
            // down that did not
            final long covered = Math.min((bucket + 1) * bucketNanos, lastEpochNanos) -
                Math.max(bucket * bucketNanos, firstEpochNanos);
            final double span = covered > 0 ? covered : bucketNanos;
            final Map<String, Double> running = new TreeMap<>();
            busy.forEach((agent, nanos) -> running.put(agent, nanos / span));
            utilization.add(new UtilizationBucket(bucket * bucketMillis, running, (long)Math.ceil(span / 1e6)));
        });
        final long open = tasks.size();
        return new ReplayReport(records, firstEpochNanos / 1_000_000L, lastEpochNanos / 1_000_000L,
            new EnumMap<>(events), events.getOrDefault(EventType.ACCEPTED, 0L) - acceptedAgain, open,
            List.copyOf(agentList), Gini.of(counts), Gini.of(tokens), summaries,
            List.copyOf(deadLetters), new TreeMap<>(deadLetterReasons), bucketMillis, utilization, damage,
            cancelledAtShutdown);
    }

    /** Where one task stands while the replay reads its records. */
    private static final class TaskState
    {
        final long acceptedNanos;
        /** When the task last became ready for an agent: the router took it in, or its retry was due. */
        long readyNanos;
        boolean assigned;
        long startedNanos;
        long startedEpochNanos;
        /** The wall time of its first acceptance; whether it was accepted again since (recovery dispatched it). */
        long firstEpochNanos;
        boolean reaccepted;

        TaskState(final long acceptedNanos, final long queuedNanos)
        {
            this.acceptedNanos = acceptedNanos;
            this.readyNanos = queuedNanos;
        }
    }
}
