package dev.ringmaster.dispatch;

import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.metrics.TypeStats;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The seed's quality spread across a type's agents and context waste ratio, from what adapters report. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SeedMetricsTest
{
    /** Answers with a fixed quality and reports loading 1,000 context tokens of which it needed {@code used}. */
    private static AgentAdapter scoring(final double quality, final long used)
    {
        return (view, completion, telemetry) ->
        {
            telemetry.contextTokens(1_000, used);
            completion.succeed("ok", 10, quality);
        };
    }

    @Test
    void unequalAgentsOfATypeShowAsQualitySpreadAndUnusedContextAsWaste()
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin()).workers(1)
            .agent(AgentSpec.builder("weak", "coder").capacity(1).build(), scoring(0.2, 100))
            .agent(AgentSpec.builder("strong", "coder").capacity(1).build(), scoring(1.0, 500))
            .agent(AgentSpec.builder("even", "reviewer").capacity(1).build(), scoring(0.7, 1_000))
            .agent(AgentSpec.builder("idle", "researcher").capacity(1).build(), scoring(0.7, 1_000))
            .build().start();
        final MetricsSnapshot before = d.metrics();
        assertThat(before.types().get("researcher").qualityStdDev()).as("nothing completed yet").isNaN();
        assertThat(before.contextWasteRatio()).isNaN();

        for (int i = 0; i < 60; i++)
        {
            d.submitOrThrow(Task.builder("coder").build());
        }
        d.submitOrThrow(Task.builder("reviewer").build());
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

        final MetricsSnapshot m = d.metrics();
        final TypeStats coder = m.types().get("coder");
        assertThat(coder.agents()).isEqualTo(2);
        // about 30 answers each: the weak agent's recent score is near 0.2, the strong one's 1.0
        assertThat(coder.meanQuality()).isCloseTo(0.6, within(0.02));
        assertThat(coder.qualityStdDev()).isCloseTo(0.4, within(0.02));
        assertThat(coder.contextTokensLoaded()).isEqualTo(60_000);
        final long weak = m.agents().get(0).completed();
        final long strong = m.agents().get(1).completed();
        assertThat(weak + strong).isEqualTo(60);
        // each weak answer leaves 900 of its 1,000 loaded tokens unused, each strong one 500
        final double unused = weak * 900.0 + strong * 500.0;
        assertThat(coder.contextWasteRatio()).isCloseTo(unused / 60_000, within(1e-9));
        assertThat(m.types().get("reviewer").qualityStdDev()).as("one agent: no spread").isZero();
        assertThat(m.types().get("reviewer").contextWasteRatio()).isZero();
        assertThat(m.types().get("researcher").contextWasteRatio()).isNaN();
        assertThat(m.contextWasteRatio()).isCloseTo(unused / 61_000, within(1e-9));
    }

    @Test
    void contextTokensUsedBeyondWhatWasLoadedAreRefused()
    {
        final AgentAdapter wrong = (view, completion, telemetry) -> telemetry.contextTokens(10, 20);
        assertThatThrownBy(() -> wrong.execute(null, null, new dev.ringmaster.spi.AgentTelemetry()
        {
            @Override
            public void contextUtilization(final double fraction)
            {
            }

            @Override
            public void tokenBudgetLeft(final long tokens)
            {
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 <= used <= loaded");
    }
}
