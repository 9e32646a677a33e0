package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.Utf8;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.zip.CRC32C;

import static dev.ringmaster.journal.internal.RecordLayout.*;

/**
 * A flyweight over one journal record (layout in {@link dev.ringmaster.journal.internal.RecordLayout}), valid only
 * during the {@link RecordHandler} callback that receives it; confined to the reading thread. Strings are decoded
 * when asked for; {@link #toEvent()} copies the record into an immutable {@link JournalEvent} to keep.
 */
public final class JournalRecord
{
    private static final Priority[] PRIORITIES = Priority.values();

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private final CRC32C crc = new CRC32C();
    private int length;
    private long index;
    /** The stored type; {@link #type()} is the type of the event delivered now (a folded record is two events). */
    private EventType storedType;
    private EventType type;
    private int specOffset;
    /** Where the version 3 provenance block starts, -1 if the record has none. */
    private int provenanceOffset;
    private int version;
    /** FLAG_ASSIGNED_FOLDED or FLAG_STARTED_FOLDED if the record holds two events, else 0. */
    private int folded;
    /** Which event of a folded record is delivered now: true for the first (ACCEPTED, or STARTED). */
    private boolean firstOfTwo;

    JournalRecord()
    {
    }

    /**
     * Points at a record and checks it: size, version, type, checksum, string bounds.
     *
     * @return null if the record is sound, else what is wrong with it.
     */
    String wrap(final byte[] bytes, final int offset, final int length, final long index)
    {
        buffer.wrap(bytes, offset, length);
        this.length = length;
        this.index = index;
        if (length < MIN_LENGTH)
        {
            return "record of " + length + " bytes is shorter than the " + MIN_LENGTH + "-byte minimum";
        }
        version = buffer.getByte(VERSION_OFFSET);
        if (version < OLDEST_VERSION || version > VERSION)
        {
            return "record layout version " + version + ", this reader knows versions " + OLDEST_VERSION + " to " +
                VERSION + " (a newer Ringmaster wrote it: read it with that version)";
        }
        crc.reset();
        crc.update(bytes, offset + CHECKSUMMED_FROM, length - CHECKSUMMED_FROM);
        final int stored = buffer.getInt(CHECKSUM_OFFSET);
        if (stored != (int)crc.getValue())
        {
            return String.format("checksum mismatch (stored %08x, computed %08x): the record's bytes differ from what was written, " +
                "the file was overwritten or cut short",
                stored, (int)crc.getValue());
        }
        storedType = EventType.ofCode(buffer.getByte(TYPE_OFFSET));
        type = storedType;
        if (storedType == null)
        {
            return "unknown event type code " + buffer.getByte(TYPE_OFFSET);
        }
        folded = flags() & (FLAG_ASSIGNED_FOLDED | FLAG_STARTED_FOLDED);
        if ((folded == FLAG_ASSIGNED_FOLDED && storedType != EventType.ACCEPTED) || (folded == FLAG_STARTED_FOLDED &&
            storedType != EventType.COMPLETED && storedType != EventType.FAILED) ||
            folded == (FLAG_ASSIGNED_FOLDED | FLAG_STARTED_FOLDED))
        {
            return "fold flags " + folded + " on a " + storedType + " record";
        }
        firstOfTwo = false;
        final int priority = buffer.getByte(PRIORITY_OFFSET);
        if (priority < 0 || priority >= PRIORITIES.length)
        {
            return "priority " + priority + " out of range";
        }
        try
        {
            int at = STRINGS_OFFSET;
            for (int i = 0; i < 5; i++)
            {
                at += Utf8.skip(buffer, at, length);
            }
            provenanceOffset = -1;
            if (version >= 3 && (flags() & FLAG_PROVENANCE) != 0)
            {
                if (storedType != EventType.ASSIGNED && folded != FLAG_ASSIGNED_FOLDED)
                {
                    return "provenance flag on a " + storedType + " record that carries no assignment";
                }
                if (at + PROVENANCE_FIXED_LENGTH > length)
                {
                    return "provenance block runs past the record end";
                }
                provenanceOffset = at;
                at += PROVENANCE_FIXED_LENGTH;
                for (int i = 0; i < 3; i++)
                {
                    at += Utf8.skip(buffer, at, length);
                }
            }
            specOffset = at;
        }
        catch (final IllegalStateException e)
        {
            return e.getMessage();
        }
        return null;
    }

