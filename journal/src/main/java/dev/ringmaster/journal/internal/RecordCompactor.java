package dev.ringmaster.journal.internal;

import org.agrona.DirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static dev.ringmaster.journal.internal.RecordLayout.*;

/**
 * Turns a record in the fixed {@link RecordLayout} into its compact form for a compact batch (layout in
 * {@link RecordLayout#COMPACT_BATCH_VERSION}); confined to the journal writer thread. Its state (the batch's base
 * numbers, the strings already defined) lives for one batch document: {@link #startBatch} clears it, so every
 * document can be read on its own, after damage or from an index. Allocation-free once its arrays have grown to the
 * largest record.
 *
 * <p>Why compact at all: the journal's cost on the machine is its bytes. Appending to a memory-mapped file costs
 * about 2 ns a byte here (300-byte documents at 600 ns, 60-byte ones at 116 ns), nearly all of it the kernel's page
 * faults on the file's fresh pages, then the write-back of the dirty pages. A task's two fixed records take about 300
 * bytes, mostly eight-byte numbers that are small or close to the batch's first, and the same few strings (the task
 * type, the agent, the strategy) again and again. The work is done on plain arrays (the record is copied out of the
 * ring once): through Agrona's bounds-checked buffers, a byte at a time, compacting cost as much as the bytes saved.
 */
public final class RecordCompactor
{
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int DICTIONARY_MAX = COMPACT_MAX_STRINGS;
    private static final int DICTIONARY_SLOTS = 2 * DICTIONARY_MAX; // a power of two
    private static final int ARENA_BYTES = 32 * 1024;
    /** Room in the output beyond twice the record: the base entry and the frames of up to ten definitions. */
    private static final int FRAMING_SLACK = 512;
    /** Room for the strings a ring record names by number (see {@link RingStrings}): their bytes are not in it. */
    private static final int NAMED_SLACK = STRING_SLOTS * (3 * RingStrings.MAX_CHARS + 16);

    /** The record being compacted, copied out of the ring. */
    private byte[] in = new byte[512];
    /** The framed entries of the last record: its strings' definitions, the batch's base, the record. */
    private byte[] out = new byte[2 * 512 + FRAMING_SLACK + NAMED_SLACK];
    /** The entry being built, framed into {@link #out} once complete. */
    private byte[] entry = new byte[512 + FRAMING_SLACK + NAMED_SLACK];
    private final CRC32C crc = new CRC32C();
    private int outAt;
    /** Per slot: the generation that filled it; a slot of an older generation is empty (no clearing per batch). */
    private final int[] slotGenerations = new int[DICTIONARY_SLOTS];
    private final int[] slotIds = new int[DICTIONARY_SLOTS];
    private int generation;
    private final int[] hashes = new int[DICTIONARY_MAX];
    private final int[] arenaOffsets = new int[DICTIONARY_MAX];
    private final int[] lengths = new int[DICTIONARY_MAX];
    private final byte[] arena = new byte[ARENA_BYTES];
    private int arenaUsed;
    private int kept;
    /**
     * The strings of the record being compacted, found by {@link #fits}: where their bytes start (in {@link #in}, or
     * in {@link #names} for a string the ring named by number), their byte count or {@link Utf8#NULL_LENGTH}, and
     * their ring number or -1.
     */
    private final int[] stringFrom = new int[STRING_SLOTS];
    private final int[] stringLengths = new int[STRING_SLOTS];
    private final int[] stringNumbers = new int[STRING_SLOTS];
    /** The bytes of every string the ring numbered, by number (see {@link RingStrings}); kept across batches. */
    private byte[] names = new byte[16 * 1024];
    private int namesUsed;
    private final int[] nameOffsets = new int[RingStrings.MAX_IDS];
    private final int[] nameLengths = new int[RingStrings.MAX_IDS];
    /** Per ring number: the generation (batch) that defined it, and its id in that batch. */
    private final int[] nameGenerations = new int[RingStrings.MAX_IDS];
    private final int[] nameBatchIds = new int[RingStrings.MAX_IDS];
    private final int[] stringRefs = new int[STRING_SLOTS];
    /** Per string position of a record: the id of the string last there in this batch, or -1. */
    private final int[] lastIds = new int[STRING_SLOTS];
    private int payloadAt;
    /** Where the record's task starts, when it has one. */
    private int specAt;
    /** Where the record's version 3 provenance block starts, or -1. */
    private int provenanceAt;
    private boolean baseWritten;
    private long baseTaskId;
    private long baseSequence;
    private long baseNanos;
    private long baseEpochOffset;

