package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.JournalStats;
import dev.ringmaster.journal.RecoveryPlan;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's journal ({@code --journal DIR --durability async|acknowledged}): the listener to register and one
 * {@link Producer} per producer thread; {@link #producer} and the getters may be called from any thread, each
 * producer only from its own.
 */
final class DemoJournal implements AutoCloseable
{
    /** Acknowledgements a producer may have outstanding before it waits for the oldest, like a real pipelined client. */
    static final int ACK_WINDOW = 1024;

    private final Journal journal;
    private final AtomicLong acknowledged = new AtomicLong();

    private DemoJournal(final Journal journal)
    {
        this.journal = journal;
    }

    static DemoJournal open(final Path directory, final Durability durability)
    {
        return open(directory, durability, WorkCodec.INSTANCE);
    }

    /** As above, with the demo's encoding under {@code codec}'s name (serve's with a config records its own). */
    static DemoJournal open(final Path directory, final Durability durability, final WorkCodec codec)
    {
        return open(JournalConfig.at(directory).durability(durability), codec);
    }

    /** As above, with any other settings (e.g. a test's clock and roll cycle); the payloads are the workload's. */
    static DemoJournal open(final JournalConfig config)
    {
        return open(config, WorkCodec.INSTANCE);
    }

    private static DemoJournal open(final JournalConfig config, final WorkCodec codec)
    {
        return new DemoJournal(Journal.open(config.payloadCodec(codec)));
    }

    DispatchListener listener()
    {
        return journal.listener();
    }

    /** @return where pre-routing journals its predictions (PREDICTION records). */
    dev.ringmaster.predict.PredictionLog predictionLog()
    {
        return journal.predictionLog();
    }

    /** Journals an operator's change through the admin endpoint as an ADMIN record; any thread. */
    void recordAdmin(final dev.ringmaster.admin.AdminChange change)
    {
        journal.recordAdmin(change.what(), change.from(), change.status(), change.outcome());
    }

    Durability durability()
    {
        return journal.durability();
    }

    long acknowledged()
    {
        return acknowledged.get();
    }

    JournalStats stats()
    {
        return journal.stats();
    }

    /** @return a submitter for one producer thread: plain submit, or acknowledged with a window of outstanding acks. */
    Producer producer(final Dispatcher dispatcher, final Duration maxWait)
    {
        if (journal.durability() != Durability.ACKNOWLEDGED)
        {
            return new Producer(dispatcher, maxWait, null);
        }
        return new Producer(dispatcher, maxWait, this);
    }

    /**
     * @return how the admin endpoint submits {@code POST /tasks}: through the acknowledged submit, so that a client's
     *     202 means the task is journaled (and a failed writer refuses it); null in async mode (the dispatcher's submit).
     */
    dev.ringmaster.admin.TaskSubmitter submitter()
    {
        return journal.durability() == Durability.ACKNOWLEDGED ? journal::submitAcknowledged : null;
    }

    /**
     * Dispatches a recovery plan's open tasks again, journaling each (see {@link RecoveryPlan#redispatch}).
     *
     * @return how many the dispatcher refused.
     */
    long redispatch(final RecoveryPlan plan, final Dispatcher dispatcher, final Duration maxWait)
    {
        return RecoveryPlan.rejected(plan.redispatch(journal, dispatcher, maxWait));
    }

    /**
     * As {@link #redispatch(RecoveryPlan, Dispatcher, Duration)}, handing {@code ends} each accepted task's future
     * end (any thread: with an acknowledged journal, once the task is journaled), so that serve's endpoint answers
     * {@code GET /tasks/{id}} for a recovered task as for one submitted through it, and {@code refusals} each refusal.
     */
    long redispatch(final RecoveryPlan plan, final Dispatcher dispatcher, final Duration maxWait,
                    final java.util.function.Consumer<CompletableFuture<dev.ringmaster.dispatch.TaskResult>> ends,
                    final java.util.function.Consumer<RejectedTaskException> refusals)
    {
        return RecoveryPlan.rejected(plan.redispatch(journal, task ->
        {
            final CompletableFuture<dev.ringmaster.dispatch.TaskResult> end = dispatcher.submitAsync(task, maxWait);
            if (!end.isCompletedExceptionally())
            {
                ends.accept(end);
                return SubmitStatus.ACCEPTED;
            }
            // settled with the refusal: handed on, so the operator hears which tasks and why, not a bare count
            final RejectedTaskException refusal = end.handle((r, e) -> (RejectedTaskException)e).join();
            refusals.accept(refusal);
            return refusal.status();
        }));
    }

    @Override
    public void close()
    {
        journal.close();
    }

    /** Submits for one producer thread; confined to it. */
    static final class Producer
    {
        private final Dispatcher dispatcher;
        private final Duration maxWait;
        private final DemoJournal acked;
        private final ArrayDeque<CompletableFuture<Long>> window = new ArrayDeque<>();

        Producer(final Dispatcher dispatcher, final Duration maxWait, final DemoJournal acked)
        {
            this.dispatcher = dispatcher;
            this.maxWait = maxWait;
            this.acked = acked;
        }

        /**
         * @throws CompletionException if an earlier task's acknowledgement failed (the journal's writer did): this
         *     task was then not handed to the dispatcher, and counts as {@link SubmitStatus#JOURNAL_FAILED}.
         */
        SubmitStatus submit(final Task task)
        {
            if (acked == null)
            {
                return dispatcher.submit(task, maxWait);
            }
            if (window.size() >= ACK_WINDOW)
            {
                // before the submit: waiting after it, a failed acknowledgement would lose this accepted task's status
                awaitOldest();
            }
            final CompletableFuture<Long> ack = acked.journal.submitAcknowledged(dispatcher, task, maxWait);
            if (ack.isCompletedExceptionally())
            {
                try
                {
                    ack.join();
                }
                catch (final CompletionException e)
                {
                    // refused, by the dispatcher or by the journal before the dispatcher saw it; a task the dispatcher
                    // accepted whose acknowledgement failed (the writer died meanwhile) runs: it is counted accepted,
                    // as the journal's listener counts it, and its failure is thrown when the window reaches it
                    if (e.getCause() instanceof RejectedTaskException r)
                    {
                        return r.status();
                    }
                }
            }
            window.add(ack);
            return SubmitStatus.ACCEPTED;
        }

        /**
         * Waits for every outstanding acknowledgement.
         *
         * @throws CompletionException if one failed (the journal's writer did); the tasks were all submitted.
         */
        void finish()
        {
            while (!window.isEmpty())
            {
                awaitOldest();
            }
        }

        private void awaitOldest()
        {
            window.poll().join();
            acked.acknowledged.incrementAndGet();
        }
    }
}
