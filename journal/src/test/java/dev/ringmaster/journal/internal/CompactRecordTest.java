package dev.ringmaster.journal.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.ringmaster.journal.internal.RecordLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compact form of a batch gives back every record byte for byte, and it is much smaller. */
class CompactRecordTest
{
    private static final String[] STRINGS = {null, "", "coder", "agent-1", "agent-2", "least-connections", "tenant-a",
        "timeout after 2 s", "\u00e9t\u00e9 \ud83d\ude00", "x".repeat(300)};

    @Property(tries = 300)
    void aBatchOfRecordsExpandsToTheSameBytes(@ForAll("batches") final List<byte[]> records)
    {
        assertThat(readBatch(writeBatch(records), -1)).containsExactlyElementsOf(
            records.stream().map(CompactRecordTest::withChecksum).toList());
    }

    @Property(tries = 200)
    void aLostRecordTakesNoOtherRecordWithIt(@ForAll("batches") final List<byte[]> records, @ForAll final int pick)
    {
        final int lost = Math.floorMod(pick, records.size());
        final List<byte[]> expected = new java.util.ArrayList<>();
        for (int i = 0; i < records.size(); i++)
        {
            if (i != lost)
            {
                expected.add(withChecksum(records.get(i)));
            }
        }
        assertThat(readBatch(writeBatch(records), lost)).containsExactlyElementsOf(expected);
    }

    @Test
    void aTasksTwoRecordsTakeAFractionOfTheirFixedSize()
    {
        final List<byte[]> records = new java.util.ArrayList<>();
        for (int task = 0; task < 100; task++)
        {
            final long nanos = 1_000_000_000L + task * 5_000L;
            records.add(record(ACCEPTED_CODE, task, task, nanos, nanos + 900, Double.doubleToRawLongBits(2.0),
                NAN_BITS, 1, task % 4, new String[] {"coder", "agent-" + task % 4, null, "least-connections", null}, true,
                "payload-" + task));
            records.add(record(COMPLETED_CODE, task, task, nanos + 4_000, 120, nanos + 1_500, NAN_BITS, 1,
                task % 4, new String[] {"coder", "agent-" + task % 4, null, null, null}, false, null));
        }
        final long fixed = records.stream().mapToLong(r -> r.length).sum();
        final long compact = writeBatch(records).capacity();
        assertThat(compact * 3).as("compact %d bytes against %d fixed", compact, fixed).isLessThan(fixed);
    }

    @Test
    void aRecordOfAnotherVersionIsKeptWhole()
    {
        final byte[] r = record(ACCEPTED_CODE, 7, 1, 10, 0, NAN_BITS, NAN_BITS, 1, -1, new String[5], true, "p");
        r[VERSION_OFFSET] = 1;
        final UnsafeBuffer batch = writeBatch(List.of(r));
        assertThat(batch.capacity()).isLessThan(r.length + 8);
        assertThat(readBatch(batch, -1)).containsExactly(withChecksum(r));
    }

    @Test
    void aReferenceToAStringWhoseDefinitionWasLostIsReportedNotReadAsAnotherString()
    {
        final String[] strings = {"coder", "agent-1", null, null, null};
        final byte[] r = record(COMPLETED_CODE, 1, 1, 10, 0, NAN_BITS, NAN_BITS, 1, 0, strings, false, null);
        final RecordCompactor compactor = new RecordCompactor();
        compactor.startBatch();
        final int n = compactor.compact(new UnsafeBuffer(r), 0, r.length);
        final UnsafeBuffer entries = new UnsafeBuffer(Arrays.copyOf(compactor.bytes(), n));
        final RecordExpander expander = new RecordExpander();
        expander.startBatch();
        final Varint.Cursor c = new Varint.Cursor();
        int seen = 0;
        while (c.at < n)
        {
            final int length = (int)Varint.get(entries, c, n);
            final int body = c.at + Integer.BYTES;
            c.at = body + length;
            if (entries.getByte(body) == COMPACT_STRING && seen++ == 0)
            {
                continue; // the definition of "coder" is lost
            }
            if (c.at == n)
            {
                assertThatThrownBy(() -> expander.expand(entries, body, length))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("never defined in it");
                return;
            }
            expander.expand(entries, body, length);
        }
        throw new AssertionError("no record entry");
    }

