package dev.ringmaster.predict;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.StealGuard;
import dev.ringmaster.spi.TaskView;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Pre-routing for a live {@link Dispatcher}: its {@link #listener()} hands every accepted task to a preallocated ring
 * (O(1), allocation-free, on the routing role's holder), and one daemon thread, "ringmaster-prerouting", feeds the
 * arrivals to the predictor (online learning, optionally on top of a model learnt offline), ticks {@link PreRouting}
 * and warms idle agents through {@link Dispatcher#warm}. Wrap the strategy with {@link #wrap} so that tasks of predicted
 * keys prefer warm agents. Thread-safe: build, wire, {@link #start}, {@link #close}, from any thread.
 *
 * <p>Times are the wall clock (epoch nanoseconds), as in a journal, so that the hour of the day means the same online
 * and in a model learnt offline.
 */
public final class LivePreRouting implements AutoCloseable
{
    private final PreRouting preRouting;
    private final ArrivalRing ring = new ArrivalRing(8192);
    private final long tickNanos;
    private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    private final AtomicLong observed = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param predictor the predictor, trained or not (see {@link PredictionModels#read}).
     * @param tick      how often to predict and act.
     */
    public LivePreRouting(final Predictor predictor, final PreRouting.Settings settings, final Duration tick,
                          final PredictionLog log, final CapacityHint capacity)
    {
        if (tick.isNegative() || tick.isZero())
        {
            throw new IllegalArgumentException("the pre-routing tick must be positive, got " + tick);
        }
        this.preRouting = new PreRouting(predictor, settings, log, capacity);
        this.tickNanos = tick.toNanos();
    }

    /** A predictor with the defaults: threshold 0.7, 30-second horizon, a tick a second, no log, no capacity hint. */
    public LivePreRouting(final Predictor predictor)
    {
        this(predictor, PreRouting.Settings.defaults(), Duration.ofSeconds(1), null, null);
    }

    /** Loads a model learnt offline ({@code ringmaster learn}) into the predictor, before {@link #start}. */
    public LivePreRouting model(final Path file) throws IOException
    {
        PredictionModels.read(file, preRouting.predictor());
        return this;
    }

    /** @return the strategy with pre-routing on top, for {@code Dispatcher.builder().strategy(...)}. */
    public RoutingStrategy wrap(final RoutingStrategy strategy)
    {
        return new PredictiveStrategy(strategy, preRouting, System::nanoTime);
    }

    /**
     * @return the guard for {@code Dispatcher.builder().stealGuard(...)}: a task waiting at the agent holding its key
     *     warm is not stolen by a cold agent while the wait is shorter than a cold load ({@link PreRouting#mayMove}).
     */
    public StealGuard stealGuard()
    {
        return preRouting::mayMove;
    }

    /** @return the listener for {@code Dispatcher.builder().listener(...)}: it feeds the predictor. */
    public DispatchListener listener()
    {
        return new DispatchListener()
        {
            @Override
            public void onAccepted(final TaskView task, final long nanos)
            {
                ring.offer(task.task().type(), task.task().affinityKey(), task.task().requiredSkills(), nanos);
            }

            @Override
            public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                              final String strategy, final double score, final double runnerUp,
                                              final long assignedNanos)
            {
                onAccepted(task, acceptedNanos);
            }
        };
    }

    /** Starts the pre-routing thread for this (started) dispatcher. @return this. */
    public synchronized LivePreRouting start(final Dispatcher dispatcher)
    {
        if (thread != null)
        {
            throw new IllegalStateException("pre-routing is already started");
        }
        running = true;
        final Warmer warmer = dispatcher::warm;
        thread = new Thread(() -> loop(dispatcher, warmer), "ringmaster-prerouting");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void loop(final Dispatcher dispatcher, final Warmer warmer)
    {
        long nextTick = 0;
        while (running)
        {
            observed.addAndGet(ring.drain(preRouting, epochOffsetNanos));
            final long now = System.nanoTime();
            if (now - nextTick >= 0)
            {
                try
                {
                    final List<AgentView> agents = dispatcher.agents();
                    preRouting.tick(now + epochOffsetNanos, agents, warmer);
                }
                catch (final Throwable e)
                {
                    // the dispatcher closed under us, or listing agents failed: next tick. An Error here must not end
                    // the thread either: pre-routing would stop for good, and nothing would say so
                    if (running)
                    {
                        preRouting.tickFailed(e);
                    }
                }
                nextTick = now + tickNanos;
            }
            LockSupport.parkNanos(Math.min(tickNanos, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        // arrivals since the last drain: without this the last 50 ms of a run were never learnt, nor counted
        observed.addAndGet(ring.drain(preRouting, epochOffsetNanos));
    }

    public PreRouting preRouting()
    {
        return preRouting;
    }

    /** @return arrivals fed to the predictor so far. */
    public long observed()
    {
        return observed.get();
    }

    /** @return arrivals dropped because the pre-routing thread fell behind. */
    public long dropped()
    {
        return ring.dropped();
    }

    @Override
    public synchronized void close()
    {
        running = false;
        if (thread != null)
        {
            LockSupport.unpark(thread);
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
