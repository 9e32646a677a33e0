package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submitting thread allocates nothing per task in steady state, with or without a wait: a submit that builds an
 * error message it does not throw (a string concatenation per call) would show here as tens of bytes per task. The
 * submitter also routes as a guest of the routing role, so this covers that path on its thread too.
 */
class SubmitAllocationTest
{
    private static final int TASKS = 4_096;
    private static final int IN_FLIGHT = 512;
    private static final int ROUND = 50_000;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void submitAllocatesNothingPerTask(final boolean withWait)
    {
        final var bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        final var threads = (com.sun.management.ThreadMXBean)bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final AtomicLong finished = new AtomicLong();
        final AgentAdapter noop = (task, completion, telemetry) -> completion.succeed(Boolean.TRUE, 0, Double.NaN);
        final Dispatcher.Builder b = Dispatcher.builder().workers(2).strategy(TestStrategies.leastLoaded()).onResult((view, state, result, reason) -> finished.incrementAndGet());
        for (int i = 0; i < 4; i++)
        {
            b.agent(AgentSpec.builder("agent-" + i, "noop").capacity(64).build(), noop);
        }
        final Task[] tasks = new Task[TASKS];
        for (int i = 0; i < TASKS; i++)
        {
            tasks[i] = Task.builder("noop").id(i).maxRetries(0).build();
        }
        try (Dispatcher d = b.build().start())
        {
            final long thread = Thread.currentThread().getId();
            final long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            long submitted = 0;
            long fewest = Long.MAX_VALUE;
            // warm-up rounds let the JIT compile the path; the fewest bytes of any later round is the steady state
            for (int round = 0; round < 12 && System.nanoTime() < deadline; round++)
            {
                final long before = threads.getThreadAllocatedBytes(thread);
                submitted = submitRound(d, tasks, submitted, finished, withWait, deadline);
                final long bytes = threads.getThreadAllocatedBytes(thread) - before;
                if (round >= 4)
                {
                    fewest = Math.min(fewest, bytes);
                }
            }
            assertThat(fewest).as("bytes the submitting thread allocated in its leanest round of %d submits (%s a wait)",
                ROUND, withWait ? "with" : "without").isLessThan(ROUND / 10);
            assertThat(d.drain(WAIT)).isTrue();
        }
    }

    /** Submits ROUND tasks, keeping at most IN_FLIGHT unfinished; plain checks only, so the loop allocates nothing. */
    private static long submitRound(final Dispatcher d, final Task[] tasks, final long from, final AtomicLong finished,
                                    final boolean withWait, final long deadline)
    {
        long next = from;
        while (next < from + ROUND)
        {
            while (next - finished.get() >= IN_FLIGHT)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("tasks stopped finishing: " + finished.get() + " of " + next);
                }
                Thread.onSpinWait();
            }
            final Task task = tasks[(int)(next % TASKS)];
            final SubmitStatus status = withWait ? d.submit(task, WAIT) : d.submit(task);
            if (status == SubmitStatus.ACCEPTED)
            {
                next++;
            }
            else if (status != SubmitStatus.DUPLICATE_ID && status != SubmitStatus.RING_FULL && status != SubmitStatus.QUEUE_FULL)
            {
                throw new AssertionError("submit refused: " + status);
            }
            else if (System.nanoTime() > deadline)
            {
                throw new AssertionError("submits kept being refused: " + status);
            }
        }
        return next;
    }
}
