package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.TaskView;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static dev.ringmaster.journal.internal.RecordLayout.*;

/**
 * The router's encoder: writes each event straight into the compact form the journal stores (see
 * {@link RecordLayout}, container version 3), framed and checksummed, so the writer only copies it into the batch
 * document; confined to the one thread that journals the router's events. Allocation-free once its buffers have grown
 * to the largest record (a larger payload than any before grows them).
 *
 * <p>Why: compacting the fixed record on the writer was two thirds of the writer's CPU (a JFR of
 * {@code JournalWriterCpuProbe}: walking the fixed record, then its numbers again as variable-length ones), and
 * the writer is a third of a core at 200k tasks/s on a 2-core machine where the router and the workers need both.
 * The router has the values in hand: writing them compactly costs it a seventh of what it saves the writer (about 85 ns
 * more per task, 560 ns less; bench/RESULTS.md, "Encoding on the router side").
 *
 * <p>The compact form refers to a base (task id, sequence, time) and to strings by ids that must be defined in the
 * same document. The router cannot know where the writer's documents start, so it numbers against an <em>epoch</em>
 * of its own (at most {@link #EPOCH_RECORDS} records, {@link #EPOCH_NANOS} of time, and {@link
 * RecordLayout#COMPACT_MAX_STRINGS} strings), and each ring message tells the writer what it depends on: the epoch
 * base and string definitions it introduces, which the writer keeps, and the ids of the epoch's earlier strings it
 * uses, which the writer copies into the document first if the document does not have them yet (see
 * {@link BatchAssembler}). A document never holds two epochs, so an id or a base is never defined twice in one
 * document: damage to an entry can lose records, never give them another record's string.
 *
 * <p>A ring message (type {@link #RING_TYPE} plus the event's code; never on disk):
 * <pre>
 *   task id (int64), flags (int8: FLAG_EPOCH, the message starts an epoch), ref count, kept count (int8 each),
 *   where the framed record starts (int8), where it ends (int32), where the kept entries end (int32)
 *   the record: its framed entry (byte count, CRC32C, bytes), as the batch document holds it
 *   the kept entries, framed likewise: the epoch's base (first, with FLAG_EPOCH) and strings new to the epoch
 *   per ref: an epoch string id the record uses that an earlier message defined (int16)
 *   per kept entry: its string id, or {@link #BASE_ID}, and its framed length (int16 each)
 * </pre>
 */
public final class CompactEncoder
{
    /** Added to the event's code for the ring's message type: a compact message, not a fixed record. */
    public static final int RING_TYPE = 0x100;
    public static final int TASK_ID_AT = 0;
    public static final int FLAGS_AT = 8;
    public static final int REFS_AT = 9;
    public static final int KEPT_AT = 10;
    public static final int RECORD_FROM_AT = 11;
    public static final int RECORD_END_AT = 12;
    public static final int KEPT_END_AT = 16;
    public static final int HEADER_LENGTH = 20;
    /** The message starts an epoch: its first kept entry is the epoch's base. */
    public static final int FLAG_EPOCH = 1;
    /** The kept entry's id that stands for the epoch's base. */
    public static final int BASE_ID = 0xFFFF;
    /** An epoch ends after this many records: the writer's documents rarely span more, and differences stay small. */
    public static final int EPOCH_RECORDS = 1024;
    /** An epoch ends once a record's time is this far from its base (about 16 ms): time differences stay 4 bytes. */
    public static final long EPOCH_NANOS = 1L << 24;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    /** The record's entry starts here, after the header and room for its frame (byte count, checksum). */
    private static final int BODY_AT = HEADER_LENGTH + 5 + Integer.BYTES;
    /** Room for a record's fixed part: its numbers, provenance and task, every one at its widest, and string refs. */
    static final int FIXED_ROOM = 512;

