package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The router's agent view exposes declared speed, a per-task latency estimate and the expected time to a free slot. */
class AgentStateSpeedTest
{
    private static final AgentAdapter NOOP = (task, completion, telemetry) -> { };

    private static AgentState agent(final double speed)
    {
        return new AgentState(0, AgentSpec.builder("fast", "coder").capacity(2).speed(speed).build(), NOOP, 1, 0,
            new Signals(4, 0));
    }

    @Test
    void speedIsTheDeclaredOne()
    {
        assertThat(agent(4).speed()).isEqualTo(4.0);
        assertThat(new AgentState(0, AgentSpec.builder("plain", "coder").build(), NOOP, 1, 0, new Signals(4, 0)).speed())
            .isEqualTo(1.0);
    }

    @Test
    void latencyIsUnknownUntilWarmThenTheEwma()
    {
        final AgentState a = agent(2);
        for (int i = 0; i < AgentView.WARM_RESULTS - 1; i++)
        {
            a.recordSuccess(1_000_000, 0, Double.NaN, i);
        }
        assertThat(a.expectedLatencyNanos()).as("cold: too few results").isZero();
        a.addAssigned(2 - a.assigned());
        assertThat(a.expectedFreeNanos()).as("no slot and no estimate: do not wait for it").isInfinite();
        a.recordSuccess(1_000_000, 0, Double.NaN, AgentView.WARM_RESULTS);
        assertThat(a.expectedLatencyNanos()).isCloseTo(1_000_000, within(1e-6));
    }

    @Test
    void expectedFreeTimeCountsTheTasksAheadOverTheSlots()
    {
        final AgentState a = agent(1);
        for (int i = 0; i < AgentView.WARM_RESULTS; i++)
        {
            a.recordSuccess(4_000_000, 0, Double.NaN, i);
        }
        a.addAssigned(1 - a.assigned());
        assertThat(a.expectedFreeNanos()).as("a slot is free").isZero();
        a.addAssigned(2 - a.assigned());
        assertThat(a.expectedFreeNanos()).as("one of two slots must finish").isEqualTo(2_000_000);
        a.addAssigned(3 - a.assigned());
        assertThat(a.expectedFreeNanos()).as("two finishes: the inbox's task and then a slot").isEqualTo(4_000_000);
    }
}