    {
        Arrays.fill(nameLengths, -1);
    }

    /** Forgets the batch before: the next record is compacted against nothing. */
    public void startBatch()
    {
        generation++;
        Arrays.fill(lastIds, -1);
        kept = 0;
        arenaUsed = 0;
        baseWritten = false;
    }

    /** @return the array holding the last compacted record's framed entries, from index 0. */
    public byte[] bytes()
    {
        return out;
    }

    /**
     * Compacts the fixed record at {@code offset}; a record this compactor does not know (another layout version, or
     * a shape it cannot account for byte by byte) is kept whole behind {@link #COMPACT_RAW}, so nothing is lost.
     *
     * @return the length of the framed entries in {@link #bytes()}.
     */
    public int compact(final DirectBuffer src, final int offset, final int length)
    {
        if (in.length < length)
        {
            in = new byte[Math.max(length, 2 * in.length)];
            entry = new byte[in.length + 1 + FRAMING_SLACK + NAMED_SLACK];
            out = new byte[2 * in.length + FRAMING_SLACK + NAMED_SLACK];
        }
        final byte[] r = in;
        src.getBytes(offset, r, 0, length);
        outAt = 0;
        if (!fits(r, length))
        {
            entry[0] = COMPACT_RAW;
            System.arraycopy(r, 0, entry, 1, length);
            frame(1 + length);
            return outAt;
        }
        final long taskId = (long)LONG.get(r, TASK_ID_OFFSET);
        final long sequence = (long)LONG.get(r, SEQUENCE_OFFSET);
        final long nanos = (long)LONG.get(r, NANOS_OFFSET);
        final long epochOffset = (long)LONG.get(r, EPOCH_NANOS_OFFSET) - nanos;
        if (!baseWritten)
        {
            writeBase(taskId, sequence, nanos, epochOffset);
        }
        final long value = (long)LONG.get(r, VALUE_OFFSET);
        final long score = (long)LONG.get(r, SCORE_OFFSET);
        final long runnerUp = (long)LONG.get(r, RUNNER_UP_OFFSET);
        int mask = 0;
        if (Varint.signedLength(value - nanos) < Varint.signedLength(value))
        {
            mask |= COMPACT_VALUE_DELTA;
        }
        mask |= slotMask(score, nanos, COMPACT_SCORE_PRESENT, COMPACT_SCORE_DELTA);
        mask |= slotMask(runnerUp, nanos, COMPACT_RUNNER_UP_PRESENT, COMPACT_RUNNER_UP_DELTA);
        if (payloadAt >= 0)
        {
            mask |= COMPACT_SPEC;
        }
        if (provenanceAt >= 0)
        {
            mask |= COMPACT_PROVENANCE;
        }
        // the record's strings first: those new to the batch go out as definitions ahead of the record
        final int strings = payloadAt >= 0 ? STRINGS_PER_SPEC_RECORD : STRINGS_PER_RECORD;
        for (int i = 0; i < strings; i++)
        {
            stringRefs[i] = reference(i);
        }
        if (provenanceAt >= 0)
        {
            for (int i = STRINGS_PER_SPEC_RECORD; i < STRING_SLOTS; i++)
            {
                stringRefs[i] = reference(i);
            }
        }
        final byte[] b = entry;
        b[0] = r[TYPE_OFFSET];
        b[1] = r[VERSION_OFFSET];
        b[2] = r[PRIORITY_OFFSET];
        b[3] = r[FLAGS_OFFSET];
        b[4] = (byte)mask;
        int at = 5;
        at = Varint.putSigned(b, at, taskId - baseTaskId);
        at = Varint.putSigned(b, at, sequence - baseSequence);
        at = Varint.putSigned(b, at, nanos - baseNanos);
        at = Varint.putSigned(b, at, epochOffset - baseEpochOffset);
        at = Varint.putSigned(b, at, (mask & COMPACT_VALUE_DELTA) != 0 ? value - nanos : value);
        at = putSlot(b, at, score, nanos, mask, COMPACT_SCORE_PRESENT, COMPACT_SCORE_DELTA);
        at = putSlot(b, at, runnerUp, nanos, mask, COMPACT_RUNNER_UP_PRESENT, COMPACT_RUNNER_UP_DELTA);
        at = Varint.putSigned(b, at, (int)INT.get(r, ATTEMPT_OFFSET));
        at = Varint.putSigned(b, at, (int)INT.get(r, AGENT_INDEX_OFFSET));
        for (int i = 0; i < STRINGS_PER_RECORD; i++)
        {
            at = putString(i, at);
        }
        if (provenanceAt >= 0)
        {
            at = putProvenance(r, at);
        }
        if (payloadAt >= 0)
        {
            final int spec = specAt;
            at = Varint.putSigned(b, at, (long)LONG.get(r, spec));
            at = Varint.putSigned(b, at, (long)LONG.get(r, spec + 8));
            at = Varint.putSigned(b, at, (long)LONG.get(r, spec + 16));
            at = Varint.putSigned(b, at, (long)LONG.get(r, spec + 24));
            at = Varint.putSigned(b, at, (int)INT.get(r, spec + 32));
            b[at++] = r[spec + 36];
            at = putString(STRINGS_PER_RECORD, at);
            at = putString(STRINGS_PER_RECORD + 1, at);
            final int payloadLength = (int)INT.get(r, payloadAt);
            at = Varint.put(b, at, payloadLength + 1L); // 0 for null
            if (payloadLength > 0)
            {
                System.arraycopy(r, payloadAt + Integer.BYTES, b, at, payloadLength);
                at += payloadLength;
            }
            for (int i = STRINGS_PER_RECORD + 2; i < STRINGS_PER_SPEC_RECORD; i++)
            {
                at = putString(i, at);
            }
        }
        frame(at);
        return outAt;
    }

