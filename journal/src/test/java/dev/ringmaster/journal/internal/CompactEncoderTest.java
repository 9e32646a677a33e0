package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static dev.ringmaster.journal.internal.RecordLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's compact messages, gathered into documents by the writer's {@link BatchAssembler} however the documents
 * fall (one starting in the middle of the router's epoch, a string defined in one document and used in the next,
 * the router's records between other encoders' fixed records, epochs ended by count, by time and by their strings),
 * read back byte for byte as the fixed records the same events make; and damage to any one entry of a document
 * loses records, never gives one a wrong value.
 */
class CompactEncoderTest
{
    private static final String LONG_TYPE = "t".repeat(RingStrings.MAX_CHARS + 1);
    private static final long EPOCH_OFFSET = 1_700_000_000_000_000_000L;
    private final FakePool pool = new FakePool(4);

    @Property(tries = 40)
    void everyDocumentReadsBackAsTheFixedRecords(@ForAll final long seed,
                                                 @ForAll @IntRange(min = 1, max = 300) final int documentRecords)
    {
        final Run run = new Run(seed, documentRecords);
        run.events(1_500);
        assertThat(run.documents.size()).isGreaterThan(1);
        final List<byte[]> actual = new ArrayList<>();
        for (final byte[] document : run.documents)
        {
            actual.addAll(CompactRecordTest.readBatch(entries(document), -1));
        }
        assertThat(actual).hasSameSizeAs(run.expected);
        for (int i = 0; i < actual.size(); i++)
        {
            assertThat(actual.get(i)).as("record %d", i).isEqualTo(run.expected.get(i));
        }
    }

    @Property(tries = 60)
    void aDamagedEntryLosesRecordsButNeverGivesOneAWrongValue(@ForAll final long seed,
                                                              @ForAll @IntRange(min = 1, max = 60) final int documentRecords,
                                                              @ForAll final int pick)
    {
        final Run run = new Run(seed, documentRecords);
        run.events(300);
        int first = 0;
        int lost = 0;
        for (int d = 0; d < run.documents.size(); d++)
        {
            final UnsafeBuffer entries = entries(run.documents.get(d));
            final int count = run.recordsPerDocument.get(d);
            final List<byte[]> expected = run.expected.subList(first, first + count);
            lost += readDamaged(entries, Math.floorMod(pick + d, entryCount(entries)), expected);
            first += count;
        }
        assertThat(lost).as("a damaged entry in each document").isGreaterThan(0);
    }

    @Test
    void anEpochOutOfStringIdsStartsAnother()
    {
        final Run run = new Run(11, 5_000);
        run.uniqueTypes = true;
        run.events(2 * COMPACT_MAX_STRINGS);
        final List<byte[]> actual = new ArrayList<>();
        for (final byte[] document : run.documents)
        {
            actual.addAll(CompactRecordTest.readBatch(entries(document), -1));
        }
        assertThat(run.documents.size()).as("one document per epoch").isGreaterThan(1);
        assertThat(actual).containsExactlyElementsOf(run.expected);
    }

    @Test
    void aTasksTwoRecordsTakeNoMoreBytesThanTheWriterCompactingThem()
    {
        final CompactEncoder encoder = new CompactEncoder(PayloadCodec.standard(), EPOCH_OFFSET, 1 << 20);
        final RecordEncoder full = new RecordEncoder(PayloadCodec.standard(), EPOCH_OFFSET, 1 << 20);
        final RecordCompactor writer = new RecordCompactor();
        final BatchAssembler assembler = new BatchAssembler();
        writer.startBatch();
        long compacted = BATCH_HEADER_LENGTH;
        for (int i = 0; i < 200; i++)
        {
            final TaskView view = FakePool.view(Task.builder("coder").id(i).build(), 1, 1_000 + i, i);
            final AgentView agent = pool.poolAgent(i % 4);
            final long nanos = 1_000_000L + 5_000L * i;
            final Provenance why = RingStringsTest.why(pool.poolAgent((i + 1) % 4), false);
            int n = encoder.encodeAcceptedAndAssigned(view, nanos, agent, why, nanos + 100);
            assembler.add(CompactEncoder.RING_TYPE + EventType.ACCEPTED.code(), encoder.buffer(), 0, n);
            n = encoder.encodeOutcomeWithStart(EventType.COMPLETED, view, agent, 7, null, nanos + 900, nanos + 200);
            assembler.add(CompactEncoder.RING_TYPE + EventType.COMPLETED.code(), encoder.buffer(), 0, n);
            compacted += writer.compact(full.buffer(), 0, full.encodeAcceptedAndAssigned(view, nanos, agent, why,
                nanos + 100));
            compacted += writer.compact(full.buffer(), 0, full.encodeOutcomeWithStart(EventType.COMPLETED, view, agent,
                7, null, nanos + 900, nanos + 200));
        }
        assertThat((long)assembler.length()).isLessThanOrEqualTo(compacted);
    }

