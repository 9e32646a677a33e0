package dev.ringmaster.tools;

import dev.ringmaster.journal.DecisionProvenance;
import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.JournalEvent;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code ringmaster audit DIR TASK_ID --explain}: for each assignment of the task, why that agent won (the
 * strategy and its rule version, how many agents were eligible, winner and runner-up with their scores, the random
 * state, what a shadow strategy would have done); stateless.
 */
final class AuditExplain
{
    private AuditExplain()
    {
    }

    /** @return the explanation of every assignment in {@code history} (the task's events, oldest first). */
    static String explain(final long taskId, final List<JournalEvent> history)
    {
        final StringBuilder sb = new StringBuilder(512);
        int assignments = 0;
        for (final JournalEvent e : history)
        {
            if (e.type() == EventType.ASSIGNED)
            {
                assignments++;
                sb.append('\n');
                explain(sb, e);
            }
        }
        if (assignments == 0)
        {
            sb.append('\n').append("Task ").append(taskId).append(" was never assigned in this journal: there is no " +
                "decision to explain.\n");
        }
        return sb.toString();
    }

    private static void explain(final StringBuilder sb, final JournalEvent e)
    {
        final DecisionProvenance p = e.provenance();
        sb.append("Why task ").append(e.taskId()).append(" (attempt ").append(e.attempt()).append(") went to ")
            .append(e.agentId()).append(", at ").append(Instant.ofEpochSecond(0, e.epochNanos())).append('\n');
        row(sb, "strategy", e.strategy() + (p == null ? "" : " (decision rule version " + p.strategyVersion() + ")"));
        if (p == null)
        {
            row(sb, "winner", e.agentId() + "  score " + score(e.score()));
            row(sb, "runner-up", "score " + score(e.runnerUp()));
            row(sb, "note", "written before decision provenance (journal layout version 3): the candidates, the " +
                "runner-up's identity and the random state were not recorded");
            return;
        }
        row(sb, "candidates", p.candidates() < 0 ? "not counted" : p.candidates() + " eligible agent" +
            (p.candidates() == 1 ? " (no choice to make)" : "s"));
        row(sb, "winner", e.agentId() + "  score " + score(e.score()));
        row(sb, "runner-up", p.runnerUpId() == null ? "none named by the strategy, best losing score " +
            score(e.runnerUp()) : p.runnerUpId() + "  score " + score(e.runnerUp()));
        if (!Double.isNaN(e.score()) && !Double.isNaN(e.runnerUp()))
        {
            row(sb, "margin", score(e.score() - e.runnerUp()) + " (scores: higher wins)");
        }
        row(sb, "random state", p.hasRandomState() ? String.format(Locale.ROOT, "0x%016x (the strategy's " +
            "generator before its first draw: the same state re-derives the same draws)", p.randomState()) :
            "none (the strategy draws nothing: its decision follows from the pool alone)");
        if (p.shadowStrategy() != null)
        {
            final String pick = p.shadowAgentId() == null ? "no agent (it declined or failed)" : p.shadowAgentId();
            final String verdict = p.shadowAgentId() == null ? "" : p.shadowAgentId().equals(e.agentId()) ? ": agrees" :
                Double.isNaN(p.shadowRegretNanos()) ? ": disagrees, regret not estimated (latencies not yet measured)" :
                String.format(Locale.ROOT, ": disagrees, estimated regret %+.6f s (%s)", p.shadowRegretNanos() / 1e9,
                    p.shadowRegretNanos() > 0 ? "the shadow's pick would have finished later" :
                        "the shadow's pick would have finished sooner");
            row(sb, "shadow", p.shadowStrategy() + " would have picked " + pick + verdict);
        }
    }

    private static void row(final StringBuilder sb, final String label, final String text)
    {
        sb.append(String.format(Locale.ROOT, "  %-13s %s%n", label, text));
    }

    private static String score(final double s)
    {
        return Double.isNaN(s) ? "none" : String.format(Locale.ROOT, "%.6f", s);
    }
}
