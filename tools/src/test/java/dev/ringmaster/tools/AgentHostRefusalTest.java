package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.remote.RemoteFleet;
import dev.ringmaster.remote.RemoteSettings;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code agent-host} against an in-process dispatcher: refused, it exits 1 with the dispatcher's reason and the fix
 * instead of running on unserved; a dispatcher not up yet is waited for. The blocking command runs on a thread of
 * its own, with a deadline on every wait.
 */
class AgentHostRefusalTest
{
    @Test
    void aHostWhoseAgentIdTheDispatcherAlreadyHasExitsOneWithTheReasonAndTheFix() throws Exception
    {
        final int port = freePort();
        // the id the host's only agent gets: type coder, index 1, '@' host id
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            .agent(AgentSpec.builder("coder-1@taken", "coder").build(),
                AgentAdapter.async(t -> CompletableFuture.completedFuture("local")))
            .build().start();
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings(port), RemoteCodec.INSTANCE))
        {
            final Future<DemoCommandTest.Run> run = thread.submit(() -> DemoCommandTest.run("agent-host",
                "--host-id", "taken", "--agent", "echo:coder:1", "--dispatcher", "127.0.0.1:" + port));

            final DemoCommandTest.Run refused = run.get(60, TimeUnit.SECONDS);

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
            assertThat(refused.err()).contains("error: the dispatcher refused agent host 'taken'",
                "duplicate agent id 'coder-1@taken'", "--host-id", "127.0.0.1:" + port).doesNotContain("\tat ");
            assertThat(fleet.connectedHosts()).isZero();
        }
        finally
        {
            thread.shutdownNow();
            dispatcher.shutdownNow();
        }
    }

    @Test
    void aHostStartedBeforeItsDispatcherWaitsAndRegistersWhenItComesUp() throws Exception
    {
        final int port = freePort();
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final Future<DemoCommandTest.Run> run = thread.submit(() -> DemoCommandTest.run("agent-host",
            "--host-id", "early", "--agent", "echo:coder:1", "--dispatcher", "127.0.0.1:" + port));
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        try
        {
            // some HELLOs unanswered first: the host must still be there, not gone with an error
            Thread.sleep(1_500);
            assertThat(run.isDone()).as("the host ended before its dispatcher came up").isFalse();
            try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings(port), RemoteCodec.INSTANCE))
            {
                awaitUntil("the host registered", () -> fleet.connectedHosts() == 1
                    && dispatcher.agents().size() == 2);
                assertThat(run.isDone()).isFalse();
            }
        }
        finally
        {
            thread.shutdownNow(); // interrupts the waiting command, which closes its host
            dispatcher.shutdownNow();
        }
        run.get(30, TimeUnit.SECONDS);
    }

    private static RemoteSettings settings(final int port)
    {
        return RemoteSettings.loopback().withDispatcherEndpoint("127.0.0.1:" + port);
    }

    private static int freePort() throws java.io.IOException
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    private static void awaitUntil(final String what, final BooleanSupplier done) throws InterruptedException
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean())
        {
            assertThat(System.nanoTime() - deadline).as("waited 60 s for: %s", what).isNegative();
            Thread.sleep(20);
        }
    }
}
