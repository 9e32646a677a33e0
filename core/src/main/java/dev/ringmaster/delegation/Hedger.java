package dev.ringmaster.delegation;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.Task;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hedged requests (tail chopping, after Finagle's backup requests and Envoy's request hedging): the task goes to one
 * agent, and if it has not answered within the {@link HedgeDelay} a second copy goes to another agent; the first
 * success wins. Thread-safe: {@link #submitAsync} may be called from any thread; timers run on one scheduler thread.
 *
 * <p>Guarantees and limits:
 * <ul>
 *   <li>the first copy is the task itself (same id); the hedge is a copy with a fresh id whose {@code avoidAgent} is
 *       the agent holding the first copy when the timer fires (from {@link Dispatcher#whereIs}), so it never lands on
 *       that agent;</li>
 *   <li>at most one hedge per task: {@code Task} has one {@code avoidAgent}, so a third copy could not be kept off
 *       both agents already racing;</li>
 *   <li>if the first copy still waits centrally when the timer fires, a hedge would only queue beside it: the timer
 *       is re-armed instead, each time for twice the delay, up to 64 times it (counted by {@link #hedgesDeferred()});</li>
 *   <li>no hedge for a task addressed to one agent ({@code targetAgent}), nor for one that already avoids an agent
 *       ({@code avoidAgent}: the hedge's own would replace it, so the hedge could run on the agent excluded), nor
 *       once the first copy has finished;</li>
 *   <li>the loser is cancelled if it still waits; if it runs, it finishes and its result is ignored;</li>
 *   <li>if the first copy fails before the hedge is sent the stage fails (the dispatcher already retried it);
 *       if both copies fail, the stage fails with both reasons.</li>
 * </ul>
 *
 * <p>Latency samples are every completed copy's dispatcher latency (acceptance to completion), per task type, in
 * this hedger's own HdrHistogram, cumulative since it was built. The percentile is recomputed at most every 16
 * samples, on a submitting thread, never on the router thread, which only records.
 */
public final class Hedger implements TaskSubmitter, AutoCloseable
{
    private static final int PENDING = 0;
    private static final int HEDGING = 1;
    private static final int DONE = 2;
    private static final int REFRESH_EVERY = 16;
    /** A re-armed timer waits at most 2^6 = 64 hedge delays. */
    private static final int MAX_DEFERRAL_SHIFT = 6;

    private final Dispatcher dispatcher;
    private final HedgeDelay delay;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Race.Stats stats = new Race.Stats();
    private final LongAdder submitted = new LongAdder();
    private final LongAdder hedgesSent = new LongAdder();
    private final LongAdder hedgesRefused = new LongAdder();
    private final LongAdder hedgesWon = new LongAdder();
    private final LongAdder hedgesDeferred = new LongAdder();
    private final ConcurrentHashMap<String, Latency> latencyByType = new ConcurrentHashMap<>();
    private final Set<Request> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Hedger(final Builder b)
    {
        this.dispatcher = b.dispatcher;
        this.delay = b.delay;
        if (b.scheduler != null)
        {
            this.scheduler = b.scheduler;
            this.ownsScheduler = false;
        }
        else
        {
            this.scheduler = TimerThreads.daemon("ringmaster-hedger");
            this.ownsScheduler = true;
        }
    }

    /** @return a builder; the default delay is p95 of observed latency, 100 ms until 20 samples. */
    public static Builder builder(final Dispatcher dispatcher)
    {
        return new Builder(dispatcher);
    }

    /**
     * Sends the task, and a hedge if it is slow.
     *
     * @return completes with the first successful copy's result; exceptionally with the dispatcher's
     *     {@link RejectedTaskException} if the task was refused, or a {@link DelegationException} if no copy succeeded.
     */
    @Override
    public CompletableFuture<TaskResult> submitAsync(final Task task)
    {
        Objects.requireNonNull(task, "task must not be null");
        if (closed)
        {
            return CompletableFuture.failedFuture(
                RejectedTaskException.because(task, SubmitStatus.NOT_RUNNING, "the hedger is closed: submit through " +
                    "a hedger that is open, or to the dispatcher itself"));
        }
        submitted.increment();
        final Race race = new Race(dispatcher, task, "hedged request", stats);
        final Race.Copy first = race.launch(task, "first copy");
        recordLatency(first);
        // the hedge keeps off the first copy's agent through avoidAgent, the one a task holds: it would replace the
        // caller's own, and could then run on the agent the caller excluded
        if (task.targetAgent() != null || task.avoidAgent() != null)
        {
            race.seal();
            return race.outcome();
        }
        final Request request = new Request(task, race, first);
        open.add(request);
        race.outcome().whenComplete((result, error) ->
        {
            final Task hedge = request.hedge;
            if (result != null && hedge != null && result.task().id() == hedge.id())
            {
                hedgesWon.increment();
            }
            stop(request);
        });
        first.future.whenComplete((result, error) ->
        {
            if (result == null || !result.completed())
            {
                stop(request);
            }
        });
        arm(request);
        return race.outcome();
    }

    /** @return tasks submitted through this hedger. */
    public long submitted()
    {
        return submitted.sum();
    }

    /** @return hedges (second copies) the dispatcher accepted. */
    public long hedgesSent()
    {
        return hedgesSent.sum();
    }

    /**
     * @return hedges the dispatcher refused, e.g. NO_CAPABLE_AGENT when the first copy's agent is the only one that
     *     could take the task: the first copy then runs alone.
     */
    public long hedgesRefused()
    {
        return hedgesRefused.sum();
    }

    /** @return hedges whose result won the race. */
    public long hedgesWon()
    {
        return hedgesWon.sum();
    }

    /** @return timers re-armed because the first copy had not reached an agent yet. */
    public long hedgesDeferred()
    {
        return hedgesDeferred.sum();
    }

    /** @return losing copies cancelled before they started. */
    public long losersCancelled()
    {
        return stats.losersCancelled.sum();
    }

    /** @return losing copies already running when the race was decided (they ran, their results ignored). */
    public long losersRunning()
    {
        return stats.losersRunning.sum();
    }

    /** @return the delay a task of this type would get now, in nanoseconds. */
    public long hedgeDelayNanos(final String type)
    {
        if (!delay.adaptive())
        {
            return delay.initialNanos();
        }
        final Latency latency = latencyByType.get(type);
        return latency == null ? delay.initialNanos() : latency.delayNanos();
    }

    /** @return a copy of the latencies observed for a type (nanoseconds), empty if none. */
    public Histogram latencies(final String type)
    {
        final Latency latency = latencyByType.get(type);
        return latency == null ? new Histogram(2) : latency.histogram.copy();
    }

    /** @return the delay policy. */
    public HedgeDelay delay()
    {
        return delay;
    }

    /**
     * Stops hedging and refuses new tasks; tasks in flight carry on with the copies already sent. Shuts down the
     * scheduler if the hedger made it, not one that was supplied.
     */
    @Override
    public void close()
    {
        closed = true;
        for (final Request request : open)
        {
            stop(request);
        }
        if (ownsScheduler)
        {
            scheduler.shutdown();
        }
    }

    private void arm(final Request request)
    {
        if (request.state.get() != PENDING)
        {
            return;
        }
        try
        {
            // doubled per deferral, up to 64 times: asking the dispatcher every delay where each of hundreds of
            // queued tasks is kept its routing busy answering (each answer a pass over the queue)
            final long delay = hedgeDelayNanos(request.task.type()) << Math.min(request.deferrals, MAX_DEFERRAL_SHIFT);
            request.timer = scheduler.schedule(() -> fire(request), delay, TimeUnit.NANOSECONDS);
        }
        catch (final RejectedExecutionException e)
        {
            stop(request);
            return;
        }
        // close() may have swept the open requests before this one was armed
        if (closed)
        {
            stop(request);
        }
        // stopped while arming (a quick answer): stop() may have read the timer before it was set
        if (request.state.get() != PENDING)
        {
            request.timer.cancel(false);
        }
    }

    private void fire(final Request request)
    {
        if (!request.state.compareAndSet(PENDING, HEDGING))
        {
            return;
        }
        if (closed || request.race.outcome().isDone())
        {
            finish(request);
            return;
        }
        // completes on the router thread: hop to the scheduler before submitting anything
        dispatcher.whereIs(request.first.task.id()).whenComplete((where, error) ->
        {
            try
            {
                scheduler.execute(() -> hedgeFrom(request, where, error));
            }
            catch (final RejectedExecutionException e)
            {
                finish(request);
            }
        });
    }

    private void hedgeFrom(final Request request, final String where, final Throwable error)
    {
        if (error != null || closed || request.race.outcome().isDone() ||
            (where == null && request.first.future.isDone()))
        {
            finish(request);
            return;
        }
        // "" waits centrally; null with no result yet is still in the ingress ring (whereIs does not look there)
        if (where == null || where.isEmpty())
        {
            hedgesDeferred.increment();
            request.deferrals++; // one request's timer, answer and re-arm run one after another, never at once
            request.state.set(PENDING);
            arm(request);
            return;
        }
        final Task hedge = Task.Builder.from(request.task).avoidAgent(where).build();
        request.hedge = hedge;
        // counted before it goes: an accepted hedge may win, and the caller read the count, before launch returns
        hedgesSent.increment();
        final Race.Copy copy = request.race.launch(hedge, "hedge avoiding agent '" + where + "'");
        if (copy.future.isCompletedExceptionally() &&
            copy.future.handle((r, e) -> e instanceof RejectedTaskException).getNow(false))
        {
            // a refusal completes the copy's future before submitAsync returns: no other agent could take it
            hedgesSent.decrement();
            hedgesRefused.increment();
        }
        recordLatency(copy);
        finish(request);
    }

    /** Decides "no (more) hedge" for a request whose timer has not fired: cancels it and seals the race. */
    private void stop(final Request request)
    {
        if (request.state.compareAndSet(PENDING, DONE))
        {
            final ScheduledFuture<?> timer = request.timer;
            if (timer != null)
            {
                timer.cancel(false);
            }
            open.remove(request);
            request.race.seal();
        }
    }

    /** Ends the hedging decision that a fired timer started. */
    private void finish(final Request request)
    {
        if (request.state.compareAndSet(HEDGING, DONE))
        {
            open.remove(request);
            request.race.seal();
        }
    }

    private void recordLatency(final Race.Copy copy)
    {
        if (!delay.adaptive())
        {
            return;
        }
        copy.future.whenComplete((result, error) ->
        {
            if (result != null && result.completed())
            {
                latencyByType.computeIfAbsent(result.task().type(), t -> new Latency()).record(result.latencyNanos());
            }
        });
    }

    /** The hedging state of one task: PENDING (timer armed), HEDGING (timer fired, deciding), DONE. */
    private static final class Request
    {
        final Task task;
        final Race race;
        final Race.Copy first;
        final AtomicInteger state = new AtomicInteger(PENDING);
        volatile ScheduledFuture<?> timer;
        volatile Task hedge;
        /** Times the timer was re-armed because the first copy still waited centrally; each doubles the next delay. */
        volatile int deferrals;

        Request(final Task task, final Race race, final Race.Copy first)
        {
            this.task = task;
            this.race = race;
            this.first = first;
        }
    }

    /** Observed latencies of one type; recorded from any thread (mostly the router), read by submitting threads. */
    private final class Latency
    {
        final ConcurrentHistogram histogram = new ConcurrentHistogram(2);
        final AtomicLong samples = new AtomicLong();
        final AtomicLong computedAt = new AtomicLong();
        volatile long cachedNanos;

        void record(final long nanos)
        {
            histogram.recordValue(Math.max(1, nanos));
            samples.incrementAndGet();
        }

        long delayNanos()
        {
            final long n = samples.get();
            if (n < delay.minSamples())
            {
                return delay.initialNanos();
            }
            final long at = computedAt.get();
            // one submitter recomputes; the others use the value before it, which is at most 16 samples old
            if ((at == 0 || n - at >= REFRESH_EVERY) && computedAt.compareAndSet(at, n))
            {
                cachedNanos = Math.max(1, histogram.getValueAtPercentile(delay.percentileValue()));
            }
            final long cached = cachedNanos;
            return cached == 0 ? delay.initialNanos() : cached;
        }
    }

    /** Configures a {@link Hedger}; not thread-safe, use from one thread. */
    public static final class Builder
    {
        private final Dispatcher dispatcher;
        private HedgeDelay delay = HedgeDelay.percentile(95, Duration.ofMillis(100), 20);
        private ScheduledExecutorService scheduler;

        private Builder(final Dispatcher dispatcher)
        {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        }

        /** When to send the hedge: {@link HedgeDelay#fixed} or {@link HedgeDelay#percentile}. */
        public Builder delay(final HedgeDelay delay)
        {
            this.delay = Objects.requireNonNull(delay, "hedge delay must not be null");
            return this;
        }

        /**
         * Runs the timers on this scheduler, which the caller owns and shuts down; by default the hedger makes one
         * daemon thread and shuts it down on {@link Hedger#close()}.
         */
        public Builder scheduler(final ScheduledExecutorService scheduler)
        {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
            return this;
        }

        public Hedger build()
        {
            return new Hedger(this);
        }
    }
}