    /**
     * @return the Chronicle Queue index (cycle and sequence) of the document holding the record. The records of one
     *     batch share it, so it is not unique: {@link JournalReader#moveTo} it and read on to reach the record, and
     *     to resume after a record, remember how many of its document's records were read too.
     */
    public long index()
    {
        return index;
    }

    public EventType type()
    {
        return type;
    }

    /** Reader: @return true if the record holds two events (version 2). */
    boolean folded()
    {
        return folded != 0;
    }

    /** Reader: selects which of a folded record's two events the accessors show. */
    void showFirstOfTwo(final boolean first)
    {
        firstOfTwo = first;
        if (folded == FLAG_ASSIGNED_FOLDED)
        {
            type = first ? EventType.ACCEPTED : EventType.ASSIGNED;
        }
        else if (folded == FLAG_STARTED_FOLDED)
        {
            type = first ? EventType.STARTED : storedType;
        }
    }

    /** @return true while the accepted half of an acceptance folded with its assignment is shown. */
    private boolean acceptedHalf()
    {
        return folded == FLAG_ASSIGNED_FOLDED && firstOfTwo;
    }

    public long taskId()
    {
        return buffer.getLong(TASK_ID_OFFSET);
    }

    /** @return the task's priority at the event (re-prioritization may change it). */
    public Priority priority()
    {
        return PRIORITIES[buffer.getByte(PRIORITY_OFFSET)];
    }

    public int flags()
    {
        return buffer.getByte(FLAGS_OFFSET);
    }

    /** @return the dispatcher's acceptance sequence number of the task, -1 for a RECOVERED marker. */
    public long sequence()
    {
        return buffer.getLong(SEQUENCE_OFFSET);
    }

    /** @return {@link System#nanoTime()} of the event in the JVM that wrote it; compare only within a session. */
    public long nanos()
    {
        if (folded == FLAG_ASSIGNED_FOLDED && !firstOfTwo)
        {
            return buffer.getLong(VALUE_OFFSET);
        }
        if (folded == FLAG_STARTED_FOLDED && firstOfTwo)
        {
            return buffer.getLong(SCORE_OFFSET);
        }
        return buffer.getLong(NANOS_OFFSET);
    }

    /**
     * @return for ACCEPTED, {@link System#nanoTime()} when the router took the task in, where its queue wait starts
     *     ({@link #nanos()} is when {@code submit} accepted it; in journals written before the two were told apart,
     *     both are the first); for other records {@link #nanos()}.
     */
    public long queuedNanos()
    {
        if (type != EventType.ACCEPTED)
        {
            return nanos();
        }
        if (folded == FLAG_ASSIGNED_FOLDED)
        {
            return buffer.getLong(VALUE_OFFSET); // placed the moment it was taken in: queued and assigned at once
        }
        final long queued = buffer.getLong(VALUE_OFFSET);
        return queued != 0 ? queued : nanos();
    }

    /** @return wall-clock time of the event, nanoseconds since the epoch. */
    public long epochNanos()
    {
        return buffer.getLong(EPOCH_NANOS_OFFSET) + nanos() - buffer.getLong(NANOS_OFFSET);
    }

    /** @return the value field as the shown event has it: tokens, retry-at, or 0. */
    private long value()
    {
        // an ACCEPTED record's value is when the router took the task in (queuedNanos), no value of the event's
        return type == EventType.ACCEPTED || (folded != 0 && (folded == FLAG_ASSIGNED_FOLDED || firstOfTwo)) ? 0 :
            buffer.getLong(VALUE_OFFSET);
    }

    public long epochMillis()
    {
        return epochNanos() / 1_000_000L;
    }

    /** @return tokens used, for COMPLETED; 0 otherwise. */
    public long tokens()
    {
        return type == EventType.COMPLETED ? value() : 0;
    }

