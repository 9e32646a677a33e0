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
    private EventType type;
    private int specOffset;

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
        final int version = buffer.getByte(VERSION_OFFSET);
        if (version != VERSION)
        {
            return "record layout version " + version + ", this reader knows version " + VERSION;
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
        type = EventType.ofCode(buffer.getByte(TYPE_OFFSET));
        if (type == null)
        {
            return "unknown event type code " + buffer.getByte(TYPE_OFFSET);
        }
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
            specOffset = at;
        }
        catch (final IllegalStateException e)
        {
            return e.getMessage();
        }
        return null;
    }

    /** @return the record's Chronicle Queue index (cycle and sequence), usable with {@link JournalReader#moveTo}. */
    public long index()
    {
        return index;
    }

    public EventType type()
    {
        return type;
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
        return buffer.getLong(NANOS_OFFSET);
    }

    /** @return wall-clock time of the event, nanoseconds since the epoch. */
    public long epochNanos()
    {
        return buffer.getLong(EPOCH_NANOS_OFFSET);
    }

    public long epochMillis()
    {
        return epochNanos() / 1_000_000L;
    }

    /** @return tokens used, for COMPLETED; 0 otherwise. */
    public long tokens()
    {
        return type == EventType.COMPLETED ? buffer.getLong(VALUE_OFFSET) : 0;
    }

    /** @return nanoTime at which the retry is due, for RETRIED; 0 otherwise. */
    public long retryAtNanos()
    {
        return type == EventType.RETRIED ? buffer.getLong(VALUE_OFFSET) : 0;
    }

    /** @return the strategy's score of the chosen agent, for ASSIGNED; NaN where it has none. */
    public double score()
    {
        return buffer.getDouble(SCORE_OFFSET);
    }

    /** @return the best score among the agents not chosen, for ASSIGNED; NaN where there was none. */
    public double runnerUp()
    {
        return buffer.getDouble(RUNNER_UP_OFFSET);
    }

    public int attempt()
    {
        return buffer.getInt(ATTEMPT_OFFSET);
    }

    /** @return the agent's index in its dispatcher, -1 if the event has no agent. */
    public int agentIndex()
    {
        return buffer.getInt(AGENT_INDEX_OFFSET);
    }

    public String taskType()
    {
        return string(0);
    }

    /** @return the agent of the event (for STOLEN the thief), or null. */
    public String agentId()
    {
        return string(1);
    }

    /** @return for STOLEN, the agent the task was taken from; else null. */
    public String fromAgentId()
    {
        return string(2);
    }

    /** @return for ASSIGNED, the strategy's name; else null. */
    public String strategy()
    {
        return string(3);
    }

    /** @return why: the failure, dead-letter, expiry, cancellation or recovery reason; else null. */
    public String reason()
    {
        return string(4);
    }

    /** @return true for ACCEPTED and RECOVERED, which carry the whole task. */
    public boolean hasTask()
    {
        return type == EventType.ACCEPTED || type == EventType.RECOVERED;
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
        return b.build();
    }

    /** @return an immutable copy of the record's fields (not the task spec). */
    public JournalEvent toEvent()
    {
        return new JournalEvent(index, type, taskId(), taskType(), priority(), attempt(), sequence(), nanos(),
            epochNanos(), agentId(), fromAgentId(), strategy(), score(), runnerUp(), buffer.getLong(VALUE_OFFSET),
            reason());
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
