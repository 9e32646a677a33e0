package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code workers(n)} holds for agents added while the dispatcher runs, not only for the initial fleet: a dispatcher
 * built with one agent (an autoscaler's minimum, or {@code serve --config} with {@code agents: 0} for a type) and
 * grown later had one worker thread for good, so one synchronous call that blocked held up every other agent.
 */
class AddedAgentWorkersTest
{
    @Test
    void anAgentAddedLaterDoesNotWaitBehindABlockedCallOfTheFirstAgent() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch inside = new CountDownLatch(1);
        final Dispatcher d = Dispatcher.builder().workers(4)
            .agent(AgentSpec.builder("a0", "coder").build(), AgentAdapter.sync(t -> blockUntil(release, inside, "a0")))
            .strategy(TestStrategies.first())
            .build().start();
        try
        {
            d.addAgent(AgentSpec.builder("a1", "coder").build(), AgentAdapter.sync(t -> "ok")).get(5, TimeUnit.SECONDS);
            final CompletableFuture<TaskResult> slow = d.submitAsync(Task.builder("coder").targetAgent("a0").build());
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 20; i++)
            {
                final TaskResult r = d.submitAsync(Task.builder("coder").targetAgent("a1").build()).get(5, TimeUnit.SECONDS);
                assertThat(r.completed()).isTrue();
                assertThat(r.agentId()).isEqualTo("a1");
            }
            assertThat(slow).as("a0's call is still blocked").isNotDone();
        }
        finally
        {
            release.countDown();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aWorkerThreadStartedForAnAddedAgentStopsWhenTheDispatcherTerminates() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch inside = new CountDownLatch(1);
        final AtomicReference<Thread> firstWorker = new AtomicReference<>();
        final AtomicReference<Thread> addedWorker = new AtomicReference<>();
        final Dispatcher d = Dispatcher.builder().workers(2)
            .agent(AgentSpec.builder("a0", "coder").build(), AgentAdapter.sync(t ->
            {
                firstWorker.set(Thread.currentThread());
                return blockUntil(release, inside, "a0");
            }))
            .strategy(TestStrategies.first())
            .build().start();
        try
        {
            d.addAgent(AgentSpec.builder("a1", "coder").build(), AgentAdapter.sync(t ->
            {
                addedWorker.set(Thread.currentThread());
                return "ok";
            })).get(5, TimeUnit.SECONDS);
            d.submitAsync(Task.builder("coder").targetAgent("a0").build());
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(d.submitAsync(Task.builder("coder").targetAgent("a1").build()).get(5, TimeUnit.SECONDS).completed())
                .isTrue();
            assertThat(addedWorker.get()).as("a1's task ran on a thread other than the blocked one")
                .isNotSameAs(firstWorker.get());
        }
        finally
        {
            release.countDown();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        addedWorker.get().join(5_000);
        assertThat(addedWorker.get().isAlive()).as("the worker thread started for a1 was stopped").isFalse();
        firstWorker.get().join(5_000);
        assertThat(firstWorker.get().isAlive()).isFalse();
    }

    /** Blocks the worker thread, as a synchronous call to a slow model does, until released (30 s at most). */
    private static String blockUntil(final CountDownLatch release, final CountDownLatch inside, final String result)
    {
        inside.countDown();
        try
        {
            return release.await(30, TimeUnit.SECONDS) ? result : "timed out";
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