    /** @return nanoTime at which the retry is due, for RETRIED; 0 otherwise. */
    public long retryAtNanos()
    {
        return type == EventType.RETRIED ? value() : 0;
    }

    /** @return how far ahead a PREDICTION reached, in nanoseconds; 0 for other records. */
    public long horizonNanos()
    {
        return type == EventType.PREDICTION ? value() : 0;
    }

    /** @return the strategy's score of the chosen agent, for ASSIGNED; NaN where it has none. */
    public double score()
    {
        return folded == FLAG_STARTED_FOLDED || acceptedHalf() ? Double.NaN : buffer.getDouble(SCORE_OFFSET);
    }

    /** @return the best score among the agents not chosen, for ASSIGNED; NaN where there was none. */
    public double runnerUp()
    {
        return acceptedHalf() ? Double.NaN : buffer.getDouble(RUNNER_UP_OFFSET);
    }

    public int attempt()
    {
        return buffer.getInt(ATTEMPT_OFFSET);
    }

    /** @return the agent's index in its dispatcher, -1 if the event has no agent. */
    public int agentIndex()
    {
        return acceptedHalf() ? -1 : buffer.getInt(AGENT_INDEX_OFFSET);
    }

    public String taskType()
    {
        return string(0);
    }

    /** @return for ADMIN, what the operator asked, e.g. "POST /types/coder/pause"; else null. */
    public String adminWhat()
    {
        return type == EventType.ADMIN ? string(0) : null;
    }

    /** @return for ADMIN, the client's address and port; else null. */
    public String adminFrom()
    {
        return type == EventType.ADMIN ? string(2) : null;
    }

    /** @return for ADMIN, the HTTP status of the answer; else 0. */
    public int adminStatus()
    {
        return type == EventType.ADMIN ? (int)value() : 0;
    }

    /** @return the agent of the event (for STOLEN the thief), or null. */
    public String agentId()
    {
        return acceptedHalf() ? null : string(1);
    }

    /** @return for STOLEN, the agent the task was taken from; else null. */
    public String fromAgentId()
    {
        return string(2);
    }

    /** @return for ASSIGNED, the strategy's name; else null. */
    public String strategy()
    {
        return acceptedHalf() ? null : string(3);
    }

    /** @return why: the failure, dead-letter, expiry, cancellation or recovery reason; else null. */
    public String reason()
    {
        return folded == FLAG_STARTED_FOLDED && firstOfTwo ? null : string(4);
    }

    /**
     * @return the provenance of the assignment shown (version 3 records), or null: for other events, and for
     *     assignments written before version 3.
     */
    public DecisionProvenance provenance()
    {
        if (provenanceOffset < 0 || acceptedHalf())
        {
            return null;
        }
        final int p = provenanceOffset;
        int at = p + PROVENANCE_FIXED_LENGTH;
        final String runnerUpId = Utf8.get(buffer, at, length);
        at += Utf8.skip(buffer, at, length);
        final String shadowStrategy = Utf8.get(buffer, at, length);
        at += Utf8.skip(buffer, at, length);
        final String shadowAgentId = Utf8.get(buffer, at, length);
        final byte flags = buffer.getByte(p + PROV_HAS_RANDOM_STATE);
        return new DecisionProvenance(buffer.getInt(p + PROV_CANDIDATES), buffer.getInt(p + PROV_STRATEGY_VERSION),
            buffer.getInt(p + PROV_RUNNER_UP_INDEX), runnerUpId, (flags & PROV_FLAG_RANDOM_STATE) != 0,
            buffer.getLong(p + PROV_RANDOM_STATE), shadowStrategy, buffer.getInt(p + PROV_SHADOW_INDEX), shadowAgentId,
            buffer.getDouble(p + PROV_SHADOW_REGRET), (flags & PROV_FLAG_FELL_BACK) != 0);
    }

    /** @return true for ACCEPTED and RECOVERED, which carry the whole task. */
    public boolean hasTask()
    {
        return type == EventType.ACCEPTED || type == EventType.RECOVERED;
    }

