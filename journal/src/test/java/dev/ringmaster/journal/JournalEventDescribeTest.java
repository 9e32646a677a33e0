package dev.ringmaster.journal;

import dev.ringmaster.model.Priority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-line description {@code ringmaster audit} prints shows an assignment's scores only where there are any. */
class JournalEventDescribeTest
{
    private static JournalEvent assigned(final double score, final double runnerUp)
    {
        return new JournalEvent(7, EventType.ASSIGNED, 5, "coder", Priority.MEDIUM, 1, 5, 0, 1_000_000_000L, "coder-5",
            null, "p2c", score, runnerUp, 0, null);
    }

    @Test
    void anAssignmentWithARunnerUpShowsBothScores()
    {
        assertThat(assigned(1.0, 0.5).describe())
            .endsWith("ASSIGNED      task 5 (coder, MEDIUM, attempt 1) on coder-5 by p2c score 1.0 runner-up 0.5");
    }

    @Test
    void anAssignmentWithoutARunnerUpOrScoreShowsNoNaN()
    {
        assertThat(assigned(0.0, Double.NaN).describe())
            .endsWith("on coder-5 by p2c score 0.0").doesNotContain("NaN", "runner-up");
        assertThat(assigned(Double.NaN, Double.NaN).describe())
            .endsWith("on coder-5 by p2c").doesNotContain("NaN", "score");
    }
}
