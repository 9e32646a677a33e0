package dev.ringmaster.dispatch;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancel by id, locate by id, direct assignment and agent avoidance, which the delegation models build on. */
class TaskControlTest
{
    @Test
    void cancelStopsAWaitingTaskButNotARunningOne() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), gate)
            .strategy(TestStrategies.first()).prefetch(0).listener(log).build().start();
        final Task running = Task.builder("coder").build();
        final Task waiting = Task.builder("coder").build();
        d.submit(running);
        final var waitingResult = d.submitAsync(waiting);
        Await.until("the first task starts", () -> !gate.startOrder.isEmpty());
        assertThat(d.whereIs(running.id()).get(5, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(d.whereIs(waiting.id()).get(5, TimeUnit.SECONDS)).isEqualTo("");
        assertThat(d.whereIs(987_654_321L).get(5, TimeUnit.SECONDS)).isNull();

        assertThat(d.cancel(waiting.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(waitingResult.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.CANCELLED);
        assertThat(d.cancel(running.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.RUNNING);
        assertThat(d.cancel(waiting.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.NOT_FOUND);
        gate.releaseAll();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.duplicates).isEmpty();
        assertThat(log.completed.get()).isEqualTo(1);
        assertThat(log.cancelled.get()).isEqualTo(1);
    }

    @Test
    void aTaskWhoseAttemptTimedOutIsNotReportedOnTheHungAgentOnceItWaitsElsewhereOrEnded() throws Exception
    {
        // the first attempt hangs past its timeout (its completion is kept for a late answer); the retry completes
        final java.util.concurrent.atomic.AtomicReference<dev.ringmaster.spi.Completion> hung = new java.util.concurrent.atomic.AtomicReference<>();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").capacity(2).build(), (task, completion, telemetry) ->
            {
                if (task.attempt() == 1)
                {
                    hung.set(completion);
                }
                else
                {
                    completion.succeed("retried");
                }
            })
            .strategy(TestStrategies.first()).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .watchdogInterval(Duration.ofMillis(1)).build().start();
        final Task task = Task.builder("coder").timeout(Duration.ofMillis(20)).maxRetries(1).build();
        assertThat(d.submitAsync(task).get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        assertThat(hung.get()).as("the first attempt hung").isNotNull();
        // the future completes as the retry's answer is delivered, just before its slot is freed and folded in
        Await.until("the completion is folded in", () -> d.metrics().completed() == 1);

        assertThat(d.whereIs(task.id()).get(5, TimeUnit.SECONDS)).as("a completed task is nowhere").isNull();
        assertThat(d.cancel(task.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.NOT_FOUND);
        assertThat(d.reprioritize(task.id(), dev.ringmaster.model.Priority.HIGH).get(5, TimeUnit.SECONDS))
            .isEqualTo(ReprioritizeOutcome.NOT_FOUND);
        hung.get().succeed("far too late"); // frees the hung slot (on this thread): still the task is nowhere
        assertThat(d.whereIs(task.id()).get(5, TimeUnit.SECONDS)).isNull();
        assertThat(d.cancel(task.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.NOT_FOUND);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void lookingATaskUpDoesNotMoveItAndACommandSeesATaskSubmittedJustBefore() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), gate)
            .strategy(TestStrategies.first()).prefetch(0).build().start();
        d.submit(Task.builder("coder").build());
        Await.until("the first task starts", () -> !gate.startOrder.isEmpty());
        final java.util.List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final Task t = Task.builder("coder").build();
            ids.add(t.id());
            d.submit(t);
        }
        for (final long id : ids)
        {
            assertThat(d.whereIs(id).get(5, TimeUnit.SECONDS)).isEqualTo("");
        }
        // no pause between submit and cancel: the command must still find the task
        for (int i = 0; i < 100; i++)
        {
            final Task t = Task.builder("coder").build();
            d.submit(t);
            assertThat(d.cancel(t.id()).get(5, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.CANCELLED);
        }
        for (int i = 0; i < 6; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(gate.startOrder.subList(1, 6)).as("lookups kept the queue order").containsExactlyElementsOf(ids);
    }

    @Test
    void aTaskAddressedToAnAgentWaitsForItAndAnAvoidedAgentNeverGetsTheTask() throws Exception
    {
        final Gate busy = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("busy", "coder").capacity(1).build(), busy)
            .agent(AgentSpec.builder("free", "coder").capacity(4).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()).prefetch(0).build().start();
        d.submit(Task.builder("coder").targetAgent("busy").build()); // occupies "busy"
        final var addressed = d.submitAsync(Task.builder("coder").targetAgent("busy").build());
        for (int i = 0; i < 20; i++)
        {
            // "first" would pick "busy" whenever it has room: avoidance sends these elsewhere
            assertThat(d.submitAsync(Task.builder("coder").avoidAgent("busy").build()).get(5, TimeUnit.SECONDS).agentId())
                .isEqualTo("free");
        }
        assertThat(addressed).as("waits for its agent although another is free").isNotDone();
        assertThat(busy.releaseOne()).isTrue();
        assertThat(busy.releaseOne()).isTrue();
        assertThat(addressed.get(5, TimeUnit.SECONDS).agentId()).isEqualTo("busy");
        assertThat(d.submit(Task.builder("coder").targetAgent("ghost").build())).isEqualTo(SubmitStatus.NO_CAPABLE_AGENT);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }
}
