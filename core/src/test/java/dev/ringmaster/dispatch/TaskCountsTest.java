package dev.ringmaster.dispatch;

import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.metrics.TaskCounts;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Tasks by state per priority and per tenant, with the tenants' series bounded. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskCountsTest
{
    @Test
    void tasksAreCountedByPriorityAndTenantWithLateTenantsFoldedIntoOther()
    {
        // an agent that fails every task whose payload says so (no retries: it is dead-lettered at once)
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin()).workers(1)
            .agent(AgentSpec.builder("a", "coder").capacity(4).build(), (view, completion, telemetry) ->
            {
                if ("fail".equals(view.task().payload()))
                {
                    completion.fail(new IllegalStateException("asked to fail"));
                }
                else
                {
                    completion.succeed("ok", 1, 1.0);
                }
            })
            .build().start();
        for (int i = 0; i < 50; i++)
        {
            // every fifth task has no tenant; the other 40 have 40 tenants: the first 32 by name, 8 as "(other)"
            final Task.Builder b = Task.builder("coder").priority(i % 2 == 0 ? Priority.HIGH : Priority.LOW)
                .maxRetries(0).payload(i % 4 == 0 ? "fail" : "ok");
            d.submitOrThrow((i % 5 == 4 ? b : b.tenant("t" + i)).build());
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

        final MetricsSnapshot m = d.metrics();
        final TaskCounts high = m.tasksByPriority().get(Priority.HIGH);
        // even i are HIGH; i % 4 == 0 (13 of them) fail
        assertThat(high).isEqualTo(new TaskCounts(25, 12, 13, 0, 0));
        assertThat(m.tasksByPriority().get(Priority.LOW)).isEqualTo(new TaskCounts(25, 25, 0, 0, 0));
        assertThat(m.tasksByPriority().get(Priority.CRITICAL).accepted()).isZero();
        assertThat(m.tasksByTenant().get("t0")).isEqualTo(new TaskCounts(1, 0, 1, 0, 0));
        assertThat(m.tasksByTenant().get("t1")).isEqualTo(new TaskCounts(1, 1, 0, 0, 0));
        assertThat(m.tasksByTenant().get("(none)").accepted()).isEqualTo(10);
        assertThat(m.tasksByTenant()).hasSize(32 + 2).doesNotContainKey("t49");
        assertThat(m.tasksByTenant().get("(other)").accepted()).isEqualTo(8);
        final long all = m.tasksByTenant().values().stream().mapToLong(TaskCounts::accepted).sum();
        assertThat(all).isEqualTo(50);
        assertThat(m.tasksByTenant().values().stream().mapToLong(TaskCounts::outstanding).sum()).isZero();
        d.close();
    }

    @Test
    void aReprioritizedTaskEndsAtThePriorityItWasAcceptedAtSoNoLevelGoesNegative() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin()).workers(1)
            .agent(AgentSpec.builder("a", "coder").capacity(4).build(), (view, completion, telemetry) ->
            {
                if ("fail".equals(view.task().payload()))
                {
                    completion.fail(new IllegalStateException("asked to fail"));
                }
                else
                {
                    completion.succeed("ok", 1, 1.0);
                }
            })
            .build().start();
        d.pauseType("coder").get(5, TimeUnit.SECONDS); // the tasks wait centrally, where they can be moved
        final Task cancelled = Task.builder("coder").priority(Priority.LOW).build();
        final Task completed = Task.builder("coder").priority(Priority.LOW).build();
        final Task failed = Task.builder("coder").priority(Priority.HIGH).maxRetries(0).payload("fail").build();
        final var cancelledResult = d.submitAsync(cancelled);
        final var completedResult = d.submitAsync(completed);
        final var failedResult = d.submitAsync(failed);
        assertThat(d.reprioritize(cancelled.id(), Priority.CRITICAL).get(5, TimeUnit.SECONDS))
            .isEqualTo(ReprioritizeOutcome.MOVED);
        assertThat(d.reprioritize(completed.id(), Priority.HIGH).get(5, TimeUnit.SECONDS))
            .isEqualTo(ReprioritizeOutcome.MOVED);
        assertThat(d.reprioritize(failed.id(), Priority.LOW).get(5, TimeUnit.SECONDS))
            .isEqualTo(ReprioritizeOutcome.MOVED);
        assertThat(d.cancel(cancelled.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(cancelledResult.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.CANCELLED);
        consistentByPriority(d.metrics());

        d.resumeType("coder").get(5, TimeUnit.SECONDS);
        assertThat(completedResult.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        assertThat(failedResult.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.DEAD_LETTERED);
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

        final MetricsSnapshot m = d.metrics();
        consistentByPriority(m);
        assertThat(m.outstanding()).isZero();
        // every count stays at the priority the task was submitted with, whatever it was moved to
        assertThat(m.tasksByPriority().get(Priority.LOW)).isEqualTo(new TaskCounts(2, 1, 0, 0, 1));
        assertThat(m.tasksByPriority().get(Priority.HIGH)).isEqualTo(new TaskCounts(1, 0, 1, 0, 0));
        assertThat(m.tasksByPriority().get(Priority.CRITICAL)).isEqualTo(new TaskCounts(0, 0, 0, 0, 0));
        d.close();
    }

    private static void consistentByPriority(final MetricsSnapshot m)
    {
        long outstanding = 0;
        for (final Map.Entry<Priority, TaskCounts> e : m.tasksByPriority().entrySet())
        {
            final TaskCounts c = e.getValue();
            assertThat(c.outstanding()).as("outstanding at %s", e.getKey()).isNotNegative();
            assertThat(c.completed() + c.deadLettered() + c.expired() + c.cancelled() + c.outstanding())
                .as("accepted at %s", e.getKey()).isEqualTo(c.accepted());
            outstanding += c.outstanding();
        }
        // called only when nothing moves (the type paused, or drained), so the totals and the tally agree
        assertThat(outstanding).as("outstanding over all priorities").isEqualTo(m.outstanding());
    }
}