    /** The version 3 provenance block: small numbers as variable-length ones, the random state and regret raw. */
    private int putProvenance(final byte[] r, final int from)
    {
        final byte[] b = entry;
        final int p = provenanceAt;
        int at = from;
        at = Varint.putSigned(b, at, (int)INT.get(r, p + PROV_CANDIDATES));
        at = Varint.putSigned(b, at, (int)INT.get(r, p + PROV_STRATEGY_VERSION));
        at = Varint.putSigned(b, at, (int)INT.get(r, p + PROV_RUNNER_UP_INDEX));
        final byte hasRandom = r[p + PROV_HAS_RANDOM_STATE];
        final long random = (long)LONG.get(r, p + PROV_RANDOM_STATE);
        final long regret = (long)LONG.get(r, p + PROV_SHADOW_REGRET);
        final int flags = ((hasRandom & PROV_FLAG_RANDOM_STATE) != 0 ? COMPACT_PROV_RANDOM_RAW : 0) |
            (regret != NAN_BITS ? COMPACT_PROV_REGRET : 0);
        b[at++] = hasRandom;
        b[at++] = (byte)flags;
        if ((flags & COMPACT_PROV_RANDOM_RAW) != 0)
        {
            LONG.set(b, at, random);
            at += Long.BYTES;
        }
        else
        {
            at = Varint.putSigned(b, at, random);
        }
        at = Varint.putSigned(b, at, (int)INT.get(r, p + PROV_SHADOW_INDEX));
        if ((flags & COMPACT_PROV_REGRET) != 0)
        {
            LONG.set(b, at, regret);
            at += Long.BYTES;
        }
        for (int i = STRINGS_PER_SPEC_RECORD; i < STRING_SLOTS; i++)
        {
            at = putString(i, at);
        }
        return at;
    }

    /**
     * The batch's base numbers, an entry of their own: records hold their differences from it, never from the record
     * before, so a record lost to damage leaves every other record's numbers intact.
     */
    private void writeBase(final long taskId, final long sequence, final long nanos, final long epochOffset)
    {
        baseWritten = true;
        baseTaskId = taskId;
        baseSequence = sequence;
        baseNanos = nanos;
        baseEpochOffset = epochOffset;
        entry[0] = COMPACT_BASE;
        int at = 1;
        at = Varint.putSigned(entry, at, taskId);
        at = Varint.putSigned(entry, at, sequence);
        at = Varint.putSigned(entry, at, nanos);
        at = Varint.putSigned(entry, at, epochOffset);
        frame(at);
    }

    /** Appends the entry of {@code length} bytes to the output, behind its byte count and checksum. */
    private void frame(final int length)
    {
        outAt = Varint.put(out, outAt, length);
        crc.reset();
        crc.update(entry, 0, length);
        INT.set(out, outAt, (int)crc.getValue());
        System.arraycopy(entry, 0, out, outAt + Integer.BYTES, length);
        outAt += Integer.BYTES + length;
    }

