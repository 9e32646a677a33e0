package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.TaskView;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import static dev.ringmaster.journal.internal.RecordLayout.*;

/**
 * Encodes one event at a time into a reused scratch buffer in the {@link RecordLayout}; confined to one producer
 * thread (the router, or a recovery thread with its own encoder). Allocates only when the scratch buffer grows for
 * a larger payload than any before.
 */
public final class RecordEncoder
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
    private final PayloadCodec codec;
    private final long epochOffsetNanos;
    private final int maxLength;
    private long payloadFailures;
    private final SkillNames skillNames = new SkillNames();
    /** Numbers the strings that recur, for the ring; null: every string in full (see {@link RingStrings}). */
    private final RingStrings numbers;

    /**
     * @param epochOffsetNanos wall-clock nanos minus {@link System#nanoTime()}, captured once.
     * @param maxLength        the largest record the ring takes; a larger payload is left out and flagged.
     */
    public RecordEncoder(final PayloadCodec codec, final long epochOffsetNanos, final int maxLength)
    {
        this(codec, epochOffsetNanos, maxLength, null);
    }

    /**
     * @param numbers if not null, the recurring strings (task type, agents, strategy, tenant, skills) go into the ring
     *                as numbers (see {@link RingStrings}): only for the one encoder whose records a ring's writer
     *                reads them from, since the writer keeps a single numbering.
     */
    public RecordEncoder(final PayloadCodec codec, final long epochOffsetNanos, final int maxLength,
                         final RingStrings numbers)
    {
        this.codec = codec;
        this.epochOffsetNanos = epochOffsetNanos;
        this.maxLength = maxLength;
        this.numbers = numbers;
    }

    /** @return the scratch buffer holding the last encoded record. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** @return payloads left out so far because the codec refused them or they were too large. */
    public long payloadFailures()
    {
        return payloadFailures;
    }

    /** @return the length of the encoded event; {@code agent}, {@code from} and strings may be null. */
    public int encode(final EventType type, final TaskView task, final long nanos, final AgentView agent,
                      final AgentView from, final String strategy, final double score, final double runnerUp,
                      final long value, final String reason)
    {
        final Task t = task.task();
        header(type, t.id(), task.priority(), task.sequence(), task.attempt(), nanos, value, score, runnerUp,
            agent == null ? -1 : agent.index());
        return strings(t.type(), agent == null ? null : agent.id(), from == null ? null : from.id(), strategy, reason);
    }

    /** @return the length of the ACCEPTED record of {@code task}, with the whole task and its payload. */
    public int encodeAccepted(final TaskView task, final long nanos)
    {
        final int fixed = encode(EventType.ACCEPTED, task, nanos, null, null, null, Double.NaN, Double.NaN, 0, null);
        return appendSpec(task.task(), fixed);
    }

    /** @return the length of one ACCEPTED record that also carries the task's immediate assignment. */
    public int encodeAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                         final String strategy, final double score, final double runnerUp,
                                         final long assignedNanos)
    {
        final Task t = task.task();
        header(EventType.ACCEPTED, t.id(), task.priority(), task.sequence(), task.attempt(), acceptedNanos,
            assignedNanos, score, runnerUp, agent.index());
        buffer.putByte(FLAGS_OFFSET, (byte)FLAG_ASSIGNED_FOLDED);
        return appendSpec(t, strings(t.type(), agent.id(), null, strategy, null));
    }

    /** @return the length of an ASSIGNED record with the decision's provenance (version 3). */
    public int encodeAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
    {
        final Task t = task.task();
        header(EventType.ASSIGNED, t.id(), task.priority(), task.sequence(), task.attempt(), nanos, 0, why.score(),
            why.runnerUp(), agent.index());
        buffer.putByte(FLAGS_OFFSET, (byte)FLAG_PROVENANCE);
        return provenance(why, strings(t.type(), agent.id(), null, why.strategy(), null));
    }

    /** @return the length of an ACCEPTED record carrying its immediate assignment and that decision's provenance. */
    public int encodeAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                         final Provenance why, final long assignedNanos)
    {
        final Task t = task.task();
        header(EventType.ACCEPTED, t.id(), task.priority(), task.sequence(), task.attempt(), acceptedNanos,
            assignedNanos, why.score(), why.runnerUp(), agent.index());
        buffer.putByte(FLAGS_OFFSET, (byte)(FLAG_ASSIGNED_FOLDED | FLAG_PROVENANCE));
        return appendSpec(t, provenance(why, strings(t.type(), agent.id(), null, why.strategy(), null)));
    }

    private int provenance(final Provenance why, final int at)
    {
        final ExpandableArrayBuffer b = buffer;
        final AgentView runnerUp = why.runnerUpAgent();
        final AgentView shadow = why.shadowAgent();
        final String shadowStrategy = why.shadowStrategy();
        b.putInt(at + PROV_CANDIDATES, why.candidates());
        b.putInt(at + PROV_STRATEGY_VERSION, why.strategyVersion());
        b.putInt(at + PROV_RUNNER_UP_INDEX, runnerUp == null ? -1 : runnerUp.index());
        b.putByte(at + PROV_HAS_RANDOM_STATE, (byte)((why.hasRandomState() ? PROV_FLAG_RANDOM_STATE : 0) |
            (why.fellBack() ? PROV_FLAG_FELL_BACK : 0)));
        b.putLong(at + PROV_RANDOM_STATE, why.hasRandomState() ? why.randomState() : 0);
        b.putInt(at + PROV_SHADOW_INDEX, shadowStrategy == null ? Provenance.NO_SHADOW :
            shadow == null ? Provenance.NONE : shadow.index());
        b.putDouble(at + PROV_SHADOW_REGRET, why.shadowRegretNanos());
        int end = at + PROVENANCE_FIXED_LENGTH;
        end += named(end, runnerUp == null ? null : runnerUp.id());
        end += named(end, shadowStrategy);
        end += named(end, shadow == null ? null : shadow.id());
        return end;
    }

    /** @return the length of one COMPLETED or FAILED record that also carries the attempt's start on the same agent. */
    public int encodeOutcomeWithStart(final EventType type, final TaskView task, final AgentView agent, final long value,
                                      final String reason, final long nanos, final long startNanos)
    {
        final int length = encode(type, task, nanos, agent, null, null, Double.NaN, Double.NaN, value, reason);
        buffer.putLong(SCORE_OFFSET, startNanos);
        buffer.putByte(FLAGS_OFFSET, (byte)FLAG_STARTED_FOLDED);
        return length;
    }

    /** @return the length of a RECOVERED marker for {@code task}, with the whole task so the marker stands alone. */
    public int encodeRecovered(final Task task, final String reason)
    {
        header(EventType.RECOVERED, task.id(), task.priority(), -1, 0, System.nanoTime(), 0, Double.NaN, Double.NaN, -1);
        final int fixed = strings(task.type(), null, null, null, reason);
        return appendSpec(task, fixed);
    }

    /**
     * @return the length of an operator's CANCELLED record (no shutdown flag: final) for a task known only by what its
     *     journaled acceptance says, as one that cannot be rebuilt; {@code sequence} and {@code attempt} are that
     *     acceptance's, so that it is the one the record closes.
     */
    public int encodeCancelled(final long taskId, final String taskType, final Priority priority, final long sequence,
                               final int attempt, final String reason)
    {
        header(EventType.CANCELLED, taskId, priority, sequence, attempt, System.nanoTime(), 0, Double.NaN, Double.NaN,
            -1);
        return strings(taskType, null, null, null, reason);
    }

    /**
     * @return the length of an ADMIN record: what was asked (e.g. "POST /types/coder/pause"), from which address, the
     *     HTTP status and the outcome; task id and sequence -1, no agent.
     */
    public int encodeAdmin(final String what, final String from, final int status, final String outcome)
    {
        header(EventType.ADMIN, -1, Priority.values()[0], -1, 0, System.nanoTime(), status, Double.NaN, Double.NaN, -1);
        return strings(what, null, from, null, outcome);
    }

    /** @return the length of a PREDICTION record (see {@link EventType#PREDICTION} for where each field goes). */
    public int encodePrediction(final String action, final String type, final String key, final String agentId,
                                final double confidence, final double expected, final long horizonNanos,
                                final long nanos)
    {
        header(EventType.PREDICTION, -1, Priority.MEDIUM, -1, 0, nanos, horizonNanos, confidence, expected, -1);
        return strings(type, agentId, null, action, key);
    }

    private void header(final EventType type, final long taskId, final Priority priority, final long sequence,
                        final int attempt, final long nanos, final long value, final double score,
                        final double runnerUp, final int agentIndex)
    {
        final ExpandableArrayBuffer b = buffer;
        b.putByte(TYPE_OFFSET, (byte)type.code());
        b.putByte(VERSION_OFFSET, (byte)VERSION);
        b.putByte(PRIORITY_OFFSET, (byte)priority.ordinal());
        b.putByte(FLAGS_OFFSET, (byte)0);
        b.putInt(CHECKSUM_OFFSET, 0);
        b.putLong(TASK_ID_OFFSET, taskId);
        b.putLong(SEQUENCE_OFFSET, sequence);
        b.putLong(NANOS_OFFSET, nanos);
        b.putLong(EPOCH_NANOS_OFFSET, epochOffsetNanos + nanos);
        b.putLong(VALUE_OFFSET, value);
        b.putDouble(SCORE_OFFSET, score);
        b.putDouble(RUNNER_UP_OFFSET, runnerUp);
        b.putInt(ATTEMPT_OFFSET, attempt);
        b.putInt(AGENT_INDEX_OFFSET, agentIndex);
    }

    private int strings(final String type, final String agent, final String from, final String strategy,
                        final String reason)
    {
        int at = STRINGS_OFFSET;
        at += named(at, type);
        at += named(at, agent);
        at += named(at, from);
        at += named(at, strategy);
        at += Utf8.put(buffer, at, reason); // reasons may be new text each time (an exception's message)
        return at;
    }

    /** Writes a string that recurs: by its number when it has one, in full otherwise. @return the bytes written. */
    private int named(final int at, final String s)
    {
        final RingStrings n = numbers;
        final int id = n == null ? -1 : n.number(s);
        if (id < 0)
        {
            return Utf8.put(buffer, at, s);
        }
        if (!n.defined())
        {
            buffer.putInt(at, RingStrings.marker(id, false));
            return Integer.BYTES;
        }
        buffer.putInt(at, RingStrings.marker(id, true));
        return Integer.BYTES + Utf8.put(buffer, at + Integer.BYTES, s);
    }

    private int appendSpec(final Task t, final int from)
    {
        final ExpandableArrayBuffer b = buffer;
        int at = from;
        b.putLong(at, t.costTokens());
        b.putLong(at + 8, t.requiredSkills());
        b.putLong(at + 16, t.ttlNanos());
        b.putLong(at + 24, t.timeoutNanos());
        b.putInt(at + 32, t.maxRetries());
        b.putByte(at + 36, (byte)t.priority().ordinal());
        at += 37;
        at += Utf8.put(b, at, t.affinityKey());
        at += named(at, t.targetAgent());
        // by name too: a mask's bits are given in the order this JVM first met each skill, so another process
        // (recovery after a crash) would read other skills from the same bits
        final String skills = skillNames.of(t);
        // the strings after the payload must fit in the ring's largest message too (UTF-8: at most 3 bytes a char;
        // a string numbered for the ring for the first time takes a marker ahead of its length)
        final int tail = 6 * Integer.BYTES + 3 * (length(t.tenant()) + length(t.avoidAgent()) + length(skills));
        at = appendPayload(t.payload(), at, tail);
        at += named(at, t.tenant());
        at += named(at, t.avoidAgent());
        at += named(at, skills);
        return at;
    }

    private static int length(final String s)
    {
        return s == null ? 0 : s.length();
    }

    private int appendPayload(final Object payload, final int at, final int tail)
    {
        final ExpandableArrayBuffer b = buffer;
        if (payload == null)
        {
            b.putInt(at, Utf8.NULL_LENGTH);
            return at + Integer.BYTES;
        }
        int flag = 0;
        int length = 0;
        try
        {
            length = codec.encode(payload, b, at + Integer.BYTES);
            if (at + Integer.BYTES + length + tail > maxLength)
            {
                flag = FLAG_PAYLOAD_TOO_LARGE;
            }
        }
        catch (final RuntimeException e)
        {
            // the record must still reach the journal: without it the task would be invisible to audit and recovery
            flag = FLAG_PAYLOAD_UNENCODABLE;
        }
        if (flag != 0)
        {
            payloadFailures++;
            b.putByte(FLAGS_OFFSET, (byte)(b.getByte(FLAGS_OFFSET) | flag));
            b.putInt(at, Utf8.NULL_LENGTH);
            return at + Integer.BYTES;
        }
        b.putInt(at, length);
        return at + Integer.BYTES + length;
    }
}
