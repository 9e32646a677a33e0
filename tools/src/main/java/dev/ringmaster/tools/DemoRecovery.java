package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.JournalException;
import dev.ringmaster.journal.JournalInfo;
import dev.ringmaster.journal.JournalStats;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.journal.RecoveryPlan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Dispatches a {@link RecoveryPlan}'s tasks again on the demo's simulated fleet, journaling to the same directory,
 * and waits for them; {@link #run} blocks its caller and stops every thread it starts.
 */
final class DemoRecovery
{
    /**
     * What became of the recovered tasks; immutable.
     *
     * @param recovered    tasks the dispatcher accepted again.
     * @param refused      tasks it refused (they stay open in the journal, for the next recovery).
     * @param byState      terminal states of the recovered tasks, indexed by {@link TerminalState#ordinal()}.
     * @param lost         recovered tasks with no terminal state when the wait ran out: the shutdown cancelled them,
     *                     and they stay open in the journal for the next recovery (run it with a longer wait).
     * @param journalError why the journal did not record everything, or null.
     * @param abandoned    the unrecoverable tasks closed for good at the operator's word, whose records the journal
     *                     wrote (see {@link RecoveryPlan#abandonUnrecoverable}).
     * @param notWritten   the unrecoverable tasks the operator asked to close whose record may not be written (the
     *                     writer failed or dropped records): they may still be open.
     */
    record Outcome(long recovered, long refused, long[] byState, long lost, String journalError,
                   List<RecoveryPlan.Unrecoverable> abandoned, List<RecoveryPlan.Unrecoverable> notWritten)
    {
        long count(final TerminalState state)
        {
            return byState[state.ordinal()];
        }
    }

    private DemoRecovery()
    {
    }

    /** @return true if {@code dir} holds a journal's cycle files (a new directory holds none yet). */
    static boolean exists(final Path dir)
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir))
        {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        }
        catch (final java.io.IOException e)
        {
            return false; // missing or unreadable: opening it for writing reports the problem with its fix
        }
    }

    /**
     * @return the codec that wrote the journal in {@code dir}: the demo's, the standard one, or for a journal that
     *     does not say, the demo's (it reads the standard codec's payloads too).
     * @throws JournalException for a codec this command does not have.
     */
    static PayloadCodec codecOf(final Path dir)
    {
        final String name = JournalInfo.payloadCodec(dir);
        if (name == null || name.equals(WorkCodec.NAME))
        {
            return WorkCodec.INSTANCE;
        }
        if (name.equals(WorkCodec.SERVE_CONFIG.name()))
        {
            return WorkCodec.SERVE_CONFIG;
        }
        if (name.equals(PayloadCodec.standard().name()))
        {
            return PayloadCodec.standard();
        }
        throw new JournalException("the journal in " + dir + " was written with payload codec '" + name + "', which " +
            "this command does not have: recover it in the application that wrote it (Recovery.scan with its codec)");
    }

    /**
     * Dispatches the plan's pending tasks (also when it read past damage: the caller decided) and waits up to
     * {@code wait} for them to finish; first, if {@code abandon}, closes its unrecoverable tasks for good, in the
     * same journal session: the writer claim the caller took before the scan passes to that journal, so no other
     * process can take the tasks meanwhile.
     */
    static Outcome run(final Path dir, final PayloadCodec codec, final RecoveryPlan plan, final long seed,
                       final Duration wait, final boolean abandon)
    {
        return run(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED).payloadCodec(codec), plan, seed, wait,
            abandon);
    }

    /** As {@link #run(Path, PayloadCodec, RecoveryPlan, long, Duration, boolean)}, with the journal {@code config}. */
    static Outcome run(final JournalConfig config, final RecoveryPlan plan, final long seed, final Duration wait,
                       final boolean abandon)
    {
        final AtomicLongArray byState = new AtomicLongArray(TerminalState.values().length);
        final Journal journal = Journal.open(config);
        List<RecoveryPlan.Unrecoverable> queued = List.of();
        long refused = 0;
        RuntimeException dispatchFailure = null;
        try (journal)
        {
            queued = abandon ? plan.abandonUnrecoverable(journal) : List.of();
            refused = plan.pending().isEmpty() ? 0 : dispatch(journal, plan, seed, wait, byState);
        }
        catch (final RuntimeException e)
        {
            dispatchFailure = e;
        }
        // read only after the close: the abandonments and the dispatch's last records were only queued, and the
        // close's last drain is where the writer writes them, or fails to
        final JournalStats stats = journal.stats();
        final boolean failed = stats.failure() != null || stats.dropped() > 0;
        final String journalError = failed ?
            stats.dropped() + " record(s) dropped; writer failure: " + stats.failure() : null;
        // which records a failed writer wrote is unknown: none of its abandonments counts as written
        final List<RecoveryPlan.Unrecoverable> abandoned = failed ? List.of() : queued;
        final List<RecoveryPlan.Unrecoverable> notWritten = !abandon ? List.of() : plan.unrecoverableTasks().stream()
            .filter(u -> !abandoned.contains(u)).toList();
        if (dispatchFailure != null)
        {
            // the abandonments came first and may well be written: an operator who saw only the dispatch's error
            // would not know which tasks are closed
            throw new IllegalStateException(dispatchFailure.getMessage() + " (the dispatch failed after the " +
                "abandonment step; " + abandonedSummary(abandoned, notWritten, journalError) + ")", dispatchFailure);
        }
        final long[] states = new long[byState.length()];
        long terminal = 0;
        for (int i = 0; i < states.length; i++)
        {
            states[i] = byState.get(i);
            terminal += states[i];
        }
        final long recovered = plan.pending().size() - refused;
        // a task cancelled by the shutdown above did not finish: not an outcome, and the journal keeps it open
        final long lost = recovered - terminal + states[TerminalState.CANCELLED.ordinal()];
        return new Outcome(recovered, refused, states, lost, journalError, abandoned, notWritten);
    }

    /** @return what the abandonment step closed and what it may not have, for an error message. */
    static String abandonedSummary(final List<RecoveryPlan.Unrecoverable> abandoned,
                                   final List<RecoveryPlan.Unrecoverable> notWritten, final String journalError)
    {
        final StringBuilder s = new StringBuilder();
        s.append(abandoned.isEmpty() ? "no task abandoned" : "abandoned: " + abandoned.stream()
            .map(u -> "task " + u.taskId()).collect(java.util.stream.Collectors.joining(", ")));
        if (!notWritten.isEmpty())
        {
            s.append("; the abandonment of ").append(notWritten.stream().map(u -> "task " + u.taskId())
                .collect(java.util.stream.Collectors.joining(", "))).append(" may not be written (")
                .append(journalError == null ? "dropped" : journalError).append("): they may still be open");
        }
        return s.toString();
    }

    /** @return the pending tasks the dispatcher refused, after the others finished or {@code wait} ran out. */
    private static long dispatch(final Journal journal, final RecoveryPlan plan, final long seed, final Duration wait,
                                 final AtomicLongArray byState)
    {
        final Fleet fleet = Fleet.standard();
        try (SimulationClock clock = new SimulationClock(fleet.totalCapacity()))
        {
            final Dispatcher.Builder builder = Dispatcher.builder().seed(seed).listener(journal.listener())
                .onResult((view, state, result, reason) -> byState.incrementAndGet(state.ordinal()));
            fleet.register(builder, seed, clock);
            final Dispatcher dispatcher = builder.build().start();
            final List<CompletableFuture<Long>> acks = plan.redispatchAcceptingDamage(journal, dispatcher, wait);
            final long refused = RecoveryPlan.rejected(acks);
            if (!dispatcher.drainQuietly(wait)) // its own report says what is left
            {
                dispatcher.shutdownNow();
                dispatcher.awaitTermination(Duration.ofSeconds(10));
            }
            dispatcher.close(); // before the journal closes: its last records must reach the writer
            return refused;
        }
    }
}
