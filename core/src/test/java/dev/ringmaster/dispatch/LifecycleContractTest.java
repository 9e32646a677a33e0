package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle methods do what Dispatcher's javadoc says, in the orders an embedder may call them. */
class LifecycleContractTest
{
    private static Dispatcher.Builder coders()
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").build(), AgentAdapter.sync(t -> "done"))
            .strategy(TestStrategies.first());
    }

    @Test
    void awaitTerminationOnANeverStartedDispatcherTimesOutAndLeavesItStartable()
    {
        final Dispatcher d = coders().build();

        assertThat(d.awaitTermination(Duration.ofMillis(20))).as("nobody shut it down").isFalse();
        assertThat(d.state()).isEqualTo(DispatcherState.NEW);

        d.start();
        assertThat(d.submit(Task.builder("coder").build())).isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
    }

    @Test
    void closingANeverStartedDispatcherStillEndsIt()
    {
        final Dispatcher d = coders().build();

        d.close();

        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
        assertThat(d.awaitTermination(Duration.ofMillis(20))).isTrue();
    }
}
