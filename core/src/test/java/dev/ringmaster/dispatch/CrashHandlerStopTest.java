package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code stopped} future a {@link CrashHandler} is given: it completes however the crashed adapter's stop goes, so
 * an owner waiting to release the adapter is never left waiting for good. Deadlines only bound the waits.
 */
class CrashHandlerStopTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** An adapter that answers nothing and logs its stop; {@code hang} holds stop() until released or interrupted. */
    private static AgentAdapter adapter(final String name, final Queue<String> log, final CountDownLatch hang,
                                        final CountDownLatch stopping)
    {
        return new AgentAdapter()
        {
            @Override
            public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
            {
            }

            @Override
            public void stop()
            {
                stopping.countDown();
                try
                {
                    if (hang != null && !hang.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                    {
                        log.add("stop " + name + " gave up waiting");
                    }
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    log.add("stop " + name + " interrupted");
                    return;
                }
                log.add("stop " + name);
            }
        };
    }

    private static Dispatcher supervised(final Duration maxBackoff)
    {
        return Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("reviewer-0", "reviewer").build(), AgentAdapter.sync(t -> "reviewed"))
            .supervision(new Supervision(1, Duration.ofMillis(20), maxBackoff))
            .build().start();
    }

    /** A handler that takes the crash and keeps its stopped future, by agent id. */
    private static CrashHandler keeping(final Map<String, CompletableFuture<Void>> stopped)
    {
        return (spec, reason, future) ->
        {
            stopped.put(spec.id(), future);
            return true;
        };
    }

    private static void crash(final Dispatcher dispatcher, final String id) throws Exception
    {
        assertThat(dispatcher.crashAgent(id, "host gone").get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void aStopStillQueuedWhenTheDispatcherTerminatesIsRunAndItsFutureCompleted() throws Exception
    {
        final Queue<String> log = new ConcurrentLinkedQueue<>();
        final Map<String, CompletableFuture<Void>> stopped = new ConcurrentHashMap<>();
        final CountDownLatch hang = new CountDownLatch(1);
        final CountDownLatch hungStopping = new CountDownLatch(1);
        // the back-off bound is far beyond the test's deadline: only the stop itself may complete the future
        final Dispatcher dispatcher = supervised(Duration.ofMinutes(5));
        try
        {
            dispatcher.addAgent(AgentSpec.builder("hung", "coder").build(),
                adapter("hung", log, hang, hungStopping), keeping(stopped)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            dispatcher.addAgent(AgentSpec.builder("queued", "coder").build(),
                adapter("queued", log, null, new CountDownLatch(1)), keeping(stopped))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            crash(dispatcher, "hung");
            assertThat(hungStopping.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .as("the supervisor thread is inside the hung adapter's stop()").isTrue();
            crash(dispatcher, "queued"); // its stop waits behind the hung one on the supervisor's thread
            assertThat(dispatcher.drain(DEADLINE)).isTrue(); // terminating closes the supervisor, dropping queued work

            stopped.get("queued").get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(log).contains("stop queued");
            stopped.get("hung").handle((ignored, error) -> null).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
        finally
        {
            hang.countDown();
            dispatcher.drain(Duration.ofSeconds(10));
        }
    }

    @Test
    void aStopThatHangsCompletesTheFutureWithATimeoutAfterTheMaxBackoff() throws Exception
    {
        final Queue<String> log = new ConcurrentLinkedQueue<>();
        final Map<String, CompletableFuture<Void>> stopped = new ConcurrentHashMap<>();
        final CountDownLatch hang = new CountDownLatch(1);
        final Dispatcher dispatcher = supervised(Duration.ofMillis(200));
        try
        {
            dispatcher.addAgent(AgentSpec.builder("hung", "coder").build(),
                adapter("hung", log, hang, new CountDownLatch(1)), keeping(stopped))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            crash(dispatcher, "hung");
            assertThatThrownBy(() -> stopped.get("hung").get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .as("bounded by the supervision's maxBackoff, not by the test's deadline")
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            assertThat(log).as("stop() still runs").doesNotContain("stop hung");
        }
        finally
        {
            hang.countDown();
            assertThat(dispatcher.drain(Duration.ofSeconds(10))).isTrue();
        }
    }
}
