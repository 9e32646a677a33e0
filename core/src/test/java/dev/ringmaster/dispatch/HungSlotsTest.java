package dev.ringmaster.dispatch;

import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An asynchronous attempt given up at its timeout keeps its slot until the adapter answers (its record is never
 * reused while the adapter may hold it): the agent runs with less capacity meanwhile, and the metrics say how much.
 */
class HungSlotsTest
{
    @Test
    void aSlotHeldByAGivenUpAttemptIsReportedUntilTheLateAnswerFreesIt() throws Exception
    {
        final Queue<Completion> unanswered = new ConcurrentLinkedQueue<>();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("slow", "w").capacity(2).build(), (task, completion, telemetry) ->
                unanswered.add(completion)) // asynchronous: returns at once and never answers by itself
            .strategy(TestStrategies.first()).watchdogInterval(Duration.ofMillis(5))
            .build().start();
        try
        {
            final TaskResult r = d.submitAsync(Task.builder("w").timeout(Duration.ofMillis(50)).maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(r.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            final AgentStats given = d.metrics().agents().get(0);
            assertThat(given.hungSlots()).as("the given-up attempt's slot: %s", d.describe()).isEqualTo(1);
            assertThat(given.capacity()).isEqualTo(2);
            // words and letters, not a state number and phase digits
            assertThat(d.describe()).contains("state=running", "hung=1").containsPattern("slots=(AF|FA)");

            unanswered.poll().succeed("late"); // ignored as an answer, but it frees the slot
            Await.until("the late answer frees the slot", () -> d.metrics().agents().get(0).hungSlots() == 0);
        }
        finally
        {
            unanswered.forEach(c -> c.succeed("at shutdown"));
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
        }
    }
}
