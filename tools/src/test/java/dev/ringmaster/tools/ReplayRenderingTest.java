package dev.ringmaster.tools;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.replay.DeadLetterReplay;
import dev.ringmaster.journal.replay.ReplayReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ringmaster replay}'s text says about the figures it shows only in part. */
class ReplayRenderingTest
{
    @Test
    void aShortenedListOfDeadLettersSaysHowManyItLeavesOutAndWhereTheRestAre()
    {
        final List<DeadLetterReplay> dead = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            dead.add(new DeadLetterReplay(100 + i, "coder", 4, "failed 4 attempt(s)", 1_000L + i));
        }
        dead.add(new DeadLetterReplay(200, "coder", 1, "time to live passed", 2_000L));
        final Map<EventType, Long> events = new EnumMap<>(EventType.class);
        events.put(EventType.ACCEPTED, 13L);
        events.put(EventType.DEAD_LETTERED, 12L);
        events.put(EventType.EXPIRED, 1L);
        final ReplayReport report = new ReplayReport(26, 1_000, 2_000, events, 13, 0, List.of(), 0, 0, Map.of(), dead,
            Map.of("failed 4 attempt(s)", 12L, "time to live passed", 1L), 1_000, List.of(), List.of());

        final String text = ReplayRendering.text(Path.of("/tmp/j"), report, false);

        assertThat(text).contains("dead letters: 13 (12 dead-lettered, 1 expired)",
            "the first 10 of 13, oldest first (--json lists them all):", "task 109 ").doesNotContain("task 110 ");
    }

    @Test
    void tasksRecoveryDispatchedAgainAreCountedOnceAndSaidToBeTwiceInTheJournal()
    {
        final Map<EventType, Long> events = new EnumMap<>(EventType.class);
        events.put(EventType.ACCEPTED, 5L);
        events.put(EventType.COMPLETED, 3L);
        events.put(EventType.RECOVERED, 2L);
        final ReplayReport report = new ReplayReport(12, 1_000, 2_000, events, 3, 0, List.of(), 0, 0, Map.of(),
            List.of(), Map.of(), 1_000, List.of(), List.of());

        assertThat(ReplayRendering.text(Path.of("/tmp/j"), report, false)).contains("tasks: 3 accepted (2 of them "
            + "twice: recovery dispatched them again under their ids), 3 completed,", "2 recovered, 0 still open");
        assertThat(ReplayRendering.json(Path.of("/tmp/j"), report, false)).contains("\"accepted_tasks\":3",
            "\"accepted\":5");
    }

    @Test
    void tasksTheShutdownCancelledAreSaidToBeAmongTheOpenOnes()
    {
        final Map<EventType, Long> events = new EnumMap<>(EventType.class);
        events.put(EventType.ACCEPTED, 3L);
        events.put(EventType.COMPLETED, 1L);
        events.put(EventType.CANCELLED, 2L);
        final ReplayReport report = new ReplayReport(8, 1_000, 2_000, events, 3, 1, List.of(), 0, 0, Map.of(),
            List.of(), Map.of(), 1_000, List.of(), List.of(), 1);

        assertThat(ReplayRendering.text(Path.of("/tmp/j"), report, false)).contains("2 cancelled", "1 still open",
            "of the cancelled, 1 by the dispatcher's shutdown before they finished");
        assertThat(ReplayRendering.json(Path.of("/tmp/j"), report, false)).contains("\"cancelled_at_shutdown\":1",
            "\"open_tasks\":1", "\"cancelled\":2");
    }
}
