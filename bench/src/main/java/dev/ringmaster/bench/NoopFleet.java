package dev.ringmaster.bench;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;

import java.time.Duration;

/**
 * A started dispatcher whose agents do nothing, plus pre-built tasks and a count of terminal results: the fixture of
 * the submit-to-completion benchmarks. {@link #submit} and {@link #awaitTerminal} belong to the one benchmark thread;
 * the counters are written by the dispatcher's router thread (its result handler) and read by the benchmark thread.
 */
public final class NoopFleet implements AutoCloseable
{
    /** The agent type of every agent and task. */
    public static final String TYPE = "noop";
    /** How long a batch may take before the benchmark fails instead of hanging (a lost task is a bug). */
    private static final long STALL_NANOS = Duration.ofSeconds(30).toNanos();

    private final Dispatcher dispatcher;
    private final Task[] tasks;
    private final PaddedCounter completed = new PaddedCounter();
    private final PaddedCounter otherTerminal = new PaddedCounter();
    private long submitted;

    /**
     * @param agents   agents of type {@link #TYPE}.
     * @param capacity tasks each agent runs at once.
     * @param workers  dispatcher worker threads.
     * @param strategy routing strategy name.
     * @param tasks    distinct pre-built tasks to cycle through (each is resubmitted, Task is immutable).
     */
    public NoopFleet(final int agents, final int capacity, final int workers, final String strategy, final int tasks)
    {
        this(agents, capacity, workers, strategy, "none", tasks);
    }

    /** As the other constructor, with a shadow strategy by name, "none" for none. */
    public NoopFleet(final int agents, final int capacity, final int workers, final String strategy,
                     final String shadow, final int tasks)
    {
        // completes synchronously with a constant: nothing allocated per task by the adapter
        final AgentAdapter noop = (task, completion, telemetry) -> completion.succeed(Boolean.TRUE, 0, Double.NaN);
        final Dispatcher.Builder b = Dispatcher.builder().strategy(strategy).workers(workers).onResult(
            (task, state, result, reason) ->
            {
                if (state == TerminalState.COMPLETED)
                {
                    completed.increment();
                }
                else
                {
                    otherTerminal.increment();
                }
            });
        for (int i = 0; i < agents; i++)
        {
            b.agent(AgentSpec.builder("agent-" + i, TYPE).capacity(capacity).build(), noop);
        }
        if (shadow != null && !"none".equals(shadow))
        {
            b.shadow(shadow);
        }
        this.dispatcher = b.build().start();
        this.tasks = new Task[tasks];
        for (int i = 0; i < tasks; i++)
        {
            this.tasks[i] = Task.builder(TYPE).maxRetries(0).build();
        }
    }

    /** Benchmark thread: submits pre-built task {@code i}, retrying while the ring or queue is full. */
    public void submit(final int i)
    {
        final Task task = tasks[i];
        SubmitStatus status;
        while ((status = dispatcher.submit(task)) != SubmitStatus.ACCEPTED)
        {
            if (status != SubmitStatus.RING_FULL && status != SubmitStatus.QUEUE_FULL)
            {
                throw new IllegalStateException("task refused: " + status + " (" + status.reason() + ")");
            }
            Thread.yield();
        }
        submitted++;
    }

    /**
     * Benchmark thread: waits, spinning briefly then yielding the core (the router and workers need it on a small
     * machine), until every task submitted so far is terminal.
     *
     * @throws IllegalStateException if a task ends other than completed, or nothing is heard for 30 s.
     */
    public void awaitTerminal()
    {
        final long target = submitted;
        int spins = 0;
        long deadline = 0;
        while (completed.get() + otherTerminal.get() < target)
        {
            if (++spins < 64)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
                if ((spins & 0xFFF) == 0)
                {
                    final long now = System.nanoTime();
                    if (deadline == 0)
                    {
                        deadline = now + STALL_NANOS;
                    }
                    else if (now - deadline > 0)
                    {
                        throw new IllegalStateException("stalled: " + (completed.get() + otherTerminal.get()) + " of " +
                            target + " submitted tasks terminal after 30 s; outstanding " + dispatcher.outstanding());
                    }
                }
            }
        }
        if (otherTerminal.get() != 0)
        {
            throw new IllegalStateException(otherTerminal.get() + " no-op tasks did not complete: " +
                dispatcher.deadLetters());
        }
    }

    /** @return how many pre-built tasks there are. */
    public int taskCount()
    {
        return tasks.length;
    }

    /** @return the dispatcher, for teardown and metrics. */
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /** Drains the dispatcher; benchmark thread, after the last {@link #awaitTerminal}. */
    @Override
    public void close()
    {
        if (!dispatcher.drain(Duration.ofSeconds(10)))
        {
            dispatcher.shutdownNow();
        }
    }
}