    /**
     * Under a backlog, tasks wait in the ingress ring longer than an epoch's time span before the router takes them in,
     * so an ACCEPTED record's time (when submit accepted the task) lies that far behind the records around it: the
     * epoch must still go by the router's clock, or every such record, and the one after it, starts an epoch, and the
     * writer a Chronicle document each (a document per record is what batching saved the writer from).
     */
    @Test
    void tasksThatWaitedInTheIngressRingDoNotStartAnEpochEach()
    {
        final CompactEncoder encoder = new CompactEncoder(PayloadCodec.standard(), EPOCH_OFFSET, 1 << 20);
        final BatchAssembler assembler = new BatchAssembler();
        final long ingressWait = 2 * CompactEncoder.EPOCH_NANOS;
        int documents = 0;
        long lastNow = 0;
        for (int i = 0; i < 200; i++)
        {
            final long now = 1_000_000_000L + 10_000L * i; // the router's clock
            final TaskView view = FakePool.view(Task.builder("coder").id(i).build(), 1, now - ingressWait, i);
            final AgentView agent = pool.poolAgent(i % 4);
            for (int record = 0; record < 2; record++)
            {
                final EventType type = record == 0 ? EventType.ACCEPTED : EventType.COMPLETED;
                final int n = record == 0 ? encoder.encodeAccepted(view, now - ingressWait, now) :
                    encoder.encodeOutcomeWithStart(type, view, agent, 7, null, now + 900, now + 200);
                if (!assembler.isOpen() || assembler.startsNewDocument(CompactEncoder.RING_TYPE + type.code(),
                    encoder.buffer(), 0))
                {
                    assembler.close();
                    documents++;
                }
                assembler.add(CompactEncoder.RING_TYPE + type.code(), encoder.buffer(), 0, n);
            }
            lastNow = now;
        }
        assertThat(documents).as("documents for 400 records, fewer than an epoch holds").isEqualTo(1);
        // the last document reads back with the times as written
        final List<byte[]> records = CompactRecordTest.readBatch(entries(Arrays.copyOf(assembler.bytes(),
            assembler.length())), -1);
        final UnsafeBuffer accepted = new UnsafeBuffer(records.get(records.size() - 2));
        assertThat(accepted.getLong(NANOS_OFFSET)).as("accepted").isEqualTo(lastNow - ingressWait);
        assertThat(accepted.getLong(VALUE_OFFSET)).as("taken in").isEqualTo(lastNow);
    }

    /**
     * Reads a document with entry {@code damaged} skipped, as the reader skips an entry whose checksum fails: each
     * record read must be exactly the one written at its place. @return the records lost.
     */
    private static int readDamaged(final UnsafeBuffer batch, final int damaged, final List<byte[]> expected)
    {
        final RecordExpander expander = new RecordExpander();
        expander.startBatch();
        final Varint.Cursor c = new Varint.Cursor();
        int entry = 0;
        int record = 0;
        int lost = 0;
        while (c.at < batch.capacity())
        {
            final int length = (int)Varint.get(batch, c, batch.capacity());
            final int body = c.at + Integer.BYTES;
            c.at = body + length;
            final byte kind = batch.getByte(body);
            final boolean isRecord = kind != COMPACT_BASE && kind != COMPACT_STRING;
            if (entry++ == damaged)
            {
                if (isRecord)
                {
                    record++;
                    lost++;
                }
                continue;
            }
            try
            {
                final int n = expander.expand(batch, body, length);
                if (isRecord)
                {
                    assertThat(Arrays.copyOf(expander.bytes(), n)).as("record %d", record).isEqualTo(expected.get(record));
                }
            }
            catch (final IllegalStateException e)
            {
                assertThat(isRecord).as("only a record is refused: %s", e.getMessage()).isTrue();
                lost++;
            }
            if (isRecord)
            {
                record++;
            }
        }
        assertThat(record).isEqualTo(expected.size());
        return lost;
    }

