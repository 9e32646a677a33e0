package dev.ringmaster.tools;

import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Runs one demo: builds the simulated fleet and a dispatcher, submits the workload from producer threads with the
 * bounded blocking submit, drains, and collects the figures; {@link #run} blocks its caller and starts (and stops)
 * every thread it needs, so it may be called from any thread, also concurrently for independent runs.
 */
public final class DemoRun
{
    /** How long a run stopped by a signal goes on draining: the signal's hook waits 60 s for the summary. */
    static final long SIGNALLED_DRAIN_SECONDS = 25;
    /** How long a drain may see no task end before it gives up as stalled. */
    static final long STALLED_DRAIN_SECONDS = 15;
    /** How long the producers may take to stop after a signal before the run goes on without them. */
    static final long STOPPED_PRODUCERS_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
    private static final int SHOWN_DEAD_LETTERS = 5;

    private DemoRun()
    {
    }

    /**
     * @return the worker threads the run's dispatcher runs for {@code settings}: at most one per agent (see
     *     {@code DispatcherOptions.workers}), the standard fleet in process, or with {@code remoteHosts} its copy on
     *     each host and the placeholder (their workers start as the hosts' agents join).
     */
    static int workerThreads(final DemoSettings settings, final int remoteHosts)
    {
        final int requested = settings.workers() > 0 ? settings.workers() :
            Math.max(1, Runtime.getRuntime().availableProcessors());
        final int agents = Fleet.standard().profiles().size();
        return Math.min(requested, remoteHosts == 0 ? agents : agents * remoteHosts + 1);
    }

    /**
     * @return the report of the run; its {@link DemoReport#ok()} says whether every accepted task was accounted for.
     * @throws IllegalArgumentException if the dispatcher refuses the configuration (e.g. an unknown strategy).
     * @throws InterruptedException if the calling thread is interrupted while producers run.
     */
    public static DemoReport run(final DemoSettings settings) throws InterruptedException
    {
        return run(settings, null, Durability.ASYNC);
    }

    /**
     * As {@link #run(DemoSettings)}, journaling every event to {@code journalDir} (null for no journal).
     *
     * @throws dev.ringmaster.journal.JournalException if the journal cannot be opened.
     */
    public static DemoReport run(final DemoSettings settings, final Path journalDir, final Durability durability)
        throws InterruptedException
    {
        return run(settings, journalDir, durability, Dispatcher.class.getClassLoader());
    }

    /**
     * As {@link #run(DemoSettings, Path, Durability)}, looking the strategy up in {@code pluginLoader}, e.g. a
     * {@link dev.ringmaster.plugin.PluginRegistry}'s, which sees the jars of a plugins directory.
     */
    public static DemoReport run(final DemoSettings settings, final Path journalDir, final Durability durability,
                                 final ClassLoader pluginLoader)
        throws InterruptedException
    {
        return run(settings, journalDir, durability, pluginLoader, null);
    }

    /** As above, with the fleet on agent-host processes when {@code remote} is not null (it is closed here). */
    static DemoReport run(final DemoSettings settings, final Path journalDir, final Durability durability,
                          final ClassLoader pluginLoader, final RemoteDemo remote)
        throws InterruptedException
    {
        return run(settings, journalDir, durability, pluginLoader, remote, new AtomicBoolean());
    }

    /**
     * As above; once {@code stop} is set (a signal), the producers submit no more, and what was accepted is drained
     * and reported as an interrupted run.
     */
    static DemoReport run(final DemoSettings settings, final Path journalDir, final Durability durability,
                          final ClassLoader pluginLoader, final RemoteDemo remote, final AtomicBoolean stop)
        throws InterruptedException
    {
        return run(settings, journalDir == null ? null : DemoJournal.open(journalDir, durability), pluginLoader, remote,
            stop);
    }

    /** As above, with a journal already open (null for none); it is closed here, as {@code remote} is. */
    static DemoReport run(final DemoSettings settings, final DemoJournal journal, final ClassLoader pluginLoader,
                          final RemoteDemo remote, final AtomicBoolean stop)
        throws InterruptedException
    {
        try (DemoJournal j = journal; RemoteDemo r = remote)
        {
            return runOpen(settings, j, pluginLoader, r, stop);
        }
    }

    private static DemoReport runOpen(final DemoSettings settings, final DemoJournal journal,
                                      final ClassLoader pluginLoader, final RemoteDemo remote, final AtomicBoolean stop)
        throws InterruptedException
    {
        final Fleet fleet = Fleet.standard();
        final Workload workload = new Workload(settings.seed(), settings.poisonRate());
        final LifecycleTally tally = new LifecycleTally(settings.tasks());
        final SimulationClock clock = new SimulationClock(fleet.totalCapacity());
        try
        {
            final Dispatcher.Builder builder = Dispatcher.builder()
                .pluginClassLoader(pluginLoader)
                .strategy(settings.strategy())
                .listener(tally)
                .seed(settings.seed())
                .queueCapacity(settings.queueCapacity());
            if (journal != null)
            {
                builder.listener(journal.listener());
            }
            if (settings.shadow() != null)
            {
                builder.shadow(settings.shadow());
            }
            final DemoPredictions predictions = settings.predictive() ?
                new DemoPredictions(journal == null ? null : journal.predictionLog(), settings.contextLoad(),
                    settings.model()) : null;
            if (predictions != null)
            {
                builder.strategy(predictions.live().wrap(RoutingStrategies.create(settings.strategy(), pluginLoader)))
                    .listener(predictions.live().listener())
                    .listener(predictions)
                    .stealGuard(predictions.live().stealGuard());
            }
            if (settings.workers() > 0)
            {
                builder.workers(settings.workers());
            }
            final List<SimulatedAgent> agents = remote == null ?
                fleet.register(builder, settings.seed(), clock, settings.contextLoad().toNanos()) : List.of();
            if (remote != null)
            {
                remote.prepare(builder);
            }
            final Dispatcher dispatcher = builder.build();

            LOG.info("dispatching {} tasks to {} agents {} with strategy '{}', seed {}, {} producer(s)",
                settings.tasks(), fleet.profiles().size(), fleet.countByType(), dispatcher.strategy(), settings.seed(),
                settings.producers());

            dispatcher.start();
            if (predictions != null)
            {
                predictions.live().start(dispatcher);
            }
            if (remote != null)
            {
                startRemote(dispatcher, remote);
            }
            final long startNanos = System.nanoTime();
            final AtomicLongArray statusCounts = new AtomicLongArray(SubmitStatus.values().length);
            try
            {
                if (remote != null)
                {
                    remote.producing();
                }
                produce(dispatcher, workload, settings, statusCounts, journal, stop, tally);
            }
            catch (final InterruptedException | RuntimeException e)
            {
                // leave no dispatcher threads behind a failed run (they are daemons, but an embedding JVM lives on)
                dispatcher.shutdownNow();
                dispatcher.awaitTermination(Duration.ofSeconds(10));
                throw e;
            }

            // generous: a run that cannot drain in this time is stuck, and the report says so
            final Duration drainTimeout = Duration.ofSeconds(Math.max(60, settings.tasks() / 2_000));
            // every task ended but a thread still inside a call given up at its timeout is drained too: nothing is
            // left to lose, and the shutdownNow below stops the adapters, which may be what lets that call return
            final boolean drained = drain(dispatcher, drainTimeout, stop) || dispatcher.outstanding() == 0;
            final long wallNanos = System.nanoTime() - startNanos;
            if (journal != null)
            {
                LOG.info("journal ({}): {}, {} acknowledged", journal.durability(), journal.stats(),
                    journal.acknowledged());
            }
            if (!drained)
            {
                LOG.error("{} task(s) still outstanding: the drain gave up (no task ended for {} s, or {} s passed{}); " +
                    "cancelling them", dispatcher.outstanding(), STALLED_DRAIN_SECONDS, drainTimeout.toSeconds(),
                    stop.get() ? ", or " + SIGNALLED_DRAIN_SECONDS + " s after a signal" : "");
                dispatcher.shutdownNow();
                dispatcher.awaitTermination(Duration.ofSeconds(10));
            }
            else if (dispatcher.state() != dev.ringmaster.dispatch.DispatcherState.TERMINATED)
            {
                LOG.warn("every task has ended, but a dispatcher thread is still inside an adapter's call after {} s " +
                    "(an attempt given up at its timeout); stopping the adapters", drainTimeout.toSeconds());
                dispatcher.shutdownNow();
                dispatcher.awaitTermination(Duration.ofSeconds(10));
            }
            if (predictions != null)
            {
                predictions.live().close();
            }
            // at once: the snapshot divides by time since start, which keeps running after termination
            final MetricsSnapshot metrics = dispatcher.metrics();
            final List<DeadLetter> deadLetters = dispatcher.deadLetters();
            clock.close();

            final Map<SubmitStatus, Long> rejections = new EnumMap<>(SubmitStatus.class);
            long acceptedBySubmit = 0;
            for (final SubmitStatus s : SubmitStatus.values())
            {
                final long n = statusCounts.get(s.ordinal());
                if (s.accepted())
                {
                    acceptedBySubmit = n;
                }
                else if (n > 0)
                {
                    rejections.put(s, n);
                }
            }
            final DemoReport report = new DemoReport(settings, fleet, drained, wallNanos, acceptedBySubmit, rejections,
                tally, metrics, deadLetters.subList(0, Math.min(SHOWN_DEAD_LETTERS, deadLetters.size())),
                clock.lateness(), clock.completionErrors());
            if (remote != null)
            {
                report.remote(remote.summary());
            }
            if (predictions != null)
            {
                report.predictions(predictions.summary());
            }
            if (stop.get())
            {
                long submitted = 0;
                for (int s = 0; s < statusCounts.length(); s++)
                {
                    submitted += statusCounts.get(s);
                }
                report.interrupted(submitted);
            }
            if (!settings.contextLoad().isZero())
            {
                report.contexts(DemoPredictions.contexts(settings.contextLoad(), agents));
            }
            if (journal != null)
            {
                // closed before its figures are read: records still in the writer's ring are written only now, and a
                // failure to write them (a full disk, a roll that cannot make the next file) must fail this run
                journal.close();
                final dev.ringmaster.journal.JournalStats stats = journal.stats();
                if (stats.failure() != null || stats.dropped() > 0)
                {
                    report.journalFailed("the journal did not record everything: " + stats.dropped() +
                        " record(s) dropped" + (stats.failure() == null ? "" : "; its writer failed: " + stats.failure()) +
                        " (check the journal directory's disk space and permissions)");
                }
            }
            return report;
        }
        finally
        {
            clock.close();
        }
    }

    private static void startRemote(final Dispatcher dispatcher, final RemoteDemo remote) throws InterruptedException
    {
        try
        {
            remote.start(dispatcher);
        }
        catch (final java.io.IOException | RuntimeException e)
        {
            dispatcher.shutdownNow();
            dispatcher.awaitTermination(Duration.ofSeconds(10));
            throw new IllegalStateException("the agent hosts did not come up: " + e.getMessage(), e);
        }
    }

    /** Submits tasks 0..n-1 (until {@code stop}), split round-robin over the producer threads, and waits for them. */
    private static void produce(final Dispatcher dispatcher, final Workload workload, final DemoSettings settings,
                                final AtomicLongArray statusCounts, final DemoJournal journal,
                                final AtomicBoolean stop, final LifecycleTally tally)
        throws InterruptedException
    {
        final int producers = settings.producers();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>(producers);
        for (int p = 0; p < producers; p++)
        {
            final int first = p;
            final Thread t = new Thread(() ->
            {
                final long[] local = new long[SubmitStatus.values().length];
                final DemoJournal.Producer acked = journal == null ? null :
                    journal.producer(dispatcher, settings.maxSubmitWait());
                try
                {
                    go.await();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                try
                {
                    for (long i = first; i < settings.tasks() && !stop.get(); i += producers)
                    {
                        final Task task = workload.task(i);
                        SubmitStatus status;
                        try
                        {
                            status = acked == null ? dispatcher.submit(task, settings.maxSubmitWait()) :
                                acked.submit(task);
                        }
                        catch (final CompletionException e)
                        {
                            // acknowledged: an earlier task's record was never written, so the writer failed (the
                            // report says so); this task was not submitted, and the producer stops, as serve's does
                            LOG.warn("producer {} stops: an acknowledgement failed: {}", first, e.getMessage());
                            local[SubmitStatus.JOURNAL_FAILED.ordinal()]++;
                            break;
                        }
                        if (!status.accepted() && local[status.ordinal()] == 0)
                        {
                            LOG.warn("task {} rejected: {} ({})", task.id(), status, status.reason());
                        }
                        local[status.ordinal()]++;
                    }
                    if (acked != null)
                    {
                        acked.finish();
                    }
                }
                catch (final CompletionException e)
                {
                    // the last acknowledgements: every task was submitted and counted; the report says the writer failed
                    LOG.warn("producer {}: an acknowledgement failed: {}", first, e.getMessage());
                }
                for (int s = 0; s < local.length; s++)
                {
                    statusCounts.addAndGet(s, local[s]);
                }
            }, "demo-producer-" + p);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        go.countDown();
        // the listener's counts, not metrics(): they move only while routing does, and read nothing routing holds
        awaitProducers(() -> tally.accepted() + tally.completed() + tally.deadLettered() + tally.expired() +
            tally.cancelled() + tally.failedAttempts(), threads, settings.strategy(), stop,
            TimeUnit.SECONDS.toNanos(STALLED_DRAIN_SECONDS),
            TimeUnit.SECONDS.toNanos(STOPPED_PRODUCERS_SECONDS));
    }

    /**
     * Waits for the producers while the run makes progress. A producer routes its own task when nobody else is
     * routing, so a strategy that never returns from select or route holds it inside submit: the run used to hang
     * without a word, and a signal's summary never came (a user's trial). Once nothing was accepted or ended for
     * {@code stalledNanos} ({@value #STALLED_DRAIN_SECONDS} s in a run), or {@code stoppedNanos} after a signal, the run
     * goes on to its drain and summary without them (they are daemon threads), saying why.
     *
     * @return false if it went on without them.
     */
    static boolean awaitProducers(final java.util.function.LongSupplier events, final List<Thread> threads,
                                  final String strategy, final AtomicBoolean stop, final long stalledNanos,
                                  final long stoppedNanos)
        throws InterruptedException
    {
        long seen = -1;
        long movedAt = System.nanoTime();
        long stoppedAt = 0;
        for (final Thread t : threads)
        {
            while (t.isAlive())
            {
                t.join(Math.max(1, Math.min(250, stalledNanos / 4_000_000)));
                final long now = System.nanoTime();
                final long counted = events.getAsLong();
                if (counted != seen)
                {
                    seen = counted;
                    movedAt = now;
                }
                stoppedAt = stoppedAt == 0 && stop.get() ? now : stoppedAt;
                if (t.isAlive() && (now - movedAt >= stalledNanos || stoppedAt != 0 && now - stoppedAt >= stoppedNanos))
                {
                    // not stop: it means a signal, which the report would name; the drain refuses their next submits
                    final boolean stalled = now - movedAt >= stalledNanos;
                    LOG.error("{}: the routing strategy '{}' may be stuck in select or route, which a producer runs " +
                        "when nobody else routes (a strategy must never block: no calls out, locks or sleeps), or " +
                        "every agent is; the run goes on without the producers", stalled ? "no task was accepted or " +
                        "ended for " + (now - movedAt) / 1_000_000 + " ms while the producers were submitting" :
                        "the producers did not stop within " + stoppedNanos / 1_000_000 + " ms of the signal", strategy);
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Drains up to {@code timeout}; once a signal set {@code stop}, for at most {@value #SIGNALLED_DRAIN_SECONDS} s
     * more, so that cancelling the rest and printing the summary fit in the minute the signal's hook waits (a run
     * that could not drain used to be cut off by the JVM's exit with no summary at all).
     */
    private static boolean drain(final Dispatcher dispatcher, final Duration timeout, final AtomicBoolean stop)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long signalled = 0;
        long outstanding = -1;
        long movedAt = System.nanoTime();
        while (!dispatcher.drainQuietly(Duration.ofMillis(250)))
        {
            final long now = System.nanoTime();
            if (signalled == 0 && stop.get())
            {
                signalled = now + TimeUnit.SECONDS.toNanos(SIGNALLED_DRAIN_SECONDS) | 1;
            }
            final long left = dispatcher.outstanding();
            if (left != outstanding)
            {
                outstanding = left;
                movedAt = now;
            }
            // the demo's agents answer in milliseconds: nothing ending for this long is a stall (a strategy that
            // declines every task), not a slow drain, and waiting out the whole timeout only delays its report
            final boolean stalled = now - movedAt >= TimeUnit.SECONDS.toNanos(STALLED_DRAIN_SECONDS);
            if (stalled || now - deadline >= 0 || (signalled != 0 && now - signalled >= 0))
            {
                return false;
            }
        }
        return true;
    }
}
