package dev.ringmaster.dispatch;

import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Required skills are honoured, and a task waiting for a busy specialist does not hold up the tasks behind it. */
class SkillRoutingTest
{
    @Test
    void aTaskWaitingForABusySpecialistDoesNotBlockTasksOthersCanTake() throws Exception
    {
        final Gate specialist = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("rustacean", "coder").capacity(1).skill("rust", 1.0).build(), specialist)
            .agent(AgentSpec.builder("generalist", "coder").capacity(4).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first())
            .prefetch(0)
            .listener(log)
            .build().start();

        final var firstRust = d.submitAsync(Task.builder("coder").requiredSkills("rust").build());
        final var secondRust = d.submitAsync(Task.builder("coder").requiredSkills("rust").build()); // head of MEDIUM
        final List<CompletableFuture<TaskResult>> plain = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            plain.add(d.submitAsync(Task.builder("coder").build()));
        }
        // every plain task completes on the generalist while both rust tasks wait for the specialist
        for (final var f : plain)
        {
            final TaskResult r = f.get(5, TimeUnit.SECONDS);
            assertThat(r.agentId()).isEqualTo("generalist");
        }
        assertThat(firstRust).isNotDone();
        assertThat(secondRust).isNotDone();

        assertThat(specialist.releaseOne()).isTrue();
        assertThat(specialist.releaseOne()).isTrue();
        assertThat(firstRust.get(5, TimeUnit.SECONDS).agentId()).isEqualTo("rustacean");
        assertThat(secondRust.get(5, TimeUnit.SECONDS).agentId()).isEqualTo("rustacean");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.completed.get()).isEqualTo(22);
    }

    @Test
    void setAsideTasksStillExpireAndAreCancelledAtShutdown() throws Exception
    {
        final Gate specialist = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("rustacean", "coder").capacity(1).skill("rust", 1.0).build(), specialist)
            .agent(AgentSpec.builder("generalist", "coder").capacity(1).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first())
            .prefetch(0)
            .build().start();
        d.submit(Task.builder("coder").requiredSkills("rust").build());
        final var expiring = d.submitAsync(Task.builder("coder").requiredSkills("rust").ttl(Duration.ofMillis(30)).build());
        final Task waitingTask = Task.builder("coder").requiredSkills("rust").build();
        final var waiting = d.submitAsync(waitingTask);
        assertThat(expiring.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.EXPIRED);
        assertThat(d.shutdownNow()).extracting(Task::id).containsExactly(waitingTask.id());
        assertThat(waiting.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.CANCELLED);
        specialist.releaseAll();
        assertThat(d.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
}