    private final PayloadCodec codec;
    private final long epochOffsetNanos;
    private final int maxLength;
    private final RingStrings numbers = new RingStrings();
    private final CRC32C crc = new CRC32C();
    private final ExpandableArrayBuffer text = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(256);
    private final SkillNames skillNames = new SkillNames();
    private byte[] msg = new byte[2048];
    private final UnsafeBuffer view = new UnsafeBuffer(msg);
    /** The kept entries of the message being encoded, framed. */
    private byte[] kept = new byte[2048];
    private int keptUsed;
    private final int[] keptIds = new int[STRING_SLOTS + 1];
    private final int[] keptLengths = new int[STRING_SLOTS + 1];
    private int keptCount;
    private final int[] refs = new int[STRING_SLOTS];
    private int refCount;
    /** An entry being built before it is framed into {@link #kept}. */
    private byte[] entry = new byte[512];
    /** The UTF-8 bytes of every numbered string, by number, encoded once. */
    private byte[] names = new byte[16 * 1024];
    private int namesUsed;
    private final int[] nameOffsets = new int[RingStrings.MAX_IDS];
    private final int[] nameLengths = new int[RingStrings.MAX_IDS];
    /** Per number: the epoch that gave it an id, and the id. */
    private final long[] numberEpochs = new long[RingStrings.MAX_IDS];
    private final int[] numberIds = new int[RingStrings.MAX_IDS];
    /** Per epoch id: the message that defined or referred to it last, so that a message lists each once. */
    private final long[] idMessages = new long[COMPACT_MAX_STRINGS];
    private long message;
    /** A long: an int would wrap within months at full rate, and a stale epoch's id would then pass for a current one. */
    private long epoch;
    private int epochIds;
    private int epochRecords;
    private boolean epochStarts;
    private long baseTaskId;
    private long baseSequence;
    private long baseNanos;
    /** The router's clock at the epoch's first record, which the epoch's time span goes by. */
    private long baseRouterNanos;
    private long payloadFailures;

    /**
     * @param epochOffsetNanos wall-clock nanos minus {@link System#nanoTime()}, captured once.
     * @param maxLength        the largest message the ring takes; a larger payload is left out and flagged.
     */
    public CompactEncoder(final PayloadCodec codec, final long epochOffsetNanos, final int maxLength)
    {
        this.codec = codec;
        this.epochOffsetNanos = epochOffsetNanos;
        this.maxLength = maxLength;
        Arrays.fill(idMessages, -1);
    }

    /** @return the buffer holding the last encoded message, from index 0. */
    public DirectBuffer buffer()
    {
        return view;
    }

    /** @return payloads left out so far because the codec refused them or they were too large. */
    public long payloadFailures()
    {
        return payloadFailures;
    }

    /** @return the length of the message for an event; {@code agent}, {@code from} and strings may be null. */
    public int encode(final EventType type, final TaskView task, final long nanos, final AgentView agent,
                      final AgentView from, final String strategy, final double score, final double runnerUp,
                      final long value, final String reason)
    {
        final Task t = task.task();
        int at = header(type, t, task, nanos, nanos, value, Double.doubleToRawLongBits(score),
            Double.doubleToRawLongBits(runnerUp), agent == null ? -1 : agent.index(), 0, 0);
        at = strings(at, t.type(), agent == null ? null : agent.id(), from == null ? null : from.id(), strategy, reason);
        return finish(t.id(), at);
    }

    /**
     * @return the length of a CANCELLED message; {@code atShutdown} flags one the dispatcher's shutdown wrote for a
     *     task that had not started ({@link RecordLayout#FLAG_CANCELLED_AT_SHUTDOWN}).
     */
    public int encodeCancelled(final TaskView task, final String reason, final long nanos, final boolean atShutdown)
    {
        final Task t = task.task();
        int at = header(EventType.CANCELLED, t, task, nanos, nanos, 0, NAN_BITS, NAN_BITS, -1,
            atShutdown ? FLAG_CANCELLED_AT_SHUTDOWN : 0, 0);
        at = strings(at, t.type(), null, null, null, reason);
        return finish(t.id(), at);
    }

    /** @return the length of the ACCEPTED message of {@code task}, with the whole task and its payload. */
    public int encodeAccepted(final TaskView task, final long nanos)
    {
        return encodeAccepted(task, nanos, nanos);
    }

