package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.journal.internal.RetentionSweeper;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoveryTest
{
    @TempDir
    Path dir;

    @Test
    void tasksAcceptedAndNeverFinishedAreFoundAndThoseThatCannotBeRebuiltAreNamed()
    {
        final Task open = Task.builder("coder").id(10).payload("keep me").costTokens(77).build();
        final Task unencodable = Task.builder("coder").id(11).payload(new Object()).build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            // a dispatcher with no agent of type "coder" would refuse; record the tasks as a crashed run left them
            journal.recordRecovered(open, "left open");
            journal.recordRecovered(unencodable, "left open");
            final Dispatcher d = Fleet.start(1, journal.listener());
            d.submit(Task.builder("coder").id(12).payload("done").build(), Duration.ofSeconds(5));
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.corruption()).isNull();
        assertThat(plan.pending()).extracting(Task::id).containsExactly(10L);
        assertThat(plan.pending().get(0).payload()).isEqualTo("keep me");
        assertThat(plan.pending().get(0).costTokens()).isEqualTo(77);
        assertThat(plan.unrecoverable()).singleElement().asString().contains("task 11", "codec could not encode");
        assertThat(plan.maxTaskId()).isEqualTo(12);
    }

    @Test
    void aTerminalRecordClosesOnlyTheAcceptanceItBelongsTo()
    {
        // a task resubmitted with its id from its own result handler: the new acceptance is journaled before the
        // old attempt's end, which the listeners hear of later
        final Task task = Task.builder("coder").id(30).payload("again").build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final dev.ringmaster.spi.DispatchListener listener = journal.listener();
            listener.onAccepted(view(task, 1), 1_000);
            listener.onAccepted(view(task, 2), 2_000);
            listener.onCancelled(view(task, 1), "the first acceptance ended", 3_000);
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.pending()).as("the second acceptance is still open").extracting(Task::id).containsExactly(30L);
    }

    /**
     * The journal writes a second acceptance of a dead-lettered id when the dead letter is requeued (after the dead
     * letter) or the id is resubmitted from the dead letter's handler (possibly before the dead letter is journaled).
     * Either way the second acceptance is its own task: open until its own terminal record, rebuilt from its own record.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"requeued", "requeued and completed", "resubmitted " +
        "before the dead letter was journaled"})
    void aSecondAcceptanceOfADeadLetteredIdIsItsOwnTask(final String how)
    {
        final Task first = Task.builder("coder").id(60).payload("first").build();
        final Task second = Task.builder("coder").id(60).payload("second").build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final dev.ringmaster.spi.DispatchListener listener = journal.listener();
            listener.onAccepted(view(first, 7), 1_000);
            if (how.startsWith("resubmitted"))
            {
                listener.onAccepted(view(second, 9), 2_000);
                listener.onDeadLettered(view(first, 7), "no retries left", 3_000);
            }
            else
            {
                listener.onDeadLettered(view(first, 7), "no retries left", 2_000);
                listener.onAccepted(view(second, 9), 3_000);
            }
            if (how.endsWith("completed"))
            {
                listener.onCompleted(view(second, 9), new dev.ringmaster.testing.FakePool(1).poolAgent(0), 0, 4_000);
            }
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.corruption()).isNull();
        assertThat(plan.accepted()).as("two acceptances").isEqualTo(2);
        if (how.endsWith("completed"))
        {
            assertThat(plan.pending()).as("both acceptances ended").isEmpty();
            assertThat(plan.finished()).isEqualTo(2);
        }
        else
        {
            assertThat(plan.pending()).as("the second acceptance, not the dead-lettered one").singleElement()
                .satisfies(t -> assertThat(t.payload()).isEqualTo("second"));
            assertThat(plan.finished()).isEqualTo(1);
        }
        assertThat(plan.accepted() - plan.finished()).as("accepted minus finished is what is open")
            .isEqualTo(plan.open());
    }

    @Test
    void anAbandonedUnrecoverableTaskIsClosedWithAnOperatorsCancelThatMatchesItsAcceptance()
    {
        final Task unencodable = Task.builder("coder").id(40).payload(new Object()).build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            journal.listener().onAccepted(view(unencodable, 5), 1_000);
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.unrecoverableTasks()).singleElement().satisfies(u ->
        {
            assertThat(u.taskId()).isEqualTo(40);
            assertThat(u.sequence()).as("the acceptance the terminal record must close").isEqualTo(5);
        });
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(plan.abandonUnrecoverable(journal)).extracting(RecoveryPlan.Unrecoverable::taskId)
                .containsExactly(40L);
        }
        final RecoveryPlan after = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(after.open()).isZero();
        assertThat(after.finished()).isEqualTo(1);
        try (JournalReader reader = JournalReader.open(dir))
        {
            final JournalEvent end = Audit.history(reader, 40).get(1);
            assertThat(end.type()).isEqualTo(EventType.CANCELLED);
            assertThat(end.ends()).isTrue();
            assertThat(end.reason()).startsWith("abandoned by the operator: could not be rebuilt (")
                .contains("codec could not encode");
        }
    }

    private static dev.ringmaster.spi.TaskView view(final Task task, final long sequence)
    {
        return dev.ringmaster.testing.FakePool.view(task, 0, sequence);
    }

    @Test
    void retentionDeletesCycleFilesOlderThanTheRetentionButNeverTheNewest() throws IOException
    {
        final long now = 1_800_000_000_000L;
        final Path[] files = {dir.resolve("20270115-10F.cq4"), dir.resolve("20270115-11F.cq4"),
            dir.resolve("20270115-12F.cq4")};
        for (final Path f : files)
        {
            Files.write(f, new byte[] {1});
            Files.setLastModifiedTime(f, FileTime.fromMillis(now - Duration.ofHours(5).toMillis()));
        }
        Files.setLastModifiedTime(files[1], FileTime.fromMillis(now - Duration.ofMinutes(30).toMillis()));
        final int deleted = new RetentionSweeper(dir.toFile(), Duration.ofHours(1).toMillis()).sweep(now);
        assertThat(deleted).isEqualTo(1);
        assertThat(files[0]).doesNotExist();
        assertThat(files[1]).exists();
        assertThat(files[2]).as("newest, though old").exists();
    }

    @Test
    void aPlanThatStoppedAtDamageRefusesToRedispatchUnlessTheLossIsAccepted() throws Exception
    {
        final Task open = Task.builder("coder").id(20).payload("read before the damage").build();
        final JournalCorruptException damage = new JournalCorruptException(dir.resolve("20270115F.cq4"), 0x40,
            "checksum mismatch", null);
        final RecoveryPlan plan = new RecoveryPlan(java.util.List.of(open), java.util.List.of(), 5, 20, damage);
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plan.redispatch(journal, d, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recovery refused")
                .hasMessageContaining("20270115F.cq4")
                .hasMessageContaining("redispatchAcceptingDamage");
            final var acks = plan.redispatchAcceptingDamage(journal, d, Duration.ofSeconds(5));
            assertThat(RecoveryPlan.rejected(acks)).isZero();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(d.metrics().completed()).isEqualTo(1);
        }
    }
    @Test
    void aJournalOfAnotherCodecIsRefusedWithTheCommandThatRecoversIt() throws IOException
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            assertThat(journal.recordRecovered(Task.builder("coder").id(1).build(), "c0")).isTrue();
        }
        // what 'ringmaster serve --config FILE' records beside its cycle files
        Files.writeString(dir.resolve(JournalInfo.FILE_NAME), "payloadCodec=serve-config\n");
        assertThatThrownBy(() -> Recovery.scan(dir, PayloadCodec.standard())).isInstanceOf(JournalException.class)
            .hasMessageContaining("written with payload codec 'serve-config', not '" + PayloadCodec.standard().name())
            .hasMessageContaining("'ringmaster serve --config FILE --journal " + dir + "' with the same file")
            .hasMessageContaining("'ringmaster recover " + dir + "'");
    }
}