    /** @return the records compacted into one batch's entries, back to back, as the writer appends them. */
    private static UnsafeBuffer writeBatch(final List<byte[]> records)
    {
        final RecordCompactor compactor = new RecordCompactor();
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(1024);
        int at = 0;
        compactor.startBatch();
        for (final byte[] r : records)
        {
            final int n = compactor.compact(new UnsafeBuffer(r), 0, r.length);
            batch.putBytes(at, compactor.bytes(), 0, n);
            at += n;
        }
        return new UnsafeBuffer(Arrays.copyOf(batch.byteArray(), at));
    }

    /**
     * @param lostRecord the index of a record whose entry is skipped as damaged (its checksum failed), or -1.
     * @return the fixed records expanded from a batch's entries, each checksum checked.
     */
    static List<byte[]> readBatch(final UnsafeBuffer batch, final int lostRecord)
    {
        final RecordExpander expander = new RecordExpander();
        expander.startBatch();
        final List<byte[]> records = new java.util.ArrayList<>();
        final Varint.Cursor c = new Varint.Cursor();
        final CRC32C crc = new CRC32C();
        int record = 0;
        while (c.at < batch.capacity())
        {
            final int length = (int)Varint.get(batch, c, batch.capacity());
            final int body = c.at + Integer.BYTES;
            crc.reset();
            crc.update(batch.byteArray(), body, length);
            assertThat(batch.getInt(c.at)).isEqualTo((int)crc.getValue());
            c.at = body + length;
            final byte kind = batch.getByte(body);
            if (kind != COMPACT_BASE && kind != COMPACT_STRING && record++ == lostRecord)
            {
                continue;
            }
            final int n = expander.expand(batch, body, length);
            if (n > 0)
            {
                records.add(Arrays.copyOf(expander.bytes(), n));
            }
        }
        return records;
    }

    private static final int ACCEPTED_CODE = 1;
    private static final int COMPLETED_CODE = 5;

    @Provide
    Arbitrary<List<byte[]>> batches()
    {
        final Arbitrary<Long> big = Arbitraries.longs();
        final Arbitrary<Long> small = Arbitraries.longs().between(-1_000, 100_000);
        final Arbitrary<Long> slot = Arbitraries.oneOf(Arbitraries.just(NAN_BITS), big, small,
            Arbitraries.doubles().map(Double::doubleToRawLongBits));
        final Arbitrary<String> string = Arbitraries.of(STRINGS);
        final Arbitrary<long[]> numbers = Combinators.combine(
            Arbitraries.integers().between(1, 11), Arbitraries.oneOf(big, small), Arbitraries.oneOf(big, small),
            Arbitraries.oneOf(big, small), Arbitraries.oneOf(big, small), slot, slot,
            Arbitraries.integers().between(-1, 40))
            .as((type, id, seq, nanos, value, score, runnerUp, agent) ->
                new long[] {type, id, seq, nanos, value, score, runnerUp, agent});
        final Arbitrary<String> payload = Arbitraries.oneOf(Arbitraries.just((String)null),
            Arbitraries.strings().ofMaxLength(40));
        final Arbitrary<byte[]> record = Combinators.combine(numbers, string.array(String[].class).ofSize(5),
                Arbitraries.of(true, false), payload, Arbitraries.of(true, false))
            .as((n, strings, spec, p, why) -> record((int)n[0], n[1], n[2], n[3], n[4], n[5], n[6],
                1 + (int)Math.abs(n[7]) % 3, (int)n[7], strings, spec, p, why));
        return record.list().ofMinSize(1).ofMaxSize(12);
    }

