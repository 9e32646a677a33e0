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
     * @param abandoned    the unrecoverable tasks closed for good at the operator's word, whose records reached the
     *                     journal's ring (see {@link RecoveryPlan#abandonUnrecoverable}).
     */
    record Outcome(long recovered, long refused, long[] byState, long lost, String journalError,
                   List<RecoveryPlan.Unrecoverable> abandoned)
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
        final AtomicLongArray byState = new AtomicLongArray(TerminalState.values().length);
        try (Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED).payloadCodec(codec)))
        {
            final List<RecoveryPlan.Unrecoverable> abandoned = abandon ? plan.abandonUnrecoverable(journal) : List.of();
            final long refused = plan.pending().isEmpty() ? 0 : dispatch(journal, plan, seed, wait, byState);
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
            final JournalStats stats = journal.stats();
            final String journalError = stats.failure() != null || stats.dropped() > 0 ?
                stats.dropped() + " record(s) dropped; writer failure: " + stats.failure() : null;
            return new Outcome(recovered, refused, states, lost, journalError, abandoned);
        }
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
            if (!dispatcher.drain(wait))
            {
                dispatcher.shutdownNow();
                dispatcher.awaitTermination(Duration.ofSeconds(10));
            }
            dispatcher.close(); // before the journal closes: its last records must reach the writer
            return refused;
        }
    }
}
