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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle worker lends its agents to worker 0 (the lead) and parks. The lead may then enter an adapter that does not
 * return for as long as its task takes: the lent worker's agents must not wait behind it. The hand-off is on by default
 * where two workers and a submitter outnumber the cores (up to 3 cores, as CI has), or with
 * {@code -Dringmaster.workerHandOff=on}; elsewhere this test checks the same promise without it.
 */
class WorkerHandOffTest
{
    @Test
    void tasksOfALentWorkersAgentDoNotWaitBehindALongTaskOnTheLead() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch leadInside = new CountDownLatch(1);
        // "a" belongs to worker 0, "b" to worker 1, which has been idle since the start and has lent "b" to worker 0
        final Dispatcher d = Dispatcher.builder().workers(2)
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t ->
            {
                leadInside.countDown();
                try
                {
                    // blocks the worker thread, as a synchronous call to a slow model does
                    return release.await(30, TimeUnit.SECONDS) ? "a" : "timed out";
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }))
            .agent(AgentSpec.builder("b", "coder").build(), AgentAdapter.sync(t -> "b"))
            .strategy(TestStrategies.first())
            .build().start();
        try
        {
            final CompletableFuture<TaskResult> slow = d.submitAsync(Task.builder("coder").targetAgent("a").build());
            assertThat(leadInside.await(5, TimeUnit.SECONDS)).isTrue();
            // the first at once (the lead entered its adapter a moment ago), the rest once it counts as stuck in it
            for (int i = 0; i < 20; i++)
            {
                final TaskResult r = d.submitAsync(Task.builder("coder").targetAgent("b").build()).get(5, TimeUnit.SECONDS);
                assertThat(r.completed()).isTrue();
                assertThat(r.agentId()).isEqualTo("b");
            }
            assertThat(slow).as("the lead is still inside its long task").isNotDone();
        }
        finally
        {
            release.countDown();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }
}