    /** @return a fixed-layout record as the encoder writes it (checksum 0: the writer stamps it). */
    static byte[] record(final int type, final long id, final long sequence, final long nanos, final long value,
                         final long score, final long runnerUp, final int attempt, final int agent,
                         final String[] strings, final boolean spec, final String payload)
    {
        return record(type, id, sequence, nanos, value, score, runnerUp, attempt, agent, strings, spec, payload, false);
    }

    /** @param provenance a version 3 record with a provenance block (values drawn from the others), else version 2. */
    static byte[] record(final int type, final long id, final long sequence, final long nanos, final long value,
                         final long score, final long runnerUp, final int attempt, final int agent,
                         final String[] strings, final boolean spec, final String payload, final boolean provenance)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        b.putByte(TYPE_OFFSET, (byte)type);
        b.putByte(VERSION_OFFSET, (byte)(provenance ? 3 : 2));
        b.putByte(PRIORITY_OFFSET, (byte)(id & 3));
        b.putByte(FLAGS_OFFSET, (byte)((spec ? FLAG_ASSIGNED_FOLDED : 0) | (provenance ? FLAG_PROVENANCE : 0)));
        b.putLong(TASK_ID_OFFSET, id);
        b.putLong(SEQUENCE_OFFSET, sequence);
        b.putLong(NANOS_OFFSET, nanos);
        b.putLong(EPOCH_NANOS_OFFSET, nanos + 1_764_000_000_000_000_000L);
        b.putLong(VALUE_OFFSET, value);
        b.putLong(SCORE_OFFSET, score);
        b.putLong(RUNNER_UP_OFFSET, runnerUp);
        b.putInt(ATTEMPT_OFFSET, attempt);
        b.putInt(AGENT_INDEX_OFFSET, agent);
        int at = STRINGS_OFFSET;
        for (final String s : strings)
        {
            at += Utf8.put(b, at, s);
        }
        if (provenance)
        {
            b.putInt(at + PROV_CANDIDATES, agent + 2);
            b.putInt(at + PROV_STRATEGY_VERSION, attempt);
            b.putInt(at + PROV_RUNNER_UP_INDEX, agent - 1);
            b.putByte(at + PROV_HAS_RANDOM_STATE, (byte)(id & 3)); // random state, and the fallback's flag
            b.putLong(at + PROV_RANDOM_STATE, (id & 1) != 0 ? id * 0x9E3779B97F4A7C15L : 0);
            b.putInt(at + PROV_SHADOW_INDEX, agent % 3 - 2);
            b.putLong(at + PROV_SHADOW_REGRET, (sequence & 1) != 0 ? NAN_BITS : Double.doubleToRawLongBits(sequence * 1e-6));
            at += PROVENANCE_FIXED_LENGTH;
            at += Utf8.put(b, at, strings[1]);
            at += Utf8.put(b, at, strings[3]);
            at += Utf8.put(b, at, strings[2]);
        }
        if (spec)
        {
            b.putLong(at, value & 0xFFFF);
            b.putLong(at + 8, id);
            b.putLong(at + 16, nanos);
            b.putLong(at + 24, 0);
            b.putInt(at + 32, 3);
            b.putByte(at + 36, (byte)2);
            at += SPEC_FIXED_BYTES;
            at += Utf8.put(b, at, strings[4]);
            at += Utf8.put(b, at, strings[1]);
            at += Utf8.put(b, at, payload); // a payload is framed like a string
            at += Utf8.put(b, at, strings[0]);
            at += Utf8.put(b, at, null);
            at += Utf8.put(b, at, strings[2]);
        }
        return Arrays.copyOf(b.byteArray(), at);
    }

    static byte[] withChecksum(final byte[] record)
    {
        final byte[] r = record.clone();
        final CRC32C crc = new CRC32C();
        crc.update(r, CHECKSUMMED_FROM, r.length - CHECKSUMMED_FROM);
        new UnsafeBuffer(r).putInt(CHECKSUM_OFFSET, (int)crc.getValue());
        return r;
    }
}
