package dev.ringmaster.dispatch;

import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest
{
    @Test
    void completesSubmittedTasks() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a1", "coder").capacity(2).build(), AgentAdapter.sync(t -> "ok"))
            .agent(AgentSpec.builder("a2", "coder").capacity(2).build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.leastLoaded())
            .build().start();
        final TaskResult r = d.submitAsync(Task.builder("coder").build()).get(5, TimeUnit.SECONDS);
        assertThat(r.state()).isEqualTo(TerminalState.COMPLETED);
        for (int i = 0; i < 10_000; i++)
        {
            assertThat(d.submit(Task.builder("coder").build(), Duration.ofSeconds(5))).isEqualTo(SubmitStatus.ACCEPTED);
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(d.metrics().completed()).isEqualTo(10_001);
    }
}
