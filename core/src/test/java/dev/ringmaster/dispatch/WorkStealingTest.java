package dev.ringmaster.dispatch;

import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** An idle agent takes backlog from a stuck compatible agent, and never takes what it lacks the skills for. */
class WorkStealingTest
{
    private static final int PREFETCH = 8;

    private Dispatcher pileOntoSlowAgent(final Gate slow, final EventLog log)
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("slow", "coder").capacity(1).skill("rust", 1.0).build(), slow)
            .agent(AgentSpec.builder("idle", "coder").capacity(1).skill("python", 1.0).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.first()) // everything goes to "slow" while it has room
            .prefetch(PREFETCH)
            .workers(2)
            .listener(log)
            .build().start();
    }

    @Test
    void anIdleAgentStealsBacklogFromABusyCompatibleOne() throws Exception
    {
        final Gate slow = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = pileOntoSlowAgent(slow, log);
        for (int i = 0; i < 1 + PREFETCH; i++)
        {
            assertThat(d.submit(Task.builder("coder").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        // "slow" holds its first task forever; its inbox backlog must move to "idle"
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (d.metrics().agents().get(1).completed() < PREFETCH && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertThat(d.metrics().agents().get(1).completed()).isEqualTo(PREFETCH);
        assertThat(d.metrics().steals()).isEqualTo(PREFETCH);
        assertThat(log.steals).containsOnly("slow->idle");
        assertThat(slow.startOrder).hasSize(1);
        slow.releaseAll();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.completed.get()).isEqualTo(1 + PREFETCH);
    }

    @Test
    void anAgentWithoutTheRequiredSkillNeverStealsTheTask() throws Exception
    {
        final Gate slow = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = pileOntoSlowAgent(slow, log);
        for (int i = 0; i < 1 + PREFETCH; i++)
        {
            assertThat(d.submit(Task.builder("coder").requiredSkills("rust").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        Thread.sleep(200); // ample time for the idle agent to try
        assertThat(d.metrics().steals()).isZero();
        assertThat(d.metrics().agents().get(1).completed()).isZero();
        for (int i = 0; i < 1 + PREFETCH; i++)
        {
            assertThat(slow.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().agents().get(0).completed()).isEqualTo(1 + PREFETCH);
        assertThat(log.steals).isEmpty();
    }
}
