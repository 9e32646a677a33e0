package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * awaitTermination says "terminated" only once every dispatcher thread has ended: a worker still inside a synchronous
 * adapter call that ignores interrupts must keep it false, or the caller would stop adapters under a running call.
 */
class AwaitTerminationThreadsTest
{
    /** Blocks its call, deaf to interrupts, until let go (bounded, so the test cannot leave a thread for good). */
    private static final class Deaf implements AgentAdapter
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        volatile boolean releasedByStop;

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        {
            entered.countDown();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (letGo.getCount() > 0 && System.nanoTime() - deadline < 0)
            {
                try
                {
                    letGo.await(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ignored)
                {
                    // deaf on purpose: the shutdown's interrupt must not end this call
                }
            }
            completion.succeed("late");
        }

        @Override
        public void stop()
        {
            if (releasedByStop)
            {
                letGo.countDown(); // as closing a client aborts the request blocked in it
            }
        }
    }

    @Test
    void falseWhileAWorkerIsStillInsideACallAndTrueOnceItReturns() throws Exception
    {
        final Deaf deaf = new Deaf();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("deaf", "worker").capacity(1).build(), deaf)
            .strategy(TestStrategies.first()).workers(1)
            .build().start();
        try
        {
            final var result = d.submitAsync(Task.builder("worker").build());
            assertThat(deaf.entered.await(5, TimeUnit.SECONDS)).isTrue();
            d.shutdownNow();
            // the task is given up (its late answer will be ignored): nothing is outstanding, only the thread runs on
            assertThat(result.get(20, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.CANCELLED);
            assertThat(d.awaitTermination(Duration.ofMillis(300)))
                .as("a worker thread is still inside the adapter's call: %s", d.describe()).isFalse();
            assertThat(d.state()).isNotEqualTo(DispatcherState.TERMINATED);
            // stopping, nothing outstanding: a question about the task is answered, not failed as "not running"
            final long id = result.get().task().id();
            assertThat(d.cancel(id).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.NOT_FOUND);
            assertThat(d.whereIs(id).get(5, TimeUnit.SECONDS)).isNull();
        }
        finally
        {
            deaf.letGo.countDown();
        }
        assertThat(d.awaitTermination(Duration.ofSeconds(20))).as(d::describe).isTrue();
        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
    }

    @Test
    void aDrainLeftWithOnlyAHungCallSaysSoAndShutdownNowStopsTheAdapterThatReleasesIt() throws Exception
    {
        final Deaf deaf = new Deaf();
        deaf.releasedByStop = true;
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("deaf", "worker").capacity(1).build(), deaf)
            .strategy(TestStrategies.first()).workers(1).watchdogInterval(Duration.ofMillis(5))
            .build().start();
        try
        {
            final var result = d.submitAsync(Task.builder("worker").timeout(Duration.ofMillis(50)).maxRetries(0).build());
            assertThat(deaf.entered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(result.get(20, TimeUnit.SECONDS).state()).isNotEqualTo(TerminalState.COMPLETED);
            assertThat(d.drain(Duration.ofMillis(300))).as("a worker is still inside the given-up call").isFalse();
            assertThat(DrainBlockers.timedOut(d, Duration.ofMillis(300)))
                .contains("every task has ended", "still inside a call", "call shutdownNow");
            d.shutdownNow(); // stops the adapter, whose stop() lets the call return
            assertThat(d.awaitTermination(Duration.ofSeconds(20))).as(d::describe).isTrue();
        }
        finally
        {
            deaf.letGo.countDown();
        }
    }
    /**
     * A user's trial: an adapter blocked in an interruptible wait, its attempt past its timeout. shutdownNow stops the
     * adapter (which does not release the wait), then awaitTermination interrupts the worker still inside the call, as
     * ExecutorService.shutdownNow interrupts its running tasks; before, the thread was never interrupted and close()
     * waited 30 s for it in vain. A drain never interrupts a call.
     */
    @Test
    void afterShutdownNowAWorkerStillInsideAnInterruptibleCallIsInterrupted() throws Exception
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("hang", "worker").capacity(1).build(), (task, completion, telemetry) ->
            {
                entered.countDown();
                try
                {
                    never.await(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    interrupted.countDown();
                    throw e;
                }
                completion.succeed("released by the test's deadline");
            })
            .strategy(TestStrategies.first()).workers(1).watchdogInterval(Duration.ofMillis(5))
            .build().start();
        try
        {
            final var result = d.submitAsync(Task.builder("worker").timeout(Duration.ofMillis(50)).maxRetries(0).build());
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(result.get(20, TimeUnit.SECONDS).state()).isNotEqualTo(TerminalState.COMPLETED);
            assertThat(d.drain(Duration.ofMillis(200))).as("a worker is still inside the given-up call").isFalse();
            assertThat(interrupted.getCount()).as("interrupted by a drain").isEqualTo(1);
            d.shutdownNow();
            assertThat(d.awaitTermination(Duration.ofSeconds(20))).as(d::describe).isTrue();
            assertThat(interrupted.getCount()).as("the call saw an interrupt").isZero();
        }
        finally
        {
            never.countDown();
        }
    }
}
