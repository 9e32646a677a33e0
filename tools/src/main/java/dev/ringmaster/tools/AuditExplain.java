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
    /** Differing decisions named after the whole-journal count. */
    private static final int SHOWN_DIFFERENCES = 5;

    private AuditExplain()
    {
    }

    /**
     * @param replay the journal's decisions re-derived on the rebuilt pool, or null if they could not be.
     * @return the explanation of every assignment in {@code history} (the task's events, oldest first).
     */
    static String explain(final long taskId, final List<JournalEvent> history,
                          final DecisionRederivation.Result replay)
    {
        final StringBuilder sb = new StringBuilder(512);
        int assignments = 0;
        for (final JournalEvent e : history)
        {
            if (e.type() == EventType.ASSIGNED)
            {
                sb.append('\n');
                explain(sb, e);
                if (replay != null)
                {
                    final int k = assignments;
                    final String runnerUp = e.provenance() == null ? null : e.provenance().runnerUpId();
                    replay.decisions().stream().skip(k).findFirst()
                        .ifPresent(d -> rederived(sb, d, replay, runnerUp));
                }
                assignments++;
            }
        }
        if (replay != null && assignments > 0)
        {
            summary(sb, replay);
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

    private static void rederived(final StringBuilder sb, final DecisionRederivation.Decision d,
                                  final DecisionRederivation.Result replay, final String runnerUp)
    {
        if (d.problem() != null)
        {
            row(sb, "re-derived", "not: " + d.problem());
            return;
        }
        final String verdict = d.derivedAgent() == null ? "declines or fails on it, where " + d.recordedAgent() +
            " was recorded" : d.same() ? "picks " + d.derivedAgent() + ", as recorded" : "picks " + d.derivedAgent() +
            ", not the recorded " + d.recordedAgent();
        row(sb, "re-derived", d.strategy() + " replayed on the pool rebuilt from the journal " + verdict);
        final boolean counted = d.recordedCandidates() >= 0;
        sb.append(String.format(Locale.ROOT, "  %-13s %d eligible in the rebuilt pool%s; score (higher wins), in " +
            "flight / limit (capacity + prefetch %d):%n", "candidates", d.derivedCandidates(),
            !counted ? "" : d.recordedCandidates() == d.derivedCandidates() ? ", as recorded" :
                ", " + d.recordedCandidates() + " recorded", replay.prefetch()));
        final List<String> ineligible = new java.util.ArrayList<>();
        for (final DecisionRederivation.Candidate c : d.agents())
        {
            if (!c.eligible())
            {
                ineligible.add(c.agentId() + " " + c.inFlight() + "/" + c.limit() +
                    (c.agentId().equals(d.recordedAgent()) ? " (the recorded winner)" : ""));
                continue;
            }
            final String mark = c.agentId().equals(d.recordedAgent()) ? c.agentId().equals(d.derivedAgent()) ?
                "<- winner (recorded and re-derived)" : "<- recorded winner" :
                c.agentId().equals(d.derivedAgent()) ? "<- re-derived winner" :
                c.agentId().equals(runnerUp) ? "<- recorded runner-up" : "";
            sb.append(String.format(Locale.ROOT, "    %-16s %12s  %d/%d  %s%n", c.agentId(), score(c.score()),
                c.inFlight(), c.limit(), mark).stripTrailing()).append('\n');
        }
        if (!ineligible.isEmpty())
        {
            row(sb, "not eligible", String.join(", ", ineligible) + " (no room, or lacking a required skill)");
        }
    }

    private static void summary(final StringBuilder sb, final DecisionRederivation.Result replay)
    {
        sb.append('\n').append(String.format(Locale.ROOT, "Re-derived over the whole journal: %,d of %,d " +
            "assignments as recorded (%.1f%%), %,d of the %,d with a choice of agents; fleet: %s.%n", replay.same(),
            replay.replayed(), replay.replayed() == 0 ? 0.0 : 100.0 * replay.same() / replay.replayed(),
            replay.sameWithChoice(), replay.withChoice(), replay.fleet()));
        if (replay.fellBack() > 0)
        {
            sb.append(String.format(Locale.ROOT, "Not re-derived: %,d assignments the built-in fallback made where the " +
                "strategy's decision failed (the strategy was quarantined or threw; the log of that run names the " +
                "fault).%n", replay.fellBack()));
        }
        final long differing = replay.replayed() - replay.same();
        if (differing > 0)
        {
            sb.append(String.format(Locale.ROOT, "Of the %,d that differ, %,d had the recorded winner without room " +
                "in the rebuilt pool. The journal does not carry everything the router saw: an attempt's end is " +
                "journaled by its worker after its slot was freed (an agent looks busier than it was), ties follow " +
                "an index order the records only approximate, and outlier ejection, slow start and adapter-reported " +
                "figures are not journaled.%n", differing, replay.recordedNotEligible()));
            for (final DecisionRederivation.Difference d : replay.differences().subList(0,
                Math.min(SHOWN_DIFFERENCES, replay.differences().size())))
            {
                sb.append(String.format(Locale.ROOT, "  task %d (attempt %d): recorded %s, re-derived %s%s%n",
                    d.taskId(), d.attempt(), d.recordedAgent(), d.derivedAgent() == null ? "none (declined)" :
                    d.derivedAgent(), d.recordedEligible() ? "" : " (the recorded winner had no room in the rebuilt " +
                    "pool)"));
            }
        }
        if (replay.problem() != null)
        {
            sb.append("Note: ").append(replay.problem()).append('\n');
        }
        if (!replay.damage().isEmpty())
        {
            sb.append(String.format(Locale.ROOT, "Note: the journal is damaged in %d region(s) (each named in the " +
                "error); the re-derivation read past them, and the tasks recorded in them are missing from the rebuilt " +
                "pool, so decisions after them may differ from the recorded ones for that reason.%n",
                replay.damage().size()));
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
