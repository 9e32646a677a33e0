package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.journal.replay.Replay;
import dev.ringmaster.journal.replay.ReplayReport;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators' changes journaled as ADMIN records among the tasks' events, read back and left alone by the rest. */
class AdminRecordTest
{
    @TempDir
    Path dir;

    @Test
    void adminChangesAreReadBackWithWhatWhenAndFromWhereAndChangeNothingElse()
    {
        final long before = System.currentTimeMillis();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            d.submit(Task.builder("coder").id(5).payload("done").build(), Duration.ofSeconds(5));
            assertThat(journal.recordAdmin("POST /types/coder/pause", "127.0.0.1:53122", 200, "done")).isTrue();
            assertThat(journal.recordAdmin("POST /agents", "[::1]:40000", 400, "field 'id' is missing")).isTrue();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
        final List<JournalEvent> changes = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            Audit.adminChanges(reader, 0, Long.MAX_VALUE / 1_000_000L, changes);
        }
        assertThat(changes).hasSize(2);
        final JournalEvent pause = changes.get(0);
        assertThat(pause.type()).isEqualTo(EventType.ADMIN);
        assertThat(pause.epochMillis()).isBetween(before, System.currentTimeMillis());
        assertThat(pause.describe()).endsWith("ADMIN         POST /types/coder/pause from 127.0.0.1:53122: 200 done");
        assertThat(changes.get(1).describe()).contains("POST /agents from [::1]:40000: 400 field 'id' is missing");

        // a task's history, recovery and replay see the tasks as before
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(Audit.history(reader, 5)).extracting(JournalEvent::type).doesNotContain(EventType.ADMIN)
                .contains(EventType.ACCEPTED, EventType.COMPLETED);
            final ReplayReport report = Replay.of(reader, 1_000);
            assertThat(report.count(EventType.ADMIN)).isEqualTo(2);
            assertThat(report.count(EventType.COMPLETED)).isEqualTo(1);
            assertThat(report.openTasks()).isZero();
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.pending()).isEmpty();
        assertThat(plan.maxTaskId()).isEqualTo(5);
        assertThat(plan.corruption()).isNull();
    }

    @Test
    void withoutAJournalNothingIsRecorded()
    {
        try (Journal none = Journal.open(JournalConfig.at(dir).durability(Durability.NONE)))
        {
            assertThat(none.recordAdmin("DELETE /dead-letters", "127.0.0.1:1", 200, "done")).isFalse();
        }
    }
}
