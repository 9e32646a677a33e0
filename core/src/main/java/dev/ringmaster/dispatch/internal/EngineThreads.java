package dev.ringmaster.dispatch.internal;

import org.jctools.queues.MpscUnboundedArrayQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The dispatcher's threads: the router thread and one per worker, those of workers added while it runs included.
 * {@link #startLater} is called by the routing role's holder, {@link #startAdded} and {@link #pending} by the router
 * thread only, {@link #start} once by {@code Engine.start}, {@link #join} by whoever terminates the dispatcher.
 *
 * <p>Why the router thread starts the threads of added workers: a worker is added on the routing role (a fleet change),
 * whose holder may be a submitter or a worker, and creating and starting a thread takes locks and tens of
 * microseconds; the router thread is off the dispatch path, and is woken for it.
 */
final class EngineThreads
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineThreads.class);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The router thread first, then the workers' in the order they started; the router thread adds those added later. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** Workers the routing role added, whose threads the router thread has not started yet. */
    private final MpscUnboundedArrayQueue<Worker> toStart = new MpscUnboundedArrayQueue<>(8);
    /** Router thread only: an added worker whose thread could not be started (no native thread to be had). */
    private Worker notStarted;
    /** Router thread only: when {@link #notStarted} is tried again; the router wakes far more often than that. */
    private long retryAtNanos;

    /** Starts the router thread and the initial workers' threads. */
    void start(final Runnable router, final Worker[] workers)
    {
        final Thread routerThread = new Thread(router, "ringmaster-router");
        routerThread.setDaemon(true);
        final List<Thread> initial = new ArrayList<>();
        initial.add(routerThread);
        for (final Worker worker : workers)
        {
            initial.add(workerThread(worker));
        }
        threads.addAll(initial);
        for (final Thread t : initial)
        {
            t.start();
        }
    }

    /** Routing role: queues a worker just added for the router thread to start; the caller then wakes that thread. */
    void startLater(final Worker worker)
    {
        toStart.offer(worker);
    }

    /** @return true while an added worker's thread waits to be started; the router thread's check before it parks. */
    boolean pending()
    {
        return !toStart.isEmpty();
    }

    /** Router thread only, outside the role: starts the threads of the workers added since it last looked. */
    void startAdded()
    {
        if (notStarted != null && System.nanoTime() - retryAtNanos < 0)
        {
            return; // a thread limit does not lift between two router steps: each try would log again
        }
        Worker worker = notStarted;
        notStarted = null;
        while (worker != null || (worker = toStart.relaxedPoll()) != null)
        {
            final Thread t = workerThread(worker);
            threads.add(t); // before it starts: join, once the router thread has stopped, finds it
            try
            {
                t.start();
            }
            catch (final OutOfMemoryError e)
            {
                // the JVM could not get a native thread: tried again 50 ms later, not at each router step, which
                // would spin the router and flood the log
                threads.remove(t);
                LOG.error("could not start the thread of worker {} ({}); its agents' tasks wait until it starts: raise " +
                    "the process's thread limit, or lower workers(n)", worker.index(), e.toString());
                notStarted = worker;
                retryAtNanos = System.nanoTime() + RETRY_NANOS;
                return;
            }
            worker = null;
        }
    }

    /**
     * Joins every thread until the deadline, the router thread first: it starts the threads of added workers, so once
     * it has stopped the list is whole. @return true only if every thread has ended: false if one still runs at the
     * deadline (a callback or a synchronous adapter holding it) or the caller was interrupted.
     */
    boolean join(final long deadlineNanos)
    {
        for (int i = 0; i < threads.size(); i++)
        {
            final Thread t = threads.get(i);
            try
            {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return false;
            }
            if (t.isAlive())
            {
                // Thread.join(ms) returns at the timeout without a word: saying "terminated" then would let the
                // caller stop adapters and free what a still-running thread uses
                return false;
            }
        }
        return true;
    }

    private static Thread workerThread(final Worker worker)
    {
        final Thread t = new Thread(worker::run, "ringmaster-worker-" + worker.index());
        t.setDaemon(true);
        return t;
    }
}
