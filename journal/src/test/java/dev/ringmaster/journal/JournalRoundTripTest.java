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
    void everyLifecycleEventIsOneRecordInOrder()
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
}