    /**
     * @return true for a CANCELLED record the dispatcher's shutdown wrote for a task that had not started (or waited
     *     for a retry): the task did not end, and {@link Recovery} finds it open, as after a crash. False for an
     *     operator's cancel, and for every CANCELLED record written before this flag existed.
     */
    public boolean cancelledAtShutdown()
    {
        return type == EventType.CANCELLED && (flags() & FLAG_CANCELLED_AT_SHUTDOWN) != 0;
    }

    /** @return true if the task's payload could not be journaled (see the flags), so the task cannot be rebuilt. */
    public boolean payloadMissing()
    {
        return (flags() & (FLAG_PAYLOAD_UNENCODABLE | FLAG_PAYLOAD_TOO_LARGE)) != 0;
    }

    /**
     * Rebuilds the task as submitted, with its original id, for ACCEPTED and RECOVERED records.
     *
     * @throws IllegalStateException if the record carries no task or its payload is missing or undecodable.
     */
    public Task task(final PayloadCodec codec)
    {
        if (!hasTask())
        {
            throw new IllegalStateException(type + " records do not carry the task");
        }
        if (payloadMissing())
        {
            throw new IllegalStateException("the payload of task " + taskId() + " was not journaled (" +
                ((flags() & FLAG_PAYLOAD_TOO_LARGE) != 0 ? "too large for the ring" : "the codec could not encode it") +
                ")");
        }
        int at = specOffset;
        if (at + 37 > length)
        {
            throw new IllegalStateException("task spec runs past the record end");
        }
        final Task.Builder b = Task.builder(taskType())
            .id(taskId())
            .costTokens(buffer.getLong(at))
            .requiredSkillMask(buffer.getLong(at + 8))
            .maxRetries(buffer.getInt(at + 32))
            .priority(PRIORITIES[buffer.getByte(at + 36)]);
        final long ttl = buffer.getLong(at + 16);
        final long timeout = buffer.getLong(at + 24);
        if (ttl > 0)
        {
            b.ttl(Duration.ofNanos(ttl));
        }
        if (timeout > 0)
        {
            b.timeout(Duration.ofNanos(timeout));
        }
        at += 37;
        b.affinityKey(Utf8.get(buffer, at, length));
        at += Utf8.skip(buffer, at, length);
        b.targetAgent(Utf8.get(buffer, at, length));
        at += Utf8.skip(buffer, at, length);
        if (at + Integer.BYTES > length)
        {
            throw new IllegalStateException("payload length runs past the record end");
        }
        final int payloadLength = buffer.getInt(at);
        if (payloadLength != Utf8.NULL_LENGTH)
        {
            if (payloadLength < 0 || at + Integer.BYTES + payloadLength > length)
            {
                throw new IllegalStateException("payload claims " + payloadLength + " bytes past the record end");
            }
            b.payload(codec.decode(buffer, at + Integer.BYTES, payloadLength));
        }
        if (version >= 2)
        {
            at += Integer.BYTES + Math.max(0, payloadLength);
            b.tenant(Utf8.get(buffer, at, length));
            at += Utf8.skip(buffer, at, length);
            b.avoidAgent(Utf8.get(buffer, at, length));
            at += Utf8.skip(buffer, at, length);
            if (at < length)
            {
                // the skills by name, when written: the mask's bits are only this JVM's if it wrote the record
                final String skills = Utf8.get(buffer, at, length);
                if (skills != null)
                {
                    b.requiredSkills(skills.split(","));
                }
            }
        }
        return b.build();
    }

    /** @return an immutable copy of the record's fields (not the task spec). */
    public JournalEvent toEvent()
    {
        return new JournalEvent(index, type, taskId(), taskType(), priority(), attempt(), sequence(), nanos(),
            epochNanos(), agentId(), fromAgentId(), strategy(), score(), runnerUp(), value(), reason(), provenance(),
            cancelledAtShutdown());
    }

    private String string(final int which)
    {
        int at = STRINGS_OFFSET;
        for (int i = 0; i < which; i++)
        {
            at += Utf8.skip(buffer, at, length);
        }
        return Utf8.get(buffer, at, length);
    }

    /** @return the raw bytes, for tests. */
    DirectBuffer buffer()
    {
        return buffer;
    }
}
