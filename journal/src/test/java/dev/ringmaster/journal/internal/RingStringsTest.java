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
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's encoder names recurring strings by number in the ring; what the writer makes of them reads back byte
 * for byte as the records encoded with every string in full, in every batch, however the batches fall.
 */
class RingStringsTest
{
    private static final String LONG_TYPE = "t".repeat(RingStrings.MAX_CHARS + 1);
    private final FakePool pool = new FakePool(4);

    @Property(tries = 60)
    void numberedRecordsReadBackAsTheirFullForm(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 40) final int batch)
    {
        final RecordEncoder full = new RecordEncoder(PayloadCodec.standard(), 7, 1 << 20);
        final RecordEncoder numbered = new RecordEncoder(PayloadCodec.standard(), 7, 1 << 20, new RingStrings());
        final Random random = new Random(seed);
        final List<byte[]> expected = new ArrayList<>();
        final List<byte[]> actual = new ArrayList<>();
        final RecordCompactor writer = new RecordCompactor();
        final ExpandableArrayBuffer entries = new ExpandableArrayBuffer(4096);
        int at = 0;
        int inBatch = 0;
        for (int i = 0; i < 150; i++)
        {
            final int event = random.nextInt(5);
            final Task task = task(random, i);
            final AgentView agent = pool.poolAgent(random.nextInt(4));
            final long draw = random.nextLong();
            expected.add(CompactRecordTest.withChecksum(bytes(full, encode(full, event, task, agent, draw))));
            final int length = encode(numbered, event, task, agent, draw);
            if (inBatch++ % batch == 0)
            {
                actual.addAll(CompactRecordTest.readBatch(new UnsafeBuffer(Arrays.copyOf(entries.byteArray(), at)), -1));
                at = 0;
                writer.startBatch();
            }
            final int n = writer.compact(numbered.buffer(), 0, length);
            entries.putBytes(at, writer.bytes(), 0, n);
            at += n;
        }
        actual.addAll(CompactRecordTest.readBatch(new UnsafeBuffer(Arrays.copyOf(entries.byteArray(), at)), -1));
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++)
        {
            assertThat(actual.get(i)).as("record %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void aStringSeenAgainTravelsAsFourBytesAndEqualTextSharesANumber()
    {
        final RecordEncoder full = new RecordEncoder(PayloadCodec.standard(), 0, 1 << 20);
        final RecordEncoder numbered = new RecordEncoder(PayloadCodec.standard(), 0, 1 << 20, new RingStrings());
        final Task task = Task.builder("coder").id(1).tenant("acme").build();
        final TaskView view = FakePool.view(task);
        numbered.encodeAcceptedAndAssigned(view, 1, pool.poolAgent(1), "least-connections", 1, 2, 3);
        // another instance of the same text, as a deserialized task would bring: no new number, no bytes again
        final Task again = Task.builder(new String("coder".toCharArray())).id(2).tenant(new String("acme")).build();
        final int second = numbered.encodeAcceptedAndAssigned(FakePool.view(again), 1, pool.poolAgent(1),
            new String("least-connections"), 1, 2, 3);
        final int inFull = full.encodeAcceptedAndAssigned(FakePool.view(again), 1, pool.poolAgent(1),
            "least-connections", 1, 2, 3);
        final int savedBytes = "coder".length() + "fake-1".length() + "least-connections".length() + "acme".length();
        assertThat(second).isEqualTo(inFull - savedBytes);
    }

    @Test
    void aBatchWhoseDictionaryIsFullCarriesNumberedStringsInFull()
    {
        final RecordEncoder full = new RecordEncoder(PayloadCodec.standard(), 0, 1 << 20);
        final RecordEncoder numbered = new RecordEncoder(PayloadCodec.standard(), 0, 1 << 20, new RingStrings());
        final RecordCompactor writer = new RecordCompactor();
        final ExpandableArrayBuffer entries = new ExpandableArrayBuffer(1 << 16);
        final List<byte[]> expected = new ArrayList<>();
        int at = 0;
        writer.startBatch();
        for (int i = 0; i < RecordLayout.COMPACT_MAX_STRINGS + 100; i++)
        {
            final TaskView view = FakePool.view(Task.builder("type-" + i).id(i).build());
            expected.add(CompactRecordTest.withChecksum(bytes(full, full.encode(EventType.COMPLETED, view, i,
                pool.poolAgent(i % 4), null, null, Double.NaN, Double.NaN, 0, null))));
            final int length = numbered.encode(EventType.COMPLETED, view, i, pool.poolAgent(i % 4), null, null,
                Double.NaN, Double.NaN, 0, null);
            final int n = writer.compact(numbered.buffer(), 0, length);
            entries.putBytes(at, writer.bytes(), 0, n);
            at += n;
        }
        assertThat(CompactRecordTest.readBatch(new UnsafeBuffer(Arrays.copyOf(entries.byteArray(), at)), -1))
            .containsExactlyElementsOf(expected);
    }

    @Test
    void stringsPastTheTablesRoomTravelInFull()
    {
        final RingStrings numbers = new RingStrings();
        for (int i = 0; i < RingStrings.MAX_IDS; i++)
        {
            assertThat(numbers.number("type-" + i)).isEqualTo(i);
            assertThat(numbers.defined()).isTrue();
        }
        assertThat(numbers.number("one-too-many")).isEqualTo(-1);
        assertThat(numbers.number("type-17")).isEqualTo(17);
        assertThat(numbers.defined()).isFalse();
        assertThat(numbers.number(LONG_TYPE)).isEqualTo(-1);
        assertThat(RingStrings.id(RingStrings.marker(RingStrings.MAX_IDS - 1, true))).isEqualTo(RingStrings.MAX_IDS - 1);
        assertThat(RingStrings.isMarker(RingStrings.marker(RingStrings.MAX_IDS - 1, true))).isTrue();
        assertThat(RingStrings.isMarker(-1)).isFalse();
    }

    private static byte[] bytes(final RecordEncoder encoder, final int length)
    {
        final byte[] b = new byte[length];
        encoder.buffer().getBytes(0, b, 0, length);
        return b;
    }

    private static Task task(final Random random, final int id)
    {
        final String[] types = {"coder", "reviewer", LONG_TYPE, new String("coder")};
        return withOptions(random, Task.builder(types[random.nextInt(types.length)]).id(id).payload("work " + id))
            .build();
    }

    /** Now and then a tenant, a target or avoided agent, required skills, an affinity key. */
    static Task.Builder withOptions(final Random random, final Task.Builder b)
    {
        if (random.nextBoolean())
        {
            b.tenant(random.nextBoolean() ? "acme" : "initech");
        }
        if (random.nextInt(4) == 0)
        {
            b.targetAgent("fake-" + random.nextInt(4));
        }
        if (random.nextInt(4) == 0)
        {
            b.avoidAgent("fake-" + random.nextInt(4));
        }
        if (random.nextInt(3) == 0)
        {
            b.requiredSkills("java", random.nextBoolean() ? "sql" : "go");
        }
        if (random.nextInt(5) == 0)
        {
            b.affinityKey("session-" + random.nextInt(3));
        }
        return b;
    }

    private int encode(final RecordEncoder e, final int event, final Task task, final AgentView agent, final long draw)
    {
        final TaskView view = FakePool.view(task, 1, 100 + task.id(), task.id());
        final AgentView other = pool.poolAgent((int)Math.floorMod(draw, 4L));
        return switch (event)
        {
            case 0 -> e.encodeAcceptedAndAssigned(view, 100, agent, why(other, (draw & 1) != 0), 200);
            case 1 -> e.encodeAssigned(view, agent, why(other, (draw & 2) != 0), 300);
            case 2 -> e.encodeOutcomeWithStart(EventType.FAILED, view, agent, 0, "timeout after " + draw, 500, 400);
            case 3 -> e.encode(EventType.STOLEN, view, 600, agent, other, null, Double.NaN, Double.NaN, 0, null);
            default -> e.encodeAccepted(view, 50);
        };
    }

    /** A power-of-two-choices decision, with a shadow strategy's pick and regret if {@code shadow}. */
    static Provenance why(final AgentView runnerUp, final boolean shadow)
    {
        return new Provenance()
        {
            @Override public String strategy() { return "p2c"; }
            @Override public int strategyVersion() { return 2; }
            @Override public int candidates() { return 4; }
            @Override public double score() { return 0.75; }
            @Override public double runnerUp() { return 0.25; }
            @Override public AgentView runnerUpAgent() { return runnerUp; }
            @Override public boolean hasRandomState() { return shadow; }
            @Override public long randomState() { return 42; }
            @Override public String shadowStrategy() { return shadow ? "least-connections" : null; }
            @Override public AgentView shadowAgent() { return shadow ? runnerUp : null; }
            @Override public double shadowRegretNanos() { return shadow ? 1_500.0 : Double.NaN; }
        };
    }
}
