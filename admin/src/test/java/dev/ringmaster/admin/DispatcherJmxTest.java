package dev.ringmaster.admin;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The dispatcher as a JMX MXBean, read and driven through the platform MBean server as JConsole would. */
class DispatcherJmxTest
{
    @Test
    void attributesAndOperationsWorkThroughTheMBeanServer() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("coder-1", "coder").build(), (t, c, tel) -> c.succeed("ok"))
            .agent(AgentSpec.builder("reviewer-1", "reviewer").build(), (t, c, tel) -> c.succeed("ok"))
            .build().start();
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (DispatcherJmx jmx = DispatcherJmx.register(d, "jmx-test"))
        {
            d.submitOrThrow(Task.builder("coder").build());
            Await.until("the task completed", () -> d.metrics().completed() == 1);

            assertThat(server.getAttribute(jmx.objectName(), "Completed")).isEqualTo(1L);
            assertThat(server.getAttribute(jmx.objectName(), "State")).isEqualTo("running");
            final TabularData loads = (TabularData)server.getAttribute(jmx.objectName(), "LoadByAgent");
            assertThat(loads.values()).extracting(v -> ((CompositeData)v).get("key"))
                .containsExactlyInAnyOrder("coder-1", "reviewer-1");

            server.invoke(jmx.objectName(), "pauseType", new Object[]{"reviewer"}, new String[]{String.class.getName()});
            assertThat(d.types()).containsEntry("reviewer", true);
            assertThatThrownBy(() -> server.invoke(jmx.objectName(), "pauseType", new Object[]{"nobody"},
                new String[]{String.class.getName()})).hasStackTraceContaining("unknown agent type 'nobody'");

            assertThatThrownBy(() -> DispatcherJmx.register(d, "jmx-test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        }
        finally
        {
            d.drain(Duration.ofSeconds(5));
            d.shutdownNow();
        }
        assertThat(server.queryNames(new javax.management.ObjectName("dev.ringmaster:type=Dispatcher,*"), null)).isEmpty();
    }

    @Test
    void theSeedsMetricsTasksByPriorityAndTenantAndTheLastMinuteAreAttributes() throws Exception
    {
        // two coders of unequal quality that load 1,000 context tokens and use 250: a waste ratio of 0.75
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin()).workers(1)
            .agent(AgentSpec.builder("coder-1", "coder").build(), (t, c, tel) ->
            {
                tel.contextTokens(1_000, 250);
                c.succeed("ok", 10, 0.2);
            })
            .agent(AgentSpec.builder("coder-2", "coder").build(), (t, c, tel) ->
            {
                tel.contextTokens(1_000, 250);
                c.succeed("ok", 10, 1.0);
            })
            .build().start();
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (DispatcherJmx jmx = DispatcherJmx.register(d, "jmx-seed"))
        {
            for (int i = 0; i < 40; i++)
            {
                d.submitOrThrow(Task.builder("coder").priority(i < 10 ? Priority.HIGH : Priority.LOW)
                    .tenant(i % 2 == 0 ? "team-a" : "team-b").build());
            }
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            final ObjectName name = jmx.objectName();

            assertThat(entry(server.getAttribute(name, "QualityMeanByType"), "coder")).isCloseTo(0.6, within(0.05));
            assertThat(entry(server.getAttribute(name, "QualityStdDevByType"), "coder")).isCloseTo(0.4, within(0.05));
            assertThat(entry(server.getAttribute(name, "ContextWasteRatioByType"), "coder")).isCloseTo(0.75, within(1e-9));
            assertThat((Double)server.getAttribute(name, "ContextWasteRatio")).isCloseTo(0.75, within(1e-9));

            final Object byPriority = server.getAttribute(name, "TasksByPriority");
            assertThat(entry(byPriority, "HIGH completed")).isEqualTo(10.0);
            assertThat(entry(byPriority, "LOW accepted")).isEqualTo(30.0);
            assertThat(entry(byPriority, "CRITICAL accepted")).isZero();
            final Object byTenant = server.getAttribute(name, "TasksByTenant");
            assertThat(entry(byTenant, "team-a completed")).isEqualTo(20.0);
            assertThat(entry(byTenant, "team-b outstanding")).isZero();

            // the window is the time since start (less than a minute here), and holds all 40 tasks
            assertThat((Double)server.getAttribute(name, "RecentWindowSeconds")).isPositive().isLessThan(60.0);
            assertThat((Double)server.getAttribute(name, "RecentThroughputPerSecond")).isPositive();
            final Object e2e = server.getAttribute(name, "RecentEndToEndMillis");
            assertThat(entry(e2e, "p99")).isPositive().isLessThanOrEqualTo(entry(e2e, "max"));
            assertThat((Double)server.invoke(name, "recentEndToEndMillisAtPercentile", new Object[]{50.0},
                new String[]{double.class.getName()})).isPositive();
        }
        finally
        {
            d.shutdownNow();
        }
    }

    /** @return the value of {@code key} in an MXBean map attribute (TabularData of key and value), as a double. */
    private static double entry(final Object tabular, final String key)
    {
        for (final Object row : ((TabularData)tabular).values())
        {
            final CompositeData c = (CompositeData)row;
            if (c.get("key").equals(key))
            {
                return ((Number)c.get("value")).doubleValue();
            }
        }
        throw new AssertionError("no '" + key + "' in " + tabular);
    }
}