    private static int entryCount(final UnsafeBuffer batch)
    {
        final Varint.Cursor c = new Varint.Cursor();
        int n = 0;
        while (c.at < batch.capacity())
        {
            final int length = (int)Varint.get(batch, c, batch.capacity());
            c.at += Integer.BYTES + length;
            n++;
        }
        return n;
    }

    private static UnsafeBuffer entries(final byte[] document)
    {
        return new UnsafeBuffer(Arrays.copyOfRange(document, BATCH_HEADER_LENGTH, document.length));
    }

    /** One router's events and other encoders' records through one assembler, documents cut as the writer cuts them. */
    private final class Run
    {
        final CompactEncoder encoder = new CompactEncoder(PayloadCodec.standard(), EPOCH_OFFSET, 1 << 20);
        final RecordEncoder full = new RecordEncoder(PayloadCodec.standard(), EPOCH_OFFSET, 1 << 20);
        final RecordEncoder other = new RecordEncoder(PayloadCodec.standard(), EPOCH_OFFSET, 1 << 20);
        final BatchAssembler assembler = new BatchAssembler();
        final Random random;
        final int documentRecords;
        final List<byte[]> expected = new ArrayList<>();
        final List<byte[]> documents = new ArrayList<>();
        final List<Integer> recordsPerDocument = new ArrayList<>();
        int inDocument;
        long nanos = 1_000_000_000L;
        boolean uniqueTypes;

        Run(final long seed, final int documentRecords)
        {
            random = new Random(seed);
            this.documentRecords = documentRecords;
        }

        void events(final int count)
        {
            for (int i = 0; i < count; i++)
            {
                // mostly microseconds apart, now and then past an epoch's time span
                nanos += random.nextInt(uniqueTypes ? 100_000 : 50) == 0 ? CompactEncoder.EPOCH_NANOS + random.nextInt(1_000) : random.nextInt(5_000);
                final int event = random.nextInt(16);
                final Task task = task(random, i, uniqueTypes);
                if (event == 15)
                {
                    // a recovery marker from an encoder of its own: a fixed record that the writer compacts
                    final int n = other.encodeRecovered(task, random.nextBoolean() ? "recovered" : null);
                    expected.add(CompactRecordTest.withChecksum(bytes(other.buffer(), n)));
                    add(EventType.RECOVERED.code(), other.buffer(), n);
                    continue;
                }
                final AgentView agent = pool.poolAgent(random.nextInt(4));
                final long draw = random.nextLong();
                expected.add(CompactRecordTest.withChecksum(bytes(full.buffer(), encode(false, event, task, agent, draw))));
                final int n = encode(true, event, task, agent, draw);
                add(CompactEncoder.RING_TYPE + EventType.ACCEPTED.code(), encoder.buffer(), n);
            }
            close();
        }

        private void add(final int typeId, final DirectBuffer buffer, final int length)
        {
            // copied to another offset, as the ring holds it
            final UnsafeBuffer ring = new UnsafeBuffer(new byte[length + 24]);
            ring.putBytes(24, buffer, 0, length);
            if (assembler.startsNewDocument(typeId, ring, 24) || inDocument == documentRecords)
            {
                close();
            }
            assembler.add(typeId, ring, 24, length);
            inDocument++;
        }

        void close()
        {
            if (assembler.isOpen())
            {
                documents.add(Arrays.copyOf(assembler.bytes(), assembler.length()));
                recordsPerDocument.add(inDocument);
                assembler.close();
            }
            inDocument = 0;
        }

