package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An adapter that restores an interrupt on the worker's thread (the usual idiom after catching an
 * {@link InterruptedException}) leaves the worker parking while idle, not spinning through parks that return at once.
 */
class InterruptedWorkerTest
{
    private static Set<Thread> workerThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("ringmaster-worker-")).collect(Collectors.toSet());
    }

    @Test
    void anInterruptLeftOnTheWorkersThreadDoesNotKeepItBusyWhileIdle() throws Exception
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(threads.isCurrentThreadCpuTimeSupported()).isTrue();
        final Set<Thread> before = workerThreads();
        final Dispatcher d = Dispatcher.builder().workers(1).strategy(TestStrategies.first())
            .agent(AgentSpec.builder("a", "worker").build(), (task, completion, telemetry) ->
            {
                Thread.currentThread().interrupt(); // as an adapter does that caught an InterruptedException
                completion.succeed("ok");
            })
            .build().start();
        try
        {
            final Set<Thread> mine = workerThreads();
            mine.removeAll(before);
            assertThat(mine).hasSize(1);
            final Thread worker = mine.iterator().next();
            assertThat(d.submitAsync(Task.builder("worker").build()).get(5, TimeUnit.SECONDS).completed()).isTrue();
            Thread.sleep(20); // past the worker's spin and yield: from here on an idle worker parks

            final long cpuBefore = threads.getThreadCpuTime(worker.getId());
            final long wallBefore = System.nanoTime();
            Thread.sleep(400);
            final long cpu = threads.getThreadCpuTime(worker.getId()) - cpuBefore;
            final long wall = System.nanoTime() - wallBefore;
            assertThat(cpu).as("CPU time of the idle worker over %d ms", wall / 1_000_000).isLessThan(wall / 10);
        }
        finally
        {
            assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        }
    }
}
