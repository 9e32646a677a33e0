package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class JournalRoundTripTest
{
    @TempDir
    Path dir;

    @Test
    void everyLifecycleEventIsReadBackInOrder()
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(3, journal.listener());
            for (int i = 0; i < 500; i++)
            {
                final Task t = Task.builder("coder").id(1_000 + i).priority(Priority.values()[i % 4])
                    .payload(i % 2 == 0 ? "payload-" + i : new byte[] {(byte)i, 2, 3}).maxRetries(1).build();
                assertThat(d.submit(t, Duration.ofSeconds(5)).accepted()).isTrue();
            }
            d.submit(Task.builder("coder").id(5_000).payload(Fleet.POISON).maxRetries(1).build(), Duration.ofSeconds(5));
            assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final List<JournalEvent> events = reader.events();
            final Map<EventType, Long> byType = events.stream()
                .collect(Collectors.groupingBy(JournalEvent::type, Collectors.counting()));
            assertThat(byType.get(EventType.ACCEPTED)).isEqualTo(501);
            assertThat(byType.get(EventType.COMPLETED)).isEqualTo(500);
            assertThat(byType.get(EventType.DEAD_LETTERED)).isEqualTo(1);
            assertThat(byType.get(EventType.FAILED)).isEqualTo(2);
            assertThat(byType.get(EventType.RETRIED)).isEqualTo(1);
            final JournalEvent assigned = events.stream().filter(e -> e.type() == EventType.ASSIGNED).findFirst()
                .orElseThrow();
            assertThat(assigned.strategy()).isEqualTo("least-connections");
            assertThat(assigned.agentId()).startsWith("coder-");
            final JournalEvent completed = events.stream()
                .filter(e -> e.type() == EventType.COMPLETED && e.taskId() == 1_007).findFirst().orElseThrow();
            assertThat(completed.tokens()).isEqualTo(100 + 1_007 % 50);
            assertThat(completed.priority()).isEqualTo(Priority.LOW);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final List<Task> accepted = new java.util.ArrayList<>();
            reader.readToEnd(r ->
            {
                if (r.type() == EventType.ACCEPTED)
                {
                    accepted.add(r.task(PayloadCodec.standard()));
                }
            });
            assertThat(accepted).hasSize(501);
            assertThat(accepted.get(2).id()).isEqualTo(1_002);
            assertThat(accepted.get(2).payload()).isEqualTo("payload-2");
            assertThat(accepted.get(3).payload()).isEqualTo(new byte[] {3, 2, 3});
            assertThat(accepted.get(3).priority()).isEqualTo(Priority.LOW);
            assertThat(accepted.get(3).maxRetries()).isEqualTo(1);
        }
    }

    @Test
    void aTaskPlacedAtOnceTakesTwoRecordsThatReadAsItsFourEvents() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(2, journal.listener());
            assertThat(d.submit(Task.builder("coder").id(77).payload("p").build(), Duration.ofSeconds(5)).accepted()).isTrue();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (journal.stats().recordsWritten() < 2)
            {
                assertThat(System.nanoTime() - deadline).as("two records written").isNegative();
                Thread.onSpinWait();
            }
            assertThat(journal.stats().recordsWritten()).as("acceptance+assignment, start+completion").isEqualTo(2);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final List<JournalEvent> events = reader.events();
            assertThat(events).extracting(JournalEvent::type).containsExactly(EventType.ACCEPTED, EventType.ASSIGNED,
                EventType.STARTED, EventType.COMPLETED);
            final JournalEvent accepted = events.get(0);
            final JournalEvent assigned = events.get(1);
            final JournalEvent started = events.get(2);
            final JournalEvent completed = events.get(3);
            assertThat(accepted.agentId()).isNull();
            assertThat(accepted.strategy()).isNull();
            assertThat(assigned.agentId()).startsWith("coder-");
            assertThat(assigned.strategy()).isEqualTo("least-connections");
            assertThat(started.agentId()).isEqualTo(assigned.agentId()).isEqualTo(completed.agentId());
            assertThat(started.reason()).isNull();
            assertThat(started.tokens()).isZero();
            assertThat(completed.tokens()).isEqualTo(100 + 77 % 50);
            assertThat(accepted.nanos()).isLessThanOrEqualTo(assigned.nanos());
            assertThat(assigned.nanos()).isLessThanOrEqualTo(started.nanos());
            assertThat(started.nanos()).isLessThan(completed.nanos());
            assertThat(completed.epochNanos() - started.epochNanos()).isEqualTo(completed.nanos() - started.nanos());
            assertThat(events).extracting(JournalEvent::taskId).containsOnly(77L);
        }
    }

    @Test
    void anOpenTaskIsRecoveredWithItsTenantAndTheAgentItAvoids()
    {
        final Task task = Task.builder("coder").id(9).tenant("acme").avoidAgent("coder-0").affinityKey("repo-1")
            .payload("fix the build").build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(journal.recordRecovered(task, "open before a restart")).isTrue();
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.pending()).hasSize(1);
        final Task recovered = plan.pending().get(0);
        assertThat(recovered.tenant()).isEqualTo("acme");
        assertThat(recovered.avoidAgent()).isEqualTo("coder-0");
        assertThat(recovered.affinityKey()).isEqualTo("repo-1");
        assertThat(recovered.payload()).isEqualTo("fix the build");
    }

    @Test
    void aVersion1RecordIsStillReadAndANewerVersionIsNamed()
    {
        final dev.ringmaster.journal.internal.RecordEncoder encoder =
            new dev.ringmaster.journal.internal.RecordEncoder(PayloadCodec.standard(), 0, 1 << 20);
        final int v2Length = encoder.encodeRecovered(Task.builder("coder").id(5).payload("old").build(), "r");
        // version 1 had no tenant and avoided agent after the payload: two null strings of 4 bytes each
        final int v1Length = v2Length - 2 * Integer.BYTES;
        final byte[] bytes = new byte[v1Length];
        encoder.buffer().getBytes(0, bytes, 0, v1Length);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(bytes);
        b.putByte(dev.ringmaster.journal.internal.RecordLayout.VERSION_OFFSET, (byte)1);
        stampChecksum(b, bytes);
        final JournalRecord record = new JournalRecord();
        assertThat(record.wrap(bytes, 0, v1Length, 0)).isNull();
        final Task t = record.task(PayloadCodec.standard());
        assertThat(t.id()).isEqualTo(5);
        assertThat(t.payload()).isEqualTo("old");
        assertThat(t.tenant()).isNull();

        b.putByte(dev.ringmaster.journal.internal.RecordLayout.VERSION_OFFSET, (byte)4);
        assertThat(record.wrap(bytes, 0, v1Length, 0)).contains("record layout version 4", "versions 1 to 3",
            "a newer Ringmaster wrote it");
    }

    private static void stampChecksum(final org.agrona.concurrent.UnsafeBuffer b, final byte[] bytes)
    {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, dev.ringmaster.journal.internal.RecordLayout.CHECKSUMMED_FROM,
            bytes.length - dev.ringmaster.journal.internal.RecordLayout.CHECKSUMMED_FROM);
        b.putInt(dev.ringmaster.journal.internal.RecordLayout.CHECKSUM_OFFSET, (int)crc.getValue());
    }

    @Test
    void requiredSkillsAreRecoveredByNameNotByThisJvmsBits()
    {
        final dev.ringmaster.journal.internal.RecordEncoder encoder =
            new dev.ringmaster.journal.internal.RecordEncoder(PayloadCodec.standard(), 0, 1 << 20);
        final Task task = Task.builder("coder").id(8).requiredSkills("java", "security").payload("p").build();
        final int length = encoder.encodeRecovered(task, "r");
        final byte[] bytes = new byte[length];
        encoder.buffer().getBytes(0, bytes, 0, length);
        stampChecksum(new org.agrona.concurrent.UnsafeBuffer(bytes), bytes); // the writer's job
        final JournalRecord record = new JournalRecord();
        assertThat(record.wrap(bytes, 0, length, 0)).isNull();
        // another process numbers skills in the order it first met them: the mask alone would mean other skills there;
        // here the mask is zeroed, as a process with no skills registered would read it, and the names still count
        final int maskAt = specOffsetOf(record) + 8;
        new org.agrona.concurrent.UnsafeBuffer(bytes).putLong(maskAt, 0L);
        stampChecksum(new org.agrona.concurrent.UnsafeBuffer(bytes), bytes);
        assertThat(record.wrap(bytes, 0, length, 0)).isNull();
        final Task recovered = record.task(PayloadCodec.standard());
        assertThat(recovered.requiredSkillNames()).containsExactlyInAnyOrder("java", "security");
        // by name: once this JVM's agents have the skills (AgentSpec registers them), the mask is theirs
        final long agentsMask = dev.ringmaster.model.Skills.mask(List.of("java", "security"));
        assertThat(recovered.requiredSkills()).isEqualTo(agentsMask);
    }

    /**
     * The value field of an ACCEPTED record holds when the router took the task in ({@link JournalRecord#queuedNanos}):
     * an event copied out must still say 0 there, as {@link JournalEvent#value} promises for events other than
     * COMPLETED, RETRIED and ADMIN, not a raw nanoTime a consumer would read as tokens or a status.
     */
    @Test
    void anAcceptedEventHasNoValueWhenTheRouterTookItInLater()
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            journal.listener().onAccepted(dev.ringmaster.testing.FakePool.view(Task.builder("coder").id(3).build(),
                1_000_000, 1), 3_000_000);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final JournalEvent accepted = Audit.history(reader, 3).get(0);
            assertThat(accepted.type()).isEqualTo(EventType.ACCEPTED);
            assertThat(accepted.nanos()).isEqualTo(1_000_000);
            assertThat(accepted.value()).isZero();
        }
    }

    /** @return where the record's task spec starts: after the header and its five strings. */
    private static int specOffsetOf(final JournalRecord record)
    {
        int at = dev.ringmaster.journal.internal.RecordLayout.STRINGS_OFFSET;
        final org.agrona.DirectBuffer b = record.buffer();
        for (int i = 0; i < 5; i++)
        {
            final int n = b.getInt(at);
            at += Integer.BYTES + Math.max(0, n);
        }
        return at;
    }
}