        private int encode(final boolean compact, final int event, final Task task, final AgentView agent,
                           final long draw)
        {
            final TaskView view = FakePool.view(task, 1 + (int)(draw & 1), 100 + task.id(), task.id());
            final AgentView other = pool.poolAgent((int)Math.floorMod(draw, 4L));
            final long t = nanos;
            final CompactEncoder c = encoder;
            final RecordEncoder f = full;
            return switch (event)
            {
                case 0, 1, 2, 3 -> compact ? c.encodeAcceptedAndAssigned(view, t, agent, RingStringsTest.why(other, (draw & 2) != 0), t + 100)
                    : f.encodeAcceptedAndAssigned(view, t, agent, RingStringsTest.why(other, (draw & 2) != 0), t + 100);
                case 4, 5, 6, 7 -> compact ? c.encodeOutcomeWithStart(EventType.COMPLETED, view, agent, draw & 0xFFFF, null, t, t - 300)
                    : f.encodeOutcomeWithStart(EventType.COMPLETED, view, agent, draw & 0xFFFF, null, t, t - 300);
                case 8 -> compact ? c.encodeOutcomeWithStart(EventType.FAILED, view, agent, 0, "timeout after " + draw, t, t - 9)
                    : f.encodeOutcomeWithStart(EventType.FAILED, view, agent, 0, "timeout after " + draw, t, t - 9);
                case 9 -> compact ? c.encodeAssigned(view, agent, RingStringsTest.why(other, (draw & 4) != 0), t)
                    : f.encodeAssigned(view, agent, RingStringsTest.why(other, (draw & 4) != 0), t);
                case 10 -> compact ? c.encode(EventType.STOLEN, view, t, agent, other, null, Double.NaN, Double.NaN, 0, null)
                    : f.encode(EventType.STOLEN, view, t, agent, other, null, Double.NaN, Double.NaN, 0, null);
                case 11 -> compact ? c.encode(EventType.RETRIED, view, t, null, null, null, Double.NaN, Double.NaN, t + draw % 1_000_000, null)
                    : f.encode(EventType.RETRIED, view, t, null, null, null, Double.NaN, Double.NaN, t + draw % 1_000_000, null);
                case 12 -> compact ? c.encodeAcceptedAndAssigned(view, t, agent, "least-connections", 0.0 / 0.0, 2.5, t + 7)
                    : f.encodeAcceptedAndAssigned(view, t, agent, "least-connections", 0.0 / 0.0, 2.5, t + 7);
                case 13 -> compact ? c.encode(EventType.ASSIGNED, view, t, agent, null, "round-robin", 1.0, Double.NaN, 0, null)
                    : f.encode(EventType.ASSIGNED, view, t, agent, null, "round-robin", 1.0, Double.NaN, 0, null);
                default -> compact ? c.encodeAccepted(view, t) : f.encodeAccepted(view, t);
            };
        }
    }

    private static byte[] bytes(final DirectBuffer buffer, final int length)
    {
        final byte[] b = new byte[length];
        buffer.getBytes(0, b, 0, length);
        return b;
    }

    /** Many task types now and then, so that an epoch runs out of string ids too. */
    private static Task task(final Random random, final int id, final boolean uniqueType)
    {
        final String type = uniqueType ? "type-" + id : switch (random.nextInt(6))
        {
            case 0 -> LONG_TYPE;
            case 1 -> "type-" + random.nextInt(2_000);
            case 2 -> "\u00e9t\u00e9-\ud83d\ude00";
            default -> random.nextBoolean() ? "coder" : new String("reviewer".toCharArray());
        };
        final Task.Builder b = Task.builder(type).id(id).priority(dev.ringmaster.model.Priority.values()[random.nextInt(4)]);
        switch (random.nextInt(4))
        {
            case 0 -> b.payload("work " + id);
            case 1 -> b.payload(new byte[] {(byte)id, 2, 3});
            case 2 -> b.payload("x".repeat(random.nextInt(3_000)));
            default -> { }
        }
        RingStringsTest.withOptions(random, b);
        if (random.nextInt(3) == 0)
        {
            b.costTokens(random.nextInt(1 << 20)).ttl(java.time.Duration.ofMillis(1 + random.nextInt(10_000)))
                .maxRetries(random.nextInt(5));
        }
        return b.build();
    }
}
