package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.model.Task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Recovery#scan} found in a journal: the tasks accepted and never terminal, rebuilt with their original
 * ids, and what could not be rebuilt; immutable, and {@link #redispatch} may be called from any thread (once).
 *
 * @param pending       tasks to dispatch again, in acceptance order.
 * @param unrecoverable tasks left open that cannot be rebuilt, one line each (id and why).
 * @param recordsRead   records read.
 * @param maxTaskId     the largest task id in the journal: new tasks should take ids above it (see README).
 * @param corruption    the first damage the scan found (it read on past it), or null if the journal is sound.
 * @param accepted      tasks accepted (a recovered task's second ACCEPTED record is the same task, counted once).
 * @param finished      terminal records read: accepted minus finished is what is open.
 * @param damagedRegions damaged regions the scan read past (0 if {@code corruption} is null).
 * @param notes         what the scan found unusual and harmless, one line each (e.g. a cycle file a crash during a roll
 *                      left empty): worth telling the operator, no reason to refuse recovery.
 * @param unrecoverableTasks the tasks of {@code unrecoverable}, in the same order, as {@link #abandonUnrecoverable}
 *                      needs them (empty in a plan built without them).
 */
public record RecoveryPlan(List<Task> pending, List<String> unrecoverable, long recordsRead, long maxTaskId,
                           JournalCorruptException corruption, long accepted, long finished, int damagedRegions,
                           List<String> notes, List<Unrecoverable> unrecoverableTasks)
{
    /**
     * An open task that cannot be rebuilt, as its last acceptance (ACCEPTED or RECOVERED record) describes it;
     * immutable.
     *
     * @param sequence that acceptance's sequence (-1 for RECOVERED): a terminal record closes only its own.
     * @param why      why it cannot be rebuilt.
     */
    public record Unrecoverable(long taskId, String taskType, dev.ringmaster.model.Priority priority, long sequence,
                                int attempt, String why)
    {
        /** @return one line: the task, its type, and why. */
        public String line()
        {
            return "task " + taskId + " (" + taskType + "): " + why;
        }
    }

    public RecoveryPlan
    {
        pending = List.copyOf(pending);
        unrecoverable = List.copyOf(unrecoverable);
        notes = List.copyOf(notes);
        unrecoverableTasks = List.copyOf(unrecoverableTasks);
    }

    /** A plan that names its unrecoverable tasks only by their lines: {@link #abandonUnrecoverable} has none. */
    public RecoveryPlan(final List<Task> pending, final List<String> unrecoverable, final long recordsRead,
                        final long maxTaskId, final JournalCorruptException corruption, final long accepted,
                        final long finished, final int damagedRegions, final List<String> notes)
    {
        this(pending, unrecoverable, recordsRead, maxTaskId, corruption, accepted, finished, damagedRegions, notes,
            List.of());
    }

    /** A plan without notes. */
    public RecoveryPlan(final List<Task> pending, final List<String> unrecoverable, final long recordsRead,
                        final long maxTaskId, final JournalCorruptException corruption, final long accepted,
                        final long finished, final int damagedRegions)
    {
        this(pending, unrecoverable, recordsRead, maxTaskId, corruption, accepted, finished, damagedRegions, List.of());
    }

    /** A plan without the accepted and finished counts. */
    public RecoveryPlan(final List<Task> pending, final List<String> unrecoverable, final long recordsRead,
                        final long maxTaskId, final JournalCorruptException corruption)
    {
        this(pending, unrecoverable, recordsRead, maxTaskId, corruption, 0, 0, corruption == null ? 0 : 1);
    }

    /** @return the tasks left open: pending plus unrecoverable. */
    public int open()
    {
        return pending.size() + unrecoverable.size();
    }

    /**
     * Dispatches every pending task again (at least once: a task that had run before the crash may run twice),
     * journaling a RECOVERED marker before each. With an ACKNOWLEDGED or ASYNC journal the returned stages complete
     * once each task's new ACCEPTED record is in the queue; a refused task's stage fails with
     * {@link RejectedTaskException} and the task stays open in the journal, to be recovered next time.
     *
     * @param maxWait how long to wait for room in the dispatcher per task.
     * @return one stage per pending task, in the same order.
     * @throws IllegalStateException if the scan found damage ({@link #corruption()}): tasks whose acceptance lies in a
     *     damaged region are not in this plan and would be lost without a word; repair or move the damaged file aside
     *     and scan again, or accept the loss with {@link #redispatchAcceptingDamage}.
     */
    public List<CompletableFuture<Long>> redispatch(final Journal journal, final Dispatcher dispatcher,
                                                    final Duration maxWait)
    {
        refuseDamage();
        return redispatchAcceptingDamage(journal, dispatcher, maxWait);
    }

    /**
     * As {@link #redispatch(Journal, Dispatcher, Duration)}, handing each task to the dispatcher with {@code submit},
     * which returns its status: e.g. one that keeps {@link Dispatcher#submitAsync}'s future for the task's end, so that
     * an endpoint can answer for a recovered task as for one submitted through it.
     */
    public List<CompletableFuture<Long>> redispatch(final Journal journal,
                                                    final java.util.function.Function<Task, dev.ringmaster.dispatch.SubmitStatus> submit)
    {
        refuseDamage();
        final List<CompletableFuture<Long>> acks = new ArrayList<>(pending.size());
        final String reason = reason();
        for (final Task task : pending)
        {
            journal.recordRecovered(task, reason);
            acks.add(journal.submitAcknowledged(task, submit));
        }
        return acks;
    }

    private void refuseDamage()
    {
        if (corruption != null)
        {
            throw new IllegalStateException("recovery refused: the journal is damaged in " + damagedRegions +
                " region(s), the first: " + corruption.getMessage() + "; tasks journaled in a damaged region would be " +
                "lost without a word. Repair or move the damaged file aside and scan again, or call " +
                "redispatchAcceptingDamage to dispatch what was read", corruption);
        }
    }

    private static String reason()
    {
        return "accepted before a restart and not finished; dispatched again at " + Instant.now();
    }

    /**
     * As {@link #redispatch}, also when the scan found damage: the open tasks read around it are dispatched.
     */
    public List<CompletableFuture<Long>> redispatchAcceptingDamage(final Journal journal, final Dispatcher dispatcher,
                                                                   final Duration maxWait)
    {
        final List<CompletableFuture<Long>> acks = new ArrayList<>(pending.size());
        final String reason = reason();
        for (final Task task : pending)
        {
            journal.recordRecovered(task, reason);
            acks.add(journal.submitAcknowledged(dispatcher, task, maxWait));
        }
        return acks;
    }

    /**
     * Closes every unrecoverable task for good, on the operator's word: journals for each a final CANCELLED record
     * (an operator's cancel, not the shutdown's) whose reason says it was abandoned and why it could not be rebuilt,
     * so that a later scan no longer finds it open. Call it with the journal opened after the scan under the same
     * {@link WriterClaim}, as for {@link #redispatch}: a task another process still runs must not be closed here.
     *
     * @return the tasks whose record reached the journal's ring, in plan order; a task missing from it was dropped
     *     (the writer stopped) and stays open.
     */
    public List<Unrecoverable> abandonUnrecoverable(final Journal journal)
    {
        final List<Unrecoverable> abandoned = new ArrayList<>(unrecoverableTasks.size());
        for (final Unrecoverable task : unrecoverableTasks)
        {
            if (journal.recordAbandoned(task, abandonReason(task)))
            {
                abandoned.add(task);
            }
        }
        return abandoned;
    }

    /** @return the reason an abandoned task's CANCELLED record carries. */
    public static String abandonReason(final Unrecoverable task)
    {
        return "abandoned by the operator: could not be rebuilt (" + task.why() + ")";
    }

    /**
     * @return the number of pending tasks whose redispatch the dispatcher refused, waiting for every stage; a task it
     *     accepted whose acknowledgement failed (the writer failed before its ACCEPTED record) runs, so it is not one.
     */
    public static long rejected(final List<CompletableFuture<Long>> acks)
    {
        long n = 0;
        for (final CompletableFuture<Long> f : acks)
        {
            try
            {
                f.join();
            }
            catch (final java.util.concurrent.CompletionException e)
            {
                if (e.getCause() instanceof dev.ringmaster.dispatch.RejectedTaskException)
                {
                    n++;
                }
            }
        }
        return n;
    }
}
