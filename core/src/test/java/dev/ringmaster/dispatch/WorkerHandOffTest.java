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
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> blockUntil(release, leadInside, "a")))
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

    /**
     * The other way round: the lead runs a long task of the agent worker 1 lent it, and a task for the lead's own agent
     * arrives. Nobody steals it (its agent has a free slot), so before the fix it waited for the whole long task: a
     * workflow's step stranded behind its sibling. Which thread starts the long task is a race (the lead, or worker 1
     * waking from a park); only runs where the lead took it test the promise, so the setup is repeated until one does.
     */
    @Test
    void theLeadsOwnAgentDoesNotWaitWhileTheLeadRunsALongTaskOfALentAgent() throws Exception
    {
        int leadRuns = 0;
        for (int attempt = 0; attempt < 40 && leadRuns < 3; attempt++)
        {
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch inside = new CountDownLatch(1);
            final String[] longTaskThread = new String[1];
            final Dispatcher d = Dispatcher.builder().workers(2)
                .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> "a"))
                .agent(AgentSpec.builder("b", "coder").build(), AgentAdapter.sync(t ->
                {
                    longTaskThread[0] = Thread.currentThread().getName();
                    return blockUntil(release, inside, "b");
                }))
                .strategy(TestStrategies.first())
                .build().start();
            try
            {
                Thread.sleep(5); // worker 1 idles past its spin and lends "b" to the lead
                final CompletableFuture<TaskResult> slow = d.submitAsync(Task.builder("coder").targetAgent("b").build());
                assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
                if (!"ringmaster-worker-0".equals(longTaskThread[0]))
                {
                    continue; // worker 1 took its own task: nothing is lent, try again
                }
                leadRuns++;
                final TaskResult r = d.submitAsync(Task.builder("coder").targetAgent("a").build()).get(5, TimeUnit.SECONDS);
                assertThat(r.completed()).isTrue();
                assertThat(r.agentId()).isEqualTo("a");
                assertThat(slow).as("the lead is still inside the long task").isNotDone();
            }
            finally
            {
                release.countDown();
                assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(leadRuns > 0,
            "the hand-off is off on this machine (more than 3 cores), so the lead never ran the lent agent's task");
    }

    /**
     * A worker that is not lent (it has just been busy) enters a long task of one of its agents, and a task for its
     * other agent arrives. Nobody steals it (its agent has a free slot), and before the fix nobody but that worker
     * started it: a fleet with fewer workers than agents stranded every task of the blocked worker's other agents for
     * as long as one slow synchronous call took, while another worker idled. The lead is held in a task first, so that
     * worker 1 is the one woken for both of its agent's tasks, and stays un-lent while the lead is busy.
     */
    @Test
    void anIdleWorkerStartsTheTasksOfAnotherWorkersAgentWhileThatWorkerIsBlockedInALongTask() throws Exception
    {
        final CountDownLatch releaseLead = new CountDownLatch(1);
        final CountDownLatch leadInside = new CountDownLatch(1);
        final CountDownLatch releaseLong = new CountDownLatch(1);
        final CountDownLatch longInside = new CountDownLatch(1);
        final String[] longTaskThread = new String[1];
        // agents go to workers in turn: "a" and "c" to worker 0, "b" and "d" to worker 1
        final Dispatcher d = Dispatcher.builder().workers(2)
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> blockUntil(releaseLead, leadInside, "a")))
            .agent(AgentSpec.builder("b", "coder").build(), AgentAdapter.sync(t ->
            {
                if (t.task().payload() == null)
                {
                    return "b"; // the short task
                }
                longTaskThread[0] = Thread.currentThread().getName();
                return blockUntil(releaseLong, longInside, "b");
            }))
            .agent(AgentSpec.builder("c", "coder").build(), AgentAdapter.sync(t -> "c"))
            .agent(AgentSpec.builder("d", "coder").build(), AgentAdapter.sync(t -> "d"))
            .strategy(TestStrategies.first())
            .build().start();
        CompletableFuture<TaskResult> slow = null;
        try
        {
            final CompletableFuture<TaskResult> lead = d.submitAsync(Task.builder("coder").targetAgent("a").build());
            assertThat(leadInside.await(5, TimeUnit.SECONDS)).isTrue();
            // worker 1 runs a short task of "b" (so it is busy, not lent), then the long one
            assertThat(d.submitAsync(Task.builder("coder").targetAgent("b").build()).get(5, TimeUnit.SECONDS).completed())
                .isTrue();
            slow = d.submitAsync(Task.builder("coder").targetAgent("b").payload("long").build());
            assertThat(longInside.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(longTaskThread[0]).as("the lead is held, so worker 1 runs its own agent's task")
                .isEqualTo("ringmaster-worker-1");
            releaseLead.countDown();
            assertThat(lead.get(5, TimeUnit.SECONDS).completed()).isTrue();
            for (int i = 0; i < 20; i++)
            {
                final TaskResult r = d.submitAsync(Task.builder("coder").targetAgent("d").build()).get(5, TimeUnit.SECONDS);
                assertThat(r.completed()).isTrue();
                assertThat(r.agentId()).isEqualTo("d");
            }
            assertThat(slow).as("worker 1 is still inside its long task").isNotDone();
        }
        finally
        {
            releaseLead.countDown();
            releaseLong.countDown();
        }
        assertThat(slow.get(5, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
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
