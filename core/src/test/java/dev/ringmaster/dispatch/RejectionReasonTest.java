package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every refusal names the fix, and a refusal that depends on the dispatcher's state names that state. */
class RejectionReasonTest
{
    private static Dispatcher coders()
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").build(), AgentAdapter.sync(t -> "done"))
            .strategy(TestStrategies.first())
            .build();
    }

    @Test
    void everyRefusalNamesWhatToDo()
    {
        for (final SubmitStatus s : SubmitStatus.values())
        {
            if (!s.accepted())
            {
                assertThat(s.reason()).as(s.name()).contains(": ");
            }
        }
        assertThat(SubmitStatus.NOT_RUNNING.reason()).contains("call start() first").contains("submit to a running");
        assertThat(SubmitStatus.EXPIRED.reason()).contains("longer time to live").contains("sooner");
    }

    @Test
    void aNeverStartedDispatcherSaysToStartIt()
    {
        final Dispatcher d = coders();

        assertThatThrownBy(() -> d.submitOrThrow(Task.builder("coder").build()))
            .isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("NOT_RUNNING")
            .hasMessageContaining("the dispatcher is NEW")
            .hasMessageContaining("call start() first");
        d.close();
    }

    @Test
    void aShutDownDispatcherSaysWhichStateAndToSubmitToARunningOne() throws Exception
    {
        final Dispatcher d = coders().start();
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

        final ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> d.submitAsync(Task.builder("coder").build()).get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("the dispatcher is TERMINATED")
            .hasMessageContaining("submit to a running");
    }
}
