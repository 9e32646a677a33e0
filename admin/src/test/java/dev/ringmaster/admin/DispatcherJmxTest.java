package dev.ringmaster.admin;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