    /**
     * Walks the record as the version this compactor writes, without writing anything (a compaction that failed half
     * way would have defined strings for a record never written). @return true if every byte is accounted for.
     */
    private boolean fits(final byte[] r, final int length)
    {
        final int version = length < MIN_LENGTH ? -1 : r[VERSION_OFFSET];
        if (version < COMPACTABLE_FROM_VERSION || version > COMPACTABLE_TO_VERSION)
        {
            return false;
        }
        int at = STRINGS_OFFSET;
        for (int i = 0; i < STRINGS_PER_RECORD; i++)
        {
            if ((at = string(i, r, at, length)) < 0)
            {
                return false;
            }
        }
        provenanceAt = -1;
        if (version >= 3 && (r[FLAGS_OFFSET] & FLAG_PROVENANCE) != 0)
        {
            provenanceAt = at;
            at += PROVENANCE_FIXED_LENGTH;
            for (int i = STRINGS_PER_SPEC_RECORD; i < STRING_SLOTS; i++)
            {
                if ((at = string(i, r, at, length)) < 0)
                {
                    return false;
                }
            }
        }
        payloadAt = -1;
        if (at == length)
        {
            return true;
        }
        specAt = at;
        at += SPEC_FIXED_BYTES;
        for (int i = STRINGS_PER_RECORD; i < STRINGS_PER_RECORD + 2; i++)
        {
            if ((at = string(i, r, at, length)) < 0)
            {
                return false;
            }
        }
        payloadAt = at;
        if ((at = skipString(r, at, length)) < 0) // the payload is framed like a string
        {
            return false;
        }
        for (int i = STRINGS_PER_RECORD + 2; i < STRINGS_PER_SPEC_RECORD; i++)
        {
            if ((at = string(i, r, at, length)) < 0)
            {
                return false;
            }
        }
        return at == length;
    }

    /**
     * Finds string {@code slot} of the record at {@code at}: in full, null, or named by its ring number, learning the
     * bytes of a number's first use (kept even if the record turns out not to fit: the ring never sends them again).
     *
     * @return the offset after it, or -1 if it does not fit before {@code end} or names a number never defined.
     */
    private int string(final int slot, final byte[] r, final int at, final int end)
    {
        if (at + Integer.BYTES > end)
        {
            return -1;
        }
        final int prefix = (int)INT.get(r, at);
        if (!RingStrings.isMarker(prefix))
        {
            stringFrom[slot] = at + Integer.BYTES;
            stringLengths[slot] = prefix;
            stringNumbers[slot] = -1;
            return skipString(r, at, end);
        }
        final int number = RingStrings.id(prefix);
        int next = at + Integer.BYTES;
        if (RingStrings.isDefinition(prefix))
        {
            final int bytesEnd = skipString(r, next, end);
            final int length = bytesEnd < 0 ? -1 : (int)INT.get(r, next);
            if (length < 0)
            {
                return -1;
            }
            learn(number, r, next + Integer.BYTES, length);
            next = bytesEnd;
        }
        if (nameLengths[number] < 0)
        {
            return -1;
        }
        stringFrom[slot] = nameOffsets[number];
        stringLengths[slot] = nameLengths[number];
        stringNumbers[slot] = number;
        return next;
    }

    /** Keeps the bytes of ring number {@code number}; grows its store only while the ring defines new numbers. */
    private void learn(final int number, final byte[] r, final int from, final int length)
    {
        if (namesUsed + length > names.length)
        {
            names = Arrays.copyOf(names, Math.max(2 * names.length, namesUsed + length));
        }
        System.arraycopy(r, from, names, namesUsed, length);
        nameOffsets[number] = namesUsed;
        nameLengths[number] = length;
        nameGenerations[number] = 0;
        namesUsed += length;
    }

    /** @return the offset after the length-prefixed string at {@code at}, or -1 if it does not fit before {@code end}. */
    private static int skipString(final byte[] r, final int at, final int end)
    {
        if (at + Integer.BYTES > end)
        {
            return -1;
        }
        final int length = (int)INT.get(r, at);
        if (length < Utf8.NULL_LENGTH || at + Integer.BYTES + Math.max(0, length) > end)
        {
            return -1;
        }
        return at + Integer.BYTES + Math.max(0, length);
    }

    /** @return the mask bits for a score slot: absent if NaN, else present, and a difference from the time if shorter. */
    static int slotMask(final long bits, final long nanos, final int present, final int delta)
    {
        if (bits == NAN_BITS)
        {
            return 0;
        }
        return Varint.signedLength(bits - nanos) < Long.BYTES ? present | delta : present;
    }

    /** Writes a score slot as {@link #slotMask} decided. @return the offset after it. */
    static int putSlot(final byte[] b, final int at, final long bits, final long nanos, final int mask,
                       final int present, final int delta)
    {
        if ((mask & present) == 0)
        {
            return at;
        }
        if ((mask & delta) != 0)
        {
            return Varint.putSigned(b, at, bits - nanos);
        }
        LONG.set(b, at, bits);
        return at + Long.BYTES;
    }

