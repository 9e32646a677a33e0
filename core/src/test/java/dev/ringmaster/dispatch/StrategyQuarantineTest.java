package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A strategy that throws on every decision costs each of them the built-in fallback, and after 16 in a row it is
 * quarantined: the tasks still complete, and the strategy is no longer asked while the quarantine lasts (10 s).
 */
class StrategyQuarantineTest
{
    @Test
    void aStrategyThatAlwaysThrowsIsQuarantinedAndEveryTaskStillCompletes() throws Exception
    {
        final AtomicInteger asked = new AtomicInteger();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "w").capacity(2).build(), (task, c, tel) -> c.succeed("ok"))
            .agent(AgentSpec.builder("b", "w").capacity(2).build(), (task, c, tel) -> c.succeed("ok"))
            .strategy(new RoutingStrategy()
            {
                @Override
                public String name()
                {
                    return "broken";
                }

                @Override
                public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
                {
                    asked.incrementAndGet();
                    throw new NoClassDefFoundError("a class the plugin jar lacks");
                }
            })
            .build().start();
        // the quarantine is logged though its first fault was logged a moment before (that line mutes its kind 10 s)
        final String logs = dev.ringmaster.testing.StderrLogs.of(() ->
        {
            for (int i = 0; i < 100; i++)
            {
                assertThat(d.submitAsync(Task.builder("w").build()).orTimeout(10, TimeUnit.SECONDS).join().completed()).isTrue();
            }
        });
        assertThat(logs).contains("routing strategy 'broken' threw").contains("16 times in a row; quarantined for 10 s");
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(asked.get()).as("decisions the strategy was asked for before its quarantine").isEqualTo(16);
        assertThat(d.metrics().faults().strategy()).isEqualTo(16);
        assertThat(d.metrics().faults().strategyQuarantines()).isEqualTo(1);
        assertThat(d.metrics().completed()).isEqualTo(100);
        // a report can tell a strategy that never decided from one that failed now and then
        assertThat(d.metrics().strategyDecisions()).as("decisions taken for the strategy").isEqualTo(100);
        assertThat(d.metrics().strategyFallbacks()).as("of them, those the built-in choice made").isEqualTo(100);
    }

    @Test
    void aWorkingStrategysDecisionsAreCountedWithNoFallback() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "w").capacity(2).build(), (task, c, tel) -> c.succeed("ok"))
            .strategy(new RoutingStrategy()
            {
                @Override
                public String name()
                {
                    return "first";
                }

                @Override
                public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
                {
                    return 0;
                }
            })
            .build().start();
        for (int i = 0; i < 10; i++)
        {
            assertThat(d.submitAsync(Task.builder("w").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(d.metrics().strategyDecisions()).isEqualTo(10);
        assertThat(d.metrics().strategyFallbacks()).isZero();
    }

    @Test
    void aStrategyThatDeclinesThenThrowsPlacedNothingAndTheCountsSaySo() throws Exception
    {
        final java.util.Set<Long> declined = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "w").capacity(2).build(), (task, c, tel) -> c.succeed("ok"))
            .strategy(new RoutingStrategy()
            {
                @Override
                public String name()
                {
                    return "declines-then-throws";
                }

                @Override
                public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
                {
                    if (declined.add(task.sequence()))
                    {
                        return DECLINE; // asked again a moment later
                    }
                    throw new IllegalStateException("broken on the second ask");
                }
            })
            .build().start();
        for (int i = 0; i < 10; i++)
        {
            assertThat(d.submitAsync(Task.builder("w").build()).get(10, TimeUnit.SECONDS).completed()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        // declines are no placements: counted, they hid that the built-in choice placed every task
        assertThat(d.metrics().strategyDecisions()).as("tasks placed for the strategy").isEqualTo(10);
        assertThat(d.metrics().strategyFallbacks()).as("of them, placed by the built-in choice").isEqualTo(10);
    }
}
