package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.RecordEncoder;
import dev.ringmaster.journal.internal.RecordLayout;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Provenance;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/** Layout version 3: an assignment's provenance round-trips, and records of versions 1 and 2 still read without one. */
class ProvenanceRecordTest
{
    private final FakePool pool = new FakePool(4);
    private final RecordEncoder encoder = new RecordEncoder(PayloadCodec.standard(), 0, 1 << 20);

    /** The provenance of a p2c decision among 4 agents: fake-2 won over fake-0; a shadow would have taken fake-3. */
    private Provenance why(final boolean shadow)
    {
        return new Provenance()
        {
            @Override public String strategy() { return "p2c"; }
            @Override public int strategyVersion() { return 7; }
            @Override public int candidates() { return 4; }
            @Override public double score() { return 0.75; }
            @Override public double runnerUp() { return 0.25; }
            @Override public AgentView runnerUpAgent() { return pool.poolAgent(0); }
            @Override public boolean hasRandomState() { return true; }
            @Override public long randomState() { return 0x9e3779b97f4a7c15L; }
            @Override public String shadowStrategy() { return shadow ? "least-connections" : null; }
            @Override public AgentView shadowAgent() { return shadow ? pool.poolAgent(3) : null; }
            @Override public double shadowRegretNanos() { return shadow ? 1_500_000.0 : Double.NaN; }
        };
    }

    private static JournalRecord read(final byte[] bytes)
    {
        final JournalRecord record = new JournalRecord();
        assertThat(record.wrap(bytes, 0, bytes.length, 0)).isNull();
        return record;
    }

    /** @return the encoded record, its checksum stamped as the writer thread stamps it. */
    private byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        encoder.buffer().getBytes(0, bytes, 0, length);
        restamp(bytes, bytes[RecordLayout.VERSION_OFFSET], bytes[RecordLayout.FLAGS_OFFSET]);
        return bytes;
    }

    @Test
    void anAssignmentsProvenanceRoundTrips()
    {
        final TaskView task = FakePool.view(Task.builder("worker").id(12).build());
        final JournalRecord r = read(bytes(encoder.encodeAssigned(task, pool.poolAgent(2), why(true), 1_000)));
        assertThat(r.type()).isEqualTo(EventType.ASSIGNED);
        assertThat(r.agentId()).isEqualTo("fake-2");
        assertThat(r.strategy()).isEqualTo("p2c");
        assertThat(r.score()).isEqualTo(0.75);
        assertThat(r.runnerUp()).isEqualTo(0.25);
        assertThat(r.provenance()).isEqualTo(new DecisionProvenance(4, 7, 0, "fake-0", true, 0x9e3779b97f4a7c15L,
            "least-connections", 3, "fake-3", 1_500_000.0));
        assertThat(r.toEvent().provenance()).isEqualTo(r.provenance());
        assertThat(r.provenance().shadowAgrees(2)).isFalse();
    }

    @Test
    void aPlacementTheFallbackMadeSaysSoAndKeepsTheRestOfItsProvenance()
    {
        final Provenance strategys = why(false);
        final Provenance fallbacks = new Provenance()
        {
            @Override public String strategy() { return strategys.strategy(); }
            @Override public int strategyVersion() { return strategys.strategyVersion(); }
            @Override public int candidates() { return strategys.candidates(); }
            @Override public double score() { return Double.NaN; }
            @Override public double runnerUp() { return Double.NaN; }
            @Override public AgentView runnerUpAgent() { return null; }
            @Override public boolean fellBack() { return true; }
            @Override public boolean hasRandomState() { return false; }
            @Override public long randomState() { return 0; }
            @Override public String shadowStrategy() { return null; }
            @Override public AgentView shadowAgent() { return null; }
            @Override public double shadowRegretNanos() { return Double.NaN; }
        };
        final TaskView task = FakePool.view(Task.builder("worker").id(15).build());

        final JournalRecord r = read(bytes(encoder.encodeAssigned(task, pool.poolAgent(1), fallbacks, 1_000)));

        assertThat(r.provenance().fellBack()).isTrue();
        assertThat(r.provenance().hasRandomState()).as("a flag of its own, not read as random state").isFalse();
        assertThat(r.strategy()).isEqualTo("p2c");
        assertThat(r.toEvent().describe()).contains("on fake-1 by p2c (its decision failed: the built-in fallback, " +
            "fewest tasks in flight, chose the agent)");
        assertThat(read(bytes(encoder.encodeAssigned(task, pool.poolAgent(1), strategys, 1_000))).provenance()
            .fellBack()).isFalse();
    }

    @Test
    void anAcceptanceFoldedWithItsAssignmentKeepsItsTaskBehindTheProvenance()
    {
        final Task submitted = Task.builder("worker").id(13).tenant("acme").payload("the work").build();
        final TaskView task = FakePool.view(submitted);
        final byte[] bytes = bytes(encoder.encodeAcceptedAndAssigned(task, 10, pool.poolAgent(1), why(false), 20));
        final JournalRecord r = read(bytes);
        r.showFirstOfTwo(true);
        assertThat(r.type()).isEqualTo(EventType.ACCEPTED);
        assertThat(r.provenance()).as("the acceptance half has no decision").isNull();
        final Task back = r.task(PayloadCodec.standard());
        assertThat(back.payload()).isEqualTo("the work");
        assertThat(back.tenant()).isEqualTo("acme");
        r.showFirstOfTwo(false);
        assertThat(r.type()).isEqualTo(EventType.ASSIGNED);
        assertThat(r.provenance().shadowStrategy()).isNull();
        assertThat(r.provenance().shadowIndex()).isEqualTo(Provenance.NO_SHADOW);
        assertThat(r.provenance().runnerUpId()).isEqualTo("fake-0");
    }

    @Test
    void aVersion2AssignmentReadsWithoutProvenance()
    {
        final TaskView task = FakePool.view(Task.builder("worker").id(14).build());
        final byte[] bytes = bytes(encoder.encode(EventType.ASSIGNED, task, 5, pool.poolAgent(1), null, "p2c", 0.5,
            0.1, 0, null));
        restamp(bytes, 2, 0);
        final JournalRecord r = read(bytes);
        assertThat(r.strategy()).isEqualTo("p2c");
        assertThat(r.score()).isEqualTo(0.5);
        assertThat(r.provenance()).isNull();
        assertThat(r.toEvent().provenance()).isNull();
    }

    @Test
    void aProvenanceFlagOnARecordWithoutAnAssignmentIsNamed()
    {
        final TaskView task = FakePool.view(Task.builder("worker").id(15).build());
        final byte[] bytes = bytes(encoder.encode(EventType.STARTED, task, 5, pool.poolAgent(1), null, null,
            Double.NaN, Double.NaN, 0, null));
        restamp(bytes, RecordLayout.VERSION, RecordLayout.FLAG_PROVENANCE);
        assertThat(new JournalRecord().wrap(bytes, 0, bytes.length, 0))
            .isEqualTo("provenance flag on a STARTED record that carries no assignment");
    }

    private static void restamp(final byte[] bytes, final int version, final int flags)
    {
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        b.putByte(RecordLayout.VERSION_OFFSET, (byte)version);
        b.putByte(RecordLayout.FLAGS_OFFSET, (byte)flags);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, RecordLayout.CHECKSUMMED_FROM, bytes.length - RecordLayout.CHECKSUMMED_FROM);
        b.putInt(RecordLayout.CHECKSUM_OFFSET, (int)crc.getValue());
    }
}
