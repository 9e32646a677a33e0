package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A dispatcher and agent hosts in one JVM, each with its own embedded media driver, over UDP loopback. */
class RemoteFleetTest
{
    @Test
    void remoteAgentsCompleteTasksLikeLocalOnes() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final RemoteTesting.Tally tally = new RemoteTesting.Tally();
        final Dispatcher dispatcher = tally.on(RemoteFleet.placeholder(Dispatcher.builder()).strategy("least-connections")).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("h1", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("h1", 3, 4, Duration.ofMillis(1)), 0).start())
        {
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).as("host connected").isTrue();
            Await.until("3 remote agents and the placeholder", () -> dispatcher.agents().size() == 4);
            assertThat(fleet.hosts()).singleElement().satisfies(h ->
            {
                assertThat(h.hostId()).isEqualTo("h1");
                assertThat(h.state()).isEqualTo("connected");
                assertThat(h.agentIds()).containsExactly("w0@h1", "w1@h1", "w2@h1");
            });
            assertThat(fleet.hostOf("w1@h1")).isEqualTo("h1");
            assertThat(fleet.agentDetails("w1@h1")).containsEntry("host", "h1").containsEntry("connection", "connected");
            assertThat(fleet.agentDetails("remote-placeholder")).isEmpty();

            final int n = 2_000;
            for (int i = 0; i < n; i++)
            {
                assertThat(dispatcher.submit(Task.builder("work").payload("p" + i).build(), Duration.ofSeconds(5)))
                    .isEqualTo(SubmitStatus.ACCEPTED);
            }
            Await.until("every task terminal", Duration.ofSeconds(30), () -> tally.terminal.get() >= n);
            assertThat(tally.terminal.get()).isEqualTo(n);
            assertThat(tally.duplicates.get()).isZero();
            assertThat(tally.states.values()).containsOnly(TerminalState.COMPLETED);
            assertThat(tally.results.values()).allSatisfy(r -> assertThat((String)r).matches("w[0-2]@h1:p\\d+"));
            assertThat(fleet.stats().completions()).isEqualTo(n);
            assertThat(host.tasksRun()).isEqualTo(n);

            fleet.drainHost("h1").get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(dispatcher.agents()).extracting(a -> a.id()).containsExactly("remote-placeholder");
        }
        finally
        {
            dispatcher.close();
        }
    }

    @Test
    void telemetryAnAgentPublishesOnItsHostReachesTheDispatchersView() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        final dev.ringmaster.spi.AgentAdapter reporting = (task, completion, telemetry) ->
        {
            telemetry.contextUtilization(0.625);
            telemetry.tokenBudgetLeft(4_242);
            completion.succeed("ok");
        };
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("t", settings, PayloadCodec.TEXT, java.util.List.of(java.util.Map.entry(
                 dev.ringmaster.model.AgentSpec.builder("a@t", "work").tokenBudget(10_000).build(), reporting)), 1)
                 .start())
        {
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);
            assertThat(dispatcher.submitAsync(Task.builder("work").payload("x").build()).get(10,
                java.util.concurrent.TimeUnit.SECONDS).result()).isEqualTo("ok");
            Await.until("the agent's telemetry in the dispatcher", () -> dispatcher.agents().stream()
                .anyMatch(a -> a.id().equals("a@t") && a.contextUtilization() == 0.625 && a.tokenBudgetLeft() == 4_242));
        }
        finally
        {
            dispatcher.close();
        }
    }

    @Test
    void anOutOfRangeTelemetryValueFromAHostIsRejectedAndTheDispatcherKeepsCompletingItsTasks() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        // 1.5 is outside [0, 1]: the dispatcher's agent state refuses it, which once ended the fleet's poller
        final dev.ringmaster.spi.AgentAdapter overReporting = (task, completion, telemetry) ->
        {
            telemetry.contextUtilization(1.5);
            telemetry.tokenBudgetLeft(4_242);
            completion.succeed("ok");
        };
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("t", settings, PayloadCodec.TEXT, java.util.List.of(java.util.Map.entry(
                 dev.ringmaster.model.AgentSpec.builder("a@t", "work").tokenBudget(10_000).build(), overReporting)), 1)
                 .start())
        {
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);
            assertThat(dispatcher.submitAsync(Task.builder("work").payload("x").build()).get(10,
                java.util.concurrent.TimeUnit.SECONDS).result()).isEqualTo("ok");
            // the budget travels in the same report as the bad value: seeing it means the report was handled
            Await.until("the report's valid budget in the dispatcher, its bad utilization left out", () ->
                dispatcher.agents().stream().anyMatch(a -> a.id().equals("a@t") && a.tokenBudgetLeft() == 4_242));
            assertThat(dispatcher.agents()).filteredOn(a -> a.id().equals("a@t")).singleElement()
                .satisfies(a -> assertThat(a.contextUtilization()).isZero());
            assertThat(dispatcher.submitAsync(Task.builder("work").payload("y").build()).get(10,
                java.util.concurrent.TimeUnit.SECONDS).result()).as("a task after the bad report").isEqualTo("ok");
            assertThat(fleet.stats().hostsLost()).isZero();
        }
        finally
        {
            dispatcher.close();
        }
    }

    @Test
    void aTaskWhosePayloadAHostCannotDecodeFailsWithTheDecodeErrorAndTheHostsStayRegistered() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).strategy("round-robin")
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10)).build().start();
        final PayloadCodec picky = new PayloadCodec()
        {
            @Override
            public int encode(final Object payload, final org.agrona.MutableDirectBuffer buffer, final int offset)
            {
                return PayloadCodec.TEXT.encode(payload, buffer, offset);
            }

            @Override
            public Object decode(final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                final Object payload = PayloadCodec.TEXT.decode(buffer, offset, length);
                if ("poison".equals(payload))
                {
                    throw new IllegalArgumentException("cannot decode a poison payload");
                }
                return payload;
            }
        };
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost a = new AgentHost("a", settings, picky, RemoteTesting.agents("a", 1, 4, Duration.ofMillis(1)), 0)
                 .start();
             AgentHost b = new AgentHost("b", settings, picky, RemoteTesting.agents("b", 1, 4, Duration.ofMillis(1)), 0)
                 .start())
        {
            assertThat(fleet.awaitHosts(2, Duration.ofSeconds(20))).isTrue();
            Await.until("2 remote agents and the placeholder", () -> dispatcher.agents().size() == 3);
            Await.until("both hosts welcomed", () -> a.registered() && b.registered());

            final dev.ringmaster.dispatch.TaskResult poisoned = dispatcher.submitAsync(
                Task.builder("work").payload("poison").maxRetries(1).build()).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(poisoned.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(poisoned.reason()).contains("cannot decode a poison payload");
            assertThat(poisoned.attempts()).isEqualTo(2);

            assertThat(dispatcher.submitAsync(Task.builder("work").payload("fine").build()).get(10,
                java.util.concurrent.TimeUnit.SECONDS).result()).asString().endsWith(":fine");
            assertThat(a.registered()).as("host a registered").isTrue();
            assertThat(b.registered()).as("host b registered").isTrue();
            assertThat(fleet.connectedHosts()).isEqualTo(2);
            assertThat(fleet.stats().hostsLost()).isZero();
        }
        finally
        {
            dispatcher.shutdownNow(); // a task left unanswered would hold close()'s drain for 30 s
        }
    }

    @Test
    void aSilentHostIsGivenUpItsTasksRetriedElsewhereItsLateAnswersIgnoredAndItComesBack() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final RemoteTesting.Tally tally = new RemoteTesting.Tally();
        final Dispatcher dispatcher = tally.on(RemoteFleet.placeholder(Dispatcher.builder()).strategy("round-robin")
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10))).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost slow = new AgentHost("slow", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("slow", 2, 4, Duration.ofMillis(300)), 0).start();
             AgentHost fast = new AgentHost("fast", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("fast", 2, 4, Duration.ofMillis(1)), 0).start())
        {
            assertThat(fleet.awaitHosts(2, Duration.ofSeconds(20))).as("hosts connected").isTrue();
            Await.until("4 remote agents and the placeholder", () -> dispatcher.agents().size() == 5);

            // the slow host holds its 8 slots for 300 ms; partitioned now, it answers only after being given up
            final int n = 40;
            for (int i = 0; i < n; i++)
            {
                dispatcher.submit(Task.builder("work").payload("p" + i).maxRetries(3).build(), Duration.ofSeconds(5));
            }
            Await.until("the slow host running tasks", () -> slow.tasksRun() > 0);
            slow.mute(true);
            Await.until("the slow host given up", Duration.ofSeconds(10),
                () -> fleet.stats().hostsLost() == 1 && fleet.stats().hostLostAttempts() > 0);
            // not drained: a draining dispatcher takes no new agents, and the host is to come back
            Await.until("every task terminal", Duration.ofSeconds(20), () -> tally.terminal.get() >= n);
            assertThat(tally.terminal.get()).isEqualTo(n);
            assertThat(tally.duplicates.get()).isZero();
            assertThat(tally.states.values()).containsOnly(TerminalState.COMPLETED);
            // every task the slow host held was completed by the fast one
            assertThat(fleet.tasksOfLostHosts()).isNotEmpty().allSatisfy(id ->
                assertThat((String)tally.results.get(id)).contains("@fast:"));

            slow.mute(false);
            Await.until("the held answers arriving late and ignored", () -> fleet.stats().lateCompletions() > 0);
            Await.until("the slow host re-admitted", Duration.ofSeconds(10),
                () -> fleet.connectedHosts() == 2 && dispatcher.agents().size() == 5);
            assertThat(fleet.stats().hostsAdmitted()).isEqualTo(3);
        }
        finally
        {
            dispatcher.close();
        }
    }
}