    /** Writes the reference to the record's string {@code i}, found by {@link #reference}. */
    private int putString(final int i, final int at)
    {
        final int ref = stringRefs[i];
        final int next = Varint.put(entry, at, ref);
        if (ref != COMPACT_STRING_INLINE)
        {
            return next;
        }
        final int length = stringLengths[i];
        final int bytesAt = Varint.put(entry, next, length);
        System.arraycopy(stringNumbers[i] >= 0 ? names : in, stringFrom[i], entry, bytesAt, length);
        return bytesAt + length;
    }

    /**
     * @return how the record refers to the string at {@code stringOffset}: null, the id of a string defined earlier
     *     in the batch, or in full when the batch has no more room for definitions. A string new to the batch is
     *     defined here, in an entry of its own ahead of the record, so that damage to one record cannot take with it
     *     a string other records refer to.
     */
    private int reference(final int position)
    {
        final byte[] r = in;
        final int length = stringLengths[position];
        if (length == Utf8.NULL_LENGTH)
        {
            return COMPACT_STRING_NULL;
        }
        if (stringNumbers[position] >= 0)
        {
            return numbered(stringNumbers[position], length);
        }
        final int from = stringFrom[position];
        // most strings are where they were in the record before (the task type, the strategy): try that one first
        final int last = lastIds[position];
        if (last >= 0 && lengths[last] == length && same(r, from, arenaOffsets[last], length))
        {
            return COMPACT_STRING_FIRST_ID + last;
        }
        final int hash = hash(r, from, length);
        int slot = hash & (DICTIONARY_SLOTS - 1);
        while (slotGenerations[slot] == generation)
        {
            final int id = slotIds[slot];
            if (hashes[id] == hash && lengths[id] == length && same(r, from, arenaOffsets[id], length))
            {
                lastIds[position] = id;
                return COMPACT_STRING_FIRST_ID + id;
            }
            slot = (slot + 1) & (DICTIONARY_SLOTS - 1);
        }
        if (kept == DICTIONARY_MAX || arenaUsed + length > ARENA_BYTES)
        {
            return COMPACT_STRING_INLINE;
        }
        final int id = kept++;
        System.arraycopy(r, from, arena, arenaUsed, length);
        hashes[id] = hash;
        arenaOffsets[id] = arenaUsed;
        lengths[id] = length;
        arenaUsed += length;
        slotGenerations[slot] = generation;
        slotIds[slot] = id;
        lastIds[position] = id;
        entry[0] = COMPACT_STRING;
        int at = Varint.put(entry, 1, id);
        at = Varint.put(entry, at, length);
        System.arraycopy(r, from, entry, at, length);
        frame(at + length);
        return COMPACT_STRING_FIRST_ID + id;
    }

    /**
     * A string the ring named by number: its id in the batch, found by indexing, or defined here. It stays out of the
     * by-content dictionary (its length there is -1, so no lookup by content ever matches it): a string sent both ways
     * is defined twice in a batch at worst, which costs bytes, never a wrong value.
     */
    private int numbered(final int number, final int length)
    {
        if (nameGenerations[number] == generation)
        {
            return COMPACT_STRING_FIRST_ID + nameBatchIds[number];
        }
        if (kept == DICTIONARY_MAX)
        {
            return COMPACT_STRING_INLINE;
        }
        final int id = kept++;
        lengths[id] = -1;
        nameGenerations[number] = generation;
        nameBatchIds[number] = id;
        entry[0] = COMPACT_STRING;
        int at = Varint.put(entry, 1, id);
        at = Varint.put(entry, at, length);
        System.arraycopy(names, nameOffsets[number], entry, at, length);
        frame(at + length);
        return COMPACT_STRING_FIRST_ID + id;
    }

    /** Eight bytes at a time, without a call: most strings are a few bytes, for which a call costs more than the compare. */
    private boolean same(final byte[] r, final int from, final int arenaOffset, final int length)
    {
        final byte[] a = arena;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if ((long)LONG.get(r, from + i) != (long)LONG.get(a, arenaOffset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (r[from + i] != a[arenaOffset + i])
            {
                return false;
            }
        }
        return true;
    }

    /** Eight bytes at a time: the writer hashes every string of every record, most of them ids and names. */
    private static int hash(final byte[] r, final int from, final int length)
    {
        long h = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            h = (h ^ (long)LONG.get(r, from + i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < length; i++)
        {
            h = (h ^ r[from + i]) * 0x9E3779B97F4A7C15L;
        }
        return (int)(h ^ (h >>> 29));
    }
}
