package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two agent hosts as real child JVMs over UDP loopback; one is killed with {@code kill -9} (destroyForcibly) while it
 * runs tasks. Every accepted task must reach exactly one terminal state, and the killed host's must complete on the
 * other.
 */
class HostProcessKillTest
{
    @Test
    void aHostKilledWithKill9LosesNothingAndItsTasksCompleteOnTheOther() throws Exception
    {
        final int port = RemoteTesting.freePort();
        final RemoteTesting.Tally tally = new RemoteTesting.Tally();
        final Dispatcher dispatcher = tally.on(RemoteFleet.placeholder(Dispatcher.builder())
            .strategy("least-connections").retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20))).build().start();
        final List<Process> hosts = new ArrayList<>();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, RemoteTesting.settings(port), PayloadCodec.TEXT))
        {
            hosts.add(startHost("victim", port));
            hosts.add(startHost("survivor", port));
            assertThat(fleet.awaitHosts(2, Duration.ofSeconds(40))).as("both hosts connected").isTrue();
            Await.until("8 remote agents and the placeholder", () -> dispatcher.agents().size() == 9);

            final int n = 20_000;
            final AtomicInteger accepted = new AtomicInteger();
            final Thread producer = new Thread(() ->
            {
                for (int i = 0; i < n; i++)
                {
                    final SubmitStatus s = dispatcher.submit(
                        Task.builder("work").payload("p" + i).maxRetries(5).timeout(Duration.ofSeconds(10)).build(),
                        Duration.ofSeconds(10));
                    if (s == SubmitStatus.ACCEPTED)
                    {
                        accepted.incrementAndGet();
                    }
                }
            }, "test-producer");
            producer.start();

            Await.until("a quarter done", Duration.ofSeconds(30), () -> tally.terminal.get() > n / 4);
            hosts.get(0).destroyForcibly(); // SIGKILL: no goodbye, no flush
            Await.joined(producer, Duration.ofSeconds(40));
            Await.until("every accepted task terminal", Duration.ofSeconds(40),
                () -> tally.terminal.get() >= accepted.get());

            assertThat(accepted.get()).isEqualTo(n);
            assertThat(tally.terminal.get()).isEqualTo(n);
            assertThat(tally.duplicates.get()).isZero();
            assertThat(tally.states.values()).containsOnly(TerminalState.COMPLETED);
            assertThat(fleet.stats().hostsLost()).isEqualTo(1);
            assertThat(fleet.hosts()).filteredOn(h -> h.hostId().equals("victim")).singleElement()
                .satisfies(h -> assertThat(h.state()).isEqualTo("lost"));
            assertThat(fleet.stats().hostLostAttempts()).as("attempts in flight on the killed host").isPositive();
            assertThat(fleet.tasksOfLostHosts()).isNotEmpty().allSatisfy(id ->
                assertThat((String)tally.results.get(id)).contains("@survivor:"));
        }
        finally
        {
            // the survivor stops gracefully, deleting its Aeron directory; the victim's is left in target/
            for (final Process p : hosts)
            {
                p.destroy();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                {
                    p.destroyForcibly();
                }
            }
            dispatcher.close();
        }
    }

    private static Process startHost(final String hostId, final int port) throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the same --add-opens/--add-exports the test JVM got
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle"))
            {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
            System.getProperty("java.class.path"), HostProcess.class.getName(), hostId, String.valueOf(port), "4", "4",
            "2", Path.of("target", "aeron-" + hostId).toAbsolutePath().toString()));
        final Path log = Path.of("target", "host-" + hostId + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
