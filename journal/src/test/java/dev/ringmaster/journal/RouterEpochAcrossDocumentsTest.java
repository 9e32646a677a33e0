package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's records of one epoch (see {@code internal/CompactEncoder}) spread over several documents, each in a
 * cycle file of its own, with another encoder's records between them: each document repeats what its records need of
 * the epoch (the base, the strings defined in an earlier document), so every record reads back as it was written.
 */
class RouterEpochAcrossDocumentsTest
{
    private static final int TASKS_PER_CYCLE = 20;
    private static final int CYCLES = 3;

    @TempDir
    Path dir;

    private final FakePool pool = new FakePool(4);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void recordsOfOneEpochReadBackAcrossDocumentsAndCycleFiles() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        final List<String> expected = new ArrayList<>();
        try (Journal journal = Journal.open(JournalConfig.at(dir).rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            final DispatchListener listener = journal.listener();
            long nanos = 5_000_000;
            long written = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++)
            {
                for (int i = 0; i < TASKS_PER_CYCLE; i++)
                {
                    final long id = cycle * TASKS_PER_CYCLE + i;
                    // a tenant first used in the second document and used again in the third
                    final Task task = Task.builder(i % 2 == 0 ? "coder" : "reviewer").id(id)
                        .tenant(cycle == 0 ? "acme" : "initech").payload("work " + id).build();
                    final TaskView view = FakePool.view(task, 1, nanos, id);
                    final AgentView agent = pool.poolAgent(i % 4);
                    listener.onAcceptedAndAssigned(view, nanos, agent, "least-connections", 1.0, 2.0, nanos + 10);
                    listener.onStarted(view, agent, nanos + 20);
                    listener.onCompleted(view, agent, 7, nanos + 30);
                    for (final EventType type : new EventType[] {EventType.ACCEPTED, EventType.ASSIGNED,
                        EventType.STARTED, EventType.COMPLETED})
                    {
                        expected.add(type + " " + id + " " + task.type() + " " +
                            (type == EventType.ACCEPTED ? null : agent.id()) + " " +
                            (type == EventType.ASSIGNED ? "least-connections" : null));
                    }
                    nanos += 1_000; // the whole run within one epoch's time span
                }
                // another encoder's record between the router's: a document of its own
                journal.recordRecovered(Task.builder("coder").id(1_000 + cycle).build(), "marker " + cycle);
                expected.add(EventType.RECOVERED + " " + (1_000 + cycle) + " coder null null");
                written += 2L * TASKS_PER_CYCLE + 1;
                ReaderTest.awaitWritten(journal, written);
                clock.advanceMillis(1_000); // the next document goes to a new cycle file
            }
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files.filter(p -> p.toString().endsWith(".cq4")).count()).isEqualTo(CYCLES);
        }
        final List<String> actual = new ArrayList<>();
        final List<String> tenants = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r ->
            {
                final JournalEvent e = r.toEvent();
                actual.add(e.type() + " " + e.taskId() + " " + e.taskType() + " " + e.agentId() + " " + e.strategy());
                if (e.type() == EventType.ACCEPTED)
                {
                    final Task task = r.task(PayloadCodec.standard());
                    tenants.add(task.tenant() + " " + task.payload());
                }
            });
        }
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(tenants).hasSize(CYCLES * TASKS_PER_CYCLE);
        for (int id = 0; id < CYCLES * TASKS_PER_CYCLE; id++)
        {
            assertThat(tenants.get(id)).isEqualTo((id < TASKS_PER_CYCLE ? "acme" : "initech") + " work " + id);
        }
    }
}
