package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retry of an attempt that timed out while its synchronous adapter call still hangs: the hung call still holds the
 * agent (its worker's thread, and calls for one agent never overlap), so the retry must go to another eligible agent,
 * or wait centrally and expire with its reason, never sit in the hung agent's inbox behind the call.
 */
class RetryPastHungCallTest
{
    private static final String TYPE = "worker";

    /** Hangs in its first call until let go (bounded), then answers; later calls answer at once. */
    private static final class HangsOnce implements AgentAdapter
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
            throws InterruptedException
        {
            if (calls.incrementAndGet() == 1)
            {
                entered.countDown();
                letGo.await(30, TimeUnit.SECONDS);
            }
            completion.succeed("hung");
        }
    }

    @ParameterizedTest(name = "hung agent's capacity: {0}")
    @ValueSource(ints = {1, 2})
    void theRetryGoesToTheFreeAgentNotBehindTheHungCall(final int capacity) throws Exception
    {
        final HangsOnce hangs = new HangsOnce();
        // the strategy always prefers the hung agent when it looks eligible
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("hung", TYPE).capacity(capacity).build(), hangs)
            .agent(AgentSpec.builder("free", TYPE).capacity(1).build(), AgentAdapter.sync(t -> "free"))
            .strategy(TestStrategies.first()).prefetch(0).workers(2)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).watchdogInterval(Duration.ofMillis(5))
            .build().start();
        try
        {
            final var first = d.submitAsync(Task.builder(TYPE).timeout(Duration.ofMillis(50)).maxRetries(2).build());
            assertThat(hangs.entered.await(5, TimeUnit.SECONDS)).isTrue();
            final TaskResult r = first.get(5, TimeUnit.SECONDS);
            assertThat(r.state()).as(d::describe).isEqualTo(TerminalState.COMPLETED);
            assertThat(r.agentId()).isEqualTo("free");
            // and tasks that come while the call hangs go to the free agent too
            for (int i = 0; i < 5; i++)
            {
                final TaskResult next = d.submitAsync(Task.builder(TYPE).build()).get(5, TimeUnit.SECONDS);
                assertThat(next.agentId()).as(d::describe).isEqualTo("free");
            }
        }
        finally
        {
            hangs.letGo.countDown();
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
        }
    }

    @ParameterizedTest(name = "hung agent's capacity: {0}")
    @ValueSource(ints = {1, 2})
    void withOnlyTheHungAgentTheRetryWaitsCentrallyAndExpiresWithItsReason(final int capacity) throws Exception
    {
        final HangsOnce hangs = new HangsOnce();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("hung", TYPE).capacity(capacity).build(), hangs)
            .strategy(TestStrategies.leastLoaded()).prefetch(0).workers(1)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).watchdogInterval(Duration.ofMillis(5))
            .build().start();
        try
        {
            final var first = d.submitAsync(Task.builder(TYPE).timeout(Duration.ofMillis(50)).maxRetries(2)
                .ttl(Duration.ofMillis(400)).build());
            assertThat(hangs.entered.await(5, TimeUnit.SECONDS)).isTrue();
            final TaskResult r = first.get(5, TimeUnit.SECONDS);
            assertThat(r.state()).as(d::describe).isEqualTo(TerminalState.EXPIRED);
            assertThat(r.reason()).contains("time to live");
            // the hung call answers: the agent runs tasks again
            hangs.letGo.countDown();
            final TaskResult after = d.submitAsync(Task.builder(TYPE).build()).get(5, TimeUnit.SECONDS);
            assertThat(after.state()).as(d::describe).isEqualTo(TerminalState.COMPLETED);
        }
        finally
        {
            hangs.letGo.countDown();
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
        }
    }
}