    /**
     * As {@link #encodeAccepted(TaskView, long)}, accepted at {@code acceptedNanos} (when {@code submit} took it) and
     * queued at {@code queuedNanos} (when the router took it in, where its queue wait starts); the second is stored
     * only where it differs.
     */
    public int encodeAccepted(final TaskView task, final long acceptedNanos, final long queuedNanos)
    {
        final Task t = task.task();
        int at = header(EventType.ACCEPTED, t, task, acceptedNanos, queuedNanos,
            queuedNanos == acceptedNanos ? 0 : queuedNanos, NAN_BITS, NAN_BITS, -1, 0, COMPACT_SPEC);
        at = strings(at, t.type(), null, null, null, null);
        return finish(t.id(), spec(t, at));
    }

    /** @return the length of one ACCEPTED message that also carries the task's immediate assignment. */
    public int encodeAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                         final String strategy, final double score, final double runnerUp,
                                         final long assignedNanos)
    {
        final Task t = task.task();
        int at = header(EventType.ACCEPTED, t, task, acceptedNanos, assignedNanos, assignedNanos,
            Double.doubleToRawLongBits(score),
            Double.doubleToRawLongBits(runnerUp), agent.index(), FLAG_ASSIGNED_FOLDED, COMPACT_SPEC);
        at = strings(at, t.type(), agent.id(), null, strategy, null);
        return finish(t.id(), spec(t, at));
    }

    /** @return the length of an ASSIGNED message with the decision's provenance. */
    public int encodeAssigned(final TaskView task, final AgentView agent, final Provenance why, final long nanos)
    {
        final Task t = task.task();
        int at = header(EventType.ASSIGNED, t, task, nanos, nanos, 0, Double.doubleToRawLongBits(why.score()),
            Double.doubleToRawLongBits(why.runnerUp()), agent.index(), FLAG_PROVENANCE, COMPACT_PROVENANCE);
        at = strings(at, t.type(), agent.id(), null, why.strategy(), null);
        return finish(t.id(), provenance(why, at));
    }

    /** @return the length of an ACCEPTED message carrying its immediate assignment and that decision's provenance. */
    public int encodeAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                         final Provenance why, final long assignedNanos)
    {
        final Task t = task.task();
        int at = header(EventType.ACCEPTED, t, task, acceptedNanos, assignedNanos, assignedNanos,
            Double.doubleToRawLongBits(why.score()), Double.doubleToRawLongBits(why.runnerUp()), agent.index(),
            FLAG_ASSIGNED_FOLDED | FLAG_PROVENANCE, COMPACT_PROVENANCE | COMPACT_SPEC);
        at = strings(at, t.type(), agent.id(), null, why.strategy(), null);
        return finish(t.id(), spec(t, provenance(why, at)));
    }

    /** @return the length of one COMPLETED or FAILED message that also carries the attempt's start on the agent. */
    public int encodeOutcomeWithStart(final EventType type, final TaskView task, final AgentView agent, final long value,
                                      final String reason, final long nanos, final long startNanos)
    {
        final Task t = task.task();
        int at = header(type, t, task, nanos, nanos, value, startNanos, NAN_BITS, agent.index(), FLAG_STARTED_FOLDED,
            0);
        at = strings(at, t.type(), agent.id(), null, null, reason);
        return finish(t.id(), at);
    }

    /**
     * Starts a message: a new epoch first if this one is full or old, then the record's header and numbers, as
     * {@link RecordCompactor} writes them from the fixed record. {@code routerNanos} is the router's clock at the
     * event, which an epoch's time span goes by: an ACCEPTED record's time is when submit accepted the task, as far
     * behind as the task waited in the ingress ring, and going by it would start an epoch (and the writer a document)
     * at every such record and the one after it. @return where the record's strings go.
     */
    private int header(final EventType type, final Task t, final TaskView task, final long nanos,
                       final long routerNanos, final long value,
                       final long scoreBits, final long runnerUpBits, final int agentIndex, final int flags,
                       final int spec)
    {
        message++;
        keptUsed = 0;
        keptCount = 0;
        refCount = 0;
        final long taskId = t.id();
        final long sequence = task.sequence();
        if (epochRecords == 0 || epochRecords >= EPOCH_RECORDS || epochIds > COMPACT_MAX_STRINGS - STRING_SLOTS ||
            Math.abs(routerNanos - baseRouterNanos) > EPOCH_NANOS)
        {
            startEpoch(taskId, sequence, nanos);
            baseRouterNanos = routerNanos;
        }
        epochRecords++;
        final byte[] b = msg;
        b[BODY_AT] = (byte)type.code();
        b[BODY_AT + 1] = (byte)VERSION;
        b[BODY_AT + 2] = (byte)task.priority().ordinal();
        b[BODY_AT + 3] = (byte)flags;
        int mask = spec;
        final boolean valueDelta = Varint.signedLength(value - nanos) < Varint.signedLength(value);
        if (valueDelta)
        {
            mask |= COMPACT_VALUE_DELTA;
        }
        mask |= RecordCompactor.slotMask(scoreBits, nanos, COMPACT_SCORE_PRESENT, COMPACT_SCORE_DELTA);
        mask |= RecordCompactor.slotMask(runnerUpBits, nanos, COMPACT_RUNNER_UP_PRESENT, COMPACT_RUNNER_UP_DELTA);
        b[BODY_AT + 4] = (byte)mask;
        int at = BODY_AT + 5;
        at = Varint.putSigned(b, at, taskId - baseTaskId);
        at = Varint.putSigned(b, at, sequence - baseSequence);
        at = Varint.putSigned(b, at, nanos - baseNanos);
        at = Varint.putSigned(b, at, 0); // the wall-clock offset: one per journal, the base's
        at = Varint.putSigned(b, at, valueDelta ? value - nanos : value);
        at = RecordCompactor.putSlot(b, at, scoreBits, nanos, mask, COMPACT_SCORE_PRESENT, COMPACT_SCORE_DELTA);
        at = RecordCompactor.putSlot(b, at, runnerUpBits, nanos, mask, COMPACT_RUNNER_UP_PRESENT, COMPACT_RUNNER_UP_DELTA);
        at = Varint.putSigned(b, at, task.attempt());
        return Varint.putSigned(b, at, agentIndex);
    }

    /** A new epoch: its base is this record's numbers, and every string gets a new id at its next use. */
    private void startEpoch(final long taskId, final long sequence, final long nanos)
    {
        epoch++;
        epochIds = 0;
        epochRecords = 0;
        baseTaskId = taskId;
        baseSequence = sequence;
        baseNanos = nanos;
        final byte[] e = entry;
        e[0] = COMPACT_BASE;
        int at = 1;
        at = Varint.putSigned(e, at, taskId);
        at = Varint.putSigned(e, at, sequence);
        at = Varint.putSigned(e, at, nanos);
        at = Varint.putSigned(e, at, epochOffsetNanos);
        keep(BASE_ID, at);
        epochStarts = true;
    }

    private int strings(final int from, final String type, final String agent, final String fromAgent,
                        final String strategy, final String reason)
    {
        int at = named(from, type);
        at = named(at, agent);
        at = named(at, fromAgent);
        at = named(at, strategy);
        return inline(at, reason); // reasons may be new text each time (an exception's message)
    }

    private int provenance(final Provenance why, final int from)
    {
        final AgentView runnerUp = why.runnerUpAgent();
        final AgentView shadow = why.shadowAgent();
        final String shadowStrategy = why.shadowStrategy();
        final byte[] b = msg;
        int at = from;
        at = Varint.putSigned(b, at, why.candidates());
        at = Varint.putSigned(b, at, why.strategyVersion());
        at = Varint.putSigned(b, at, runnerUp == null ? -1 : runnerUp.index());
        final boolean hasRandom = why.hasRandomState();
        final long regret = Double.doubleToRawLongBits(why.shadowRegretNanos());
        b[at++] = (byte)((hasRandom ? PROV_FLAG_RANDOM_STATE : 0) | (why.fellBack() ? PROV_FLAG_FELL_BACK : 0));
        b[at++] = (byte)((hasRandom ? COMPACT_PROV_RANDOM_RAW : 0) | (regret != NAN_BITS ? COMPACT_PROV_REGRET : 0));
        if (hasRandom)
        {
            LONG.set(b, at, why.randomState());
            at += Long.BYTES;
        }
        else
        {
            at = Varint.putSigned(b, at, 0);
        }
        at = Varint.putSigned(b, at, shadowStrategy == null ? Provenance.NO_SHADOW :
            shadow == null ? Provenance.NONE : shadow.index());
        if (regret != NAN_BITS)
        {
            LONG.set(b, at, regret);
            at += Long.BYTES;
        }
        at = named(at, runnerUp == null ? null : runnerUp.id());
        at = named(at, shadowStrategy);
        return named(at, shadow == null ? null : shadow.id());
    }

    /** The task as submitted, as the compact form orders it (see {@link RecordLayout}). */
    private int spec(final Task t, final int from)
    {
        final byte[] b = msg;
        int at = from;
        at = Varint.putSigned(b, at, t.costTokens());
        at = Varint.putSigned(b, at, t.requiredSkills());
        at = Varint.putSigned(b, at, t.ttlNanos());
        at = Varint.putSigned(b, at, t.timeoutNanos());
        at = Varint.putSigned(b, at, t.maxRetries());
        b[at++] = (byte)t.priority().ordinal();
        at = inline(at, t.affinityKey()); // keys may be new each time: numbering them would fill the table
        at = named(at, t.targetAgent());
        // by name too: a mask's bits are given in the order this JVM first met each skill
        final String skills = skillNames.of(t);
        at = payload(t.payload(), at, 3 * (length(t.tenant()) + length(t.avoidAgent()) + length(skills)));
        at = named(at, t.tenant());
        at = named(at, t.avoidAgent());
        return named(at, skills);
    }

    /** The payload as byte count + 1 (0 for null) and its bytes; left out, and flagged, if refused or too large. */
    private int payload(final Object value, final int at, final int tail)
    {
        if (value == null)
        {
            msg[at] = 0;
            return at + 1;
        }
        int flag = 0;
        int length = 0;
        try
        {
            length = codec.encode(value, payload, 0);
            if (at + length + keptUsed + tail + FIXED_ROOM > maxLength)
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
            msg[BODY_AT + 3] |= (byte)flag;
            msg[at] = 0;
            return at + 1;
        }
        ensure(at + Varint.MAX_LENGTH + length + tail + FIXED_ROOM);
        final int bytesAt = Varint.put(msg, at, length + 1L);
        payload.getBytes(0, msg, bytesAt, length);
        return bytesAt + length;
    }

    /** A string that recurs: by its id in the epoch, defined for the epoch at its first use; in full if unnumbered. */
    private int named(final int at, final String s)
    {
        if (s == null)
        {
            msg[at] = COMPACT_STRING_NULL;
            return at + 1;
        }
        final int number = numbers.number(s);
        if (number < 0)
        {
            return inline(at, s);
        }
        if (numbers.defined())
        {
            learn(number, s);
        }
        final int id;
        if (numberEpochs[number] == epoch)
        {
            id = numberIds[number];
            if (idMessages[id] != message)
            {
                idMessages[id] = message;
                refs[refCount++] = id;
            }
        }
        else
        {
            if (epochIds == COMPACT_MAX_STRINGS)
            {
                return inline(at, s);
            }
            id = epochIds++;
            numberEpochs[number] = epoch;
            numberIds[number] = id;
            idMessages[id] = message;
            final int length = nameLengths[number];
            final byte[] e = entry;
            e[0] = COMPACT_STRING;
            int end = Varint.put(e, 1, id);
            end = Varint.put(e, end, length);
            System.arraycopy(names, nameOffsets[number], e, end, length);
            keep(id, end + length);
        }
        return Varint.put(msg, at, COMPACT_STRING_FIRST_ID + id);
    }

    /** A string in full, right in the record: reasons, affinity keys, strings too long or too many to number. */
    private int inline(final int at, final String s)
    {
        if (s == null)
        {
            msg[at] = COMPACT_STRING_NULL;
            return at + 1;
        }
        final int length = Utf8.put(text, 0, s) - Integer.BYTES;
        ensure(at + 2 * Varint.MAX_LENGTH + length + FIXED_ROOM);
        int next = Varint.put(msg, at, COMPACT_STRING_INLINE);
        next = Varint.put(msg, next, length);
        text.getBytes(Integer.BYTES, msg, next, length);
        return next + length;
    }

    /** Keeps the bytes of number {@code number}'s string: the encoder defines it again in every epoch that uses it. */
    private void learn(final int number, final String s)
    {
        final int length = Utf8.put(text, 0, s) - Integer.BYTES;
        if (namesUsed + length > names.length)
        {
            names = Arrays.copyOf(names, Math.max(2 * names.length, namesUsed + length));
        }
        text.getBytes(Integer.BYTES, names, namesUsed, length);
        nameOffsets[number] = namesUsed;
        nameLengths[number] = length;
        namesUsed += length;
        if (entry.length < 3 * Varint.MAX_LENGTH + length)
        {
            entry = new byte[3 * Varint.MAX_LENGTH + length + 512];
        }
    }

    /** Frames the entry of {@code length} bytes in {@link #entry} into the kept entries, with its checksum. */
    private void keep(final int id, final int length)
    {
        if (keptUsed + Varint.MAX_LENGTH + Integer.BYTES + length > kept.length)
        {
            kept = Arrays.copyOf(kept, 2 * (keptUsed + Varint.MAX_LENGTH + Integer.BYTES + length));
        }
        final int start = keptUsed;
        int at = Varint.put(kept, start, length);
        crc.reset();
        crc.update(entry, 0, length);
        INT.set(kept, at, (int)crc.getValue());
        at += Integer.BYTES;
        System.arraycopy(entry, 0, kept, at, length);
        keptUsed = at + length;
        keptIds[keptCount] = id;
        keptLengths[keptCount++] = keptUsed - start;
    }

    /**
     * Frames the record, then appends the kept entries and the lists the writer reads, and fills the header.
     *
     * @return the message's length.
     */
    private int finish(final long taskId, final int bodyEnd)
    {
        final int bodyLength = bodyEnd - BODY_AT;
        final int recordFrom = BODY_AT - Integer.BYTES - unsignedLength(bodyLength);
        ensure(bodyEnd + keptUsed + 2 * Short.BYTES * (refCount + 2 * keptCount));
        final byte[] b = msg;
        Varint.put(b, recordFrom, bodyLength);
        crc.reset();
        crc.update(b, BODY_AT, bodyLength);
        INT.set(b, BODY_AT - Integer.BYTES, (int)crc.getValue());
        if (keptUsed > 0)
        {
            System.arraycopy(kept, 0, b, bodyEnd, keptUsed);
        }
        final int keptEnd = bodyEnd + keptUsed;
        int at = keptEnd;
        for (int i = 0; i < refCount; i++)
        {
            SHORT.set(b, at, (short)refs[i]);
            at += Short.BYTES;
        }
        for (int i = 0; i < keptCount; i++)
        {
            SHORT.set(b, at, (short)keptIds[i]);
            SHORT.set(b, at + Short.BYTES, (short)keptLengths[i]);
            at += 2 * Short.BYTES;
        }
        LONG.set(b, TASK_ID_AT, taskId);
        b[FLAGS_AT] = (byte)(epochStarts ? FLAG_EPOCH : 0);
        b[REFS_AT] = (byte)refCount;
        b[KEPT_AT] = (byte)keptCount;
        b[RECORD_FROM_AT] = (byte)recordFrom;
        INT.set(b, RECORD_END_AT, bodyEnd);
        INT.set(b, KEPT_END_AT, keptEnd);
        epochStarts = false;
        return at;
    }

    private static int unsignedLength(final int value)
    {
        return value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;
    }

    /** Grows the message buffer (keeping what it holds) to at least {@code capacity} bytes. */
    private void ensure(final int capacity)
    {
        if (capacity > msg.length)
        {
            msg = Arrays.copyOf(msg, Math.max(2 * msg.length, capacity));
            view.wrap(msg);
        }
    }

    private static int length(final String s)
    {
        return s == null ? 0 : s.length();
    }
}
