package dev.ringmaster.workflow;

import dev.ringmaster.dispatch.Dispatcher;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs {@link Workflow}s on a {@link Dispatcher}, the "supervisor" delegation model: {@link #run} and {@link #close}
 * may be called from any thread, while every run's bookkeeping, every step's payload function and the completion of
 * every run's result happen on the supervisor's one thread.
 *
 * <p>Why one thread: a run's state (which steps wait, which are in the dispatcher, their results) then lives in plain
 * fields, with no lock and no CAS, and every transition is applied in one order. Whatever happens to a run elsewhere
 * (its start, a step's end on the dispatcher's router thread, a cancel from the caller) is posted as an event to an
 * MPSC mailbox; posting is an offer and, only if the supervisor is parked, an unpark, so the router thread never blocks
 * or runs user code on a workflow's behalf.
 *
 * <p>Payload functions therefore must be quick; a slow one delays every run of this supervisor. Result stages are
 * completed on the supervisor thread too: chain heavy work with the *Async variants.
 */
public final class Supervisor implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    /** Park bound: a safety net only, since every post wakes a parked supervisor. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Dispatcher dispatcher;
    private final MpscUnboundedArrayQueue<Runnable> mailbox = new MpscUnboundedArrayQueue<>(64);
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closing;
    private volatile boolean terminated;

    // supervisor thread only
    private final List<RunState> active = new ArrayList<>();
    private boolean stopped;
    // single writer (the supervisor thread); read by tests to tell parking from spinning
    private volatile long parks;

    private Supervisor(final Dispatcher dispatcher, final String threadName)
    {
        this.dispatcher = dispatcher;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /** @return a started supervisor whose thread is named "ringmaster-supervisor". */
    public static Supervisor start(final Dispatcher dispatcher)
    {
        return start(dispatcher, "ringmaster-supervisor");
    }

    /** @return a started supervisor on a daemon thread of that name; {@link #close()} stops it. */
    public static Supervisor start(final Dispatcher dispatcher, final String threadName)
    {
        Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        Objects.requireNonNull(threadName, "thread name must not be null");
        final Supervisor supervisor = new Supervisor(dispatcher, threadName);
        supervisor.thread.start();
        return supervisor;
    }

    /**
     * Starts a run: the steps without dependencies are submitted at once (up to the workflow's
     * {@code maxParallelSteps}), each other step as soon as all its dependencies have completed.
     *
     * @return the run's handle; its result completes normally whether the run succeeds, fails or is cancelled.
     * @throws IllegalStateException if the supervisor is closed.
     */
    public WorkflowRun run(final Workflow workflow)
    {
        Objects.requireNonNull(workflow, "workflow must not be null");
        if (closing)
        {
            throw new IllegalStateException("supervisor is closed: cannot start workflow '" + workflow.name() + "'");
        }
        final RunState run = new RunState(this, workflow);
        post(run::start);
        if (terminated)
        {
            // closed between the check above and the post: the start event may never be drained
            run.endUnstarted("the supervisor closed before the run started");
        }
        return new WorkflowRun(run);
    }

    /**
     * Cancels every unfinished run (as {@link WorkflowRun#cancel()} does) and stops the supervisor thread, waiting up
     * to 10 seconds for it. Steps already in the dispatcher run to their end there.
     */
    @Override
    public void close()
    {
        if (!closing)
        {
            closing = true;
            post(this::stop);
        }
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(CLOSE_WAIT.toMillis());
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the dispatcher steps are submitted to. */
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /** Any thread. */
    void post(final Runnable event)
    {
        mailbox.offer(event);
        VarHandle.fullFence(); // StoreLoad: the event is visible before we read 'parked', the other half of loop()'s pair
        if (parked)
        {
            LockSupport.unpark(thread);
        }
    }

    /** Supervisor thread only. */
    boolean stopped()
    {
        return stopped;
    }

    /** Any thread: how often the supervisor thread has parked for want of events. */
    long parks()
    {
        return parks;
    }

    /** Supervisor thread only. */
    void register(final RunState run)
    {
        active.add(run);
    }

    /** Supervisor thread only. */
    void unregister(final RunState run)
    {
        active.remove(run);
    }

    private void stop()
    {
        stopped = true;
        for (final RunState run : new ArrayList<>(active))
        {
            run.cancel("the supervisor closed");
        }
    }

    private void loop()
    {
        while (!stopped)
        {
            if (drain() == 0)
            {
                parked = true; // volatile store, then the mailbox's volatile index load: a post is never missed
                if (mailbox.isEmpty())
                {
                    // user code run here (a payload function, a result stage) may leave the thread interrupted, and
                    // parkNanos returns at once while the flag is set: the loop would spin a core until close()
                    Thread.interrupted();
                    LockSupport.parkNanos(this, MAX_PARK_NANOS);
                    parks++;
                }
                parked = false;
            }
        }
        terminated = true;
        VarHandle.fullFence(); // StoreLoad: a run() that missed 'terminated' has its start event visible to this drain
        drain();
    }

    private int drain()
    {
        int events = 0;
        Runnable event;
        while ((event = mailbox.poll()) != null)
        {
            events++;
            try
            {
                event.run();
            }
            catch (final Throwable t)
            {
                // user code is caught per step in RunState; reaching here is a bug, which must not stop every run
                LOG.error("workflow supervisor event failed", t);
            }
        }
        return events;
    }
}
