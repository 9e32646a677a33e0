package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.DispatcherState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A host session takes out of the dispatcher only the agents it put in, whatever happens while it is being admitted. */
class HostAdmissionTest
{
    /**
     * Holds the routing role inside {@code select} for a task of the placeholder type until released, so fleet
     * changes queue up behind it: the way to keep a host's admission in flight for as long as a test needs.
     */
    private static final class GateStrategy implements RoutingStrategy
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name()
        {
            return "test-gate";
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            if (RemoteFleet.PLACEHOLDER_TYPE.equals(task.task().type()))
            {
                entered.countDown();
                try
                {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
            return 0;
        }
    }

    @Test
    void aHostGivenUpBeforeItsAdmissionWasAppliedDoesNotCrashTheAgentAnotherHostHasUnderTheSameId() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final GateStrategy gate = new GateStrategy();
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).strategy(gate).build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost first = new AgentHost("first", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("shared", 1, 4, Duration.ofMillis(1)), 0).start())
        {
            assertThat(first.awaitRegistered(Duration.ofSeconds(20))).as("the first host registered").isTrue();
            Await.until("the first host's agent added", () -> dispatcher.agents().size() == 2);

            // the routing role held: the second host's agents are asked for, not added, until the gate opens
            final CompletableFuture<?> held = CompletableFuture.runAsync(() -> dispatcher.submitAsync(
                Task.builder(RemoteFleet.PLACEHOLDER_TYPE).payload("gate").build()));
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).as("the routing role held").isTrue();
            // "w0@shared", the first host's id, and "w1@shared", its own
            try (AgentHost second = new AgentHost("second", settings, PayloadCodec.TEXT,
                RemoteTesting.agents("shared", 2, 4, Duration.ofMillis(1)), 0).start())
            {
                Await.until("the second host registering", () -> fleet.hosts().stream()
                    .anyMatch(h -> h.hostId().equals("second") && h.state().equals("connecting")));
                // registering, it has no agent in the dispatcher: the shared id is still the first host's alone
                assertThat(fleet.hosts()).filteredOn(h -> h.hostId().equals("second")).singleElement()
                    .satisfies(h -> assertThat(h.agentIds()).isEmpty());
                assertThat(fleet.hostOf("w0@shared")).isEqualTo("first");
                second.mute(true); // silent before its admission was applied
                Await.until("the second host given up", Duration.ofSeconds(20), () -> fleet.hosts().stream()
                    .anyMatch(h -> h.hostId().equals("second") && h.state().equals("lost")));
            }
            finally
            {
                gate.release.countDown();
            }
            held.get(10, TimeUnit.SECONDS);

            // "w0@shared" is the first host's: the second, never admitted, takes out only "w1@shared", which its
            // admission added after the give-up
            Await.until("the second host's own agent out again", () -> dispatcher.agents().stream()
                .noneMatch(a -> a.id().equals("w1@shared")));
            Await.routerPass(dispatcher);
            assertThat(dispatcher.agents()).extracting(a -> a.id())
                .containsExactlyInAnyOrder("remote-placeholder", "w0@shared");
            assertThat(dispatcher.submitAsync(Task.builder("work").payload("x").build()).get(10, TimeUnit.SECONDS)
                .result()).isEqualTo("w0@shared:x");
            assertThat(first.tasksRun()).isEqualTo(1);
            assertThat(fleet.hostOf("w0@shared")).isEqualTo("first");
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }

    @Test
    void aHostSayingHelloBeforeTheDispatcherRunsWaitsInsteadOfBeingRefusedAndIsAdmittedOnceItRuns() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build(); // not started yet
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("early", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("early", 1, 4, Duration.ofMillis(1)), 0).start())
        {
            Await.until("the host's admission tried", Duration.ofSeconds(20), () -> fleet.hosts().stream()
                .anyMatch(h -> h.hostId().equals("early") && h.lostReason() != null));
            assertThat(fleet.hosts()).filteredOn(h -> h.hostId().equals("early")).singleElement().satisfies(h ->
            {
                assertThat(h.state()).isEqualTo("connecting");
                assertThat(h.lostReason()).contains("waiting").contains("not running");
            });
            assertThat(host.refusal()).as("a dispatcher not running yet is no fault of the host").isNull();

            dispatcher.start();
            assertThat(host.awaitRegistered(Duration.ofSeconds(20))).as("registered once the dispatcher runs").isTrue();
            assertThat(dispatcher.submitAsync(Task.builder("work").payload("x").build()).get(10, TimeUnit.SECONDS)
                .result()).isEqualTo("w0@early:x");
            assertThat(fleet.hosts()).filteredOn(h -> h.hostId().equals("early")).singleElement()
                .satisfies(h -> assertThat(h.lostReason()).isNull());
        }
        finally
        {
            if (dispatcher.state() != DispatcherState.NEW)
            {
                dispatcher.shutdownNow();
            }
        }
    }

    @Test
    void aHostWhoseAgentsDoNotFitTheSlotLimitWaitsUntilTheyDoInsteadOfBeingRefused() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        // all but a few of the dispatcher's 65,536 slots taken by a local agent: the host's 2 x 4 do not fit
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            .agent(AgentSpec.builder("big", "local").capacity(65_530).build(),
                (task, completion, telemetry) -> completion.succeed("big", 0, 1.0))
            .build().start();
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("late", settings, PayloadCodec.TEXT,
                 RemoteTesting.agents("late", 2, 4, Duration.ofMillis(1)), 0).start())
        {
            Await.until("the host's admission tried", Duration.ofSeconds(20), () -> fleet.hosts().stream()
                .anyMatch(h -> h.hostId().equals("late") && h.lostReason() != null));
            assertThat(fleet.hosts()).filteredOn(h -> h.hostId().equals("late")).singleElement().satisfies(h ->
            {
                assertThat(h.state()).isEqualTo("connecting");
                assertThat(h.lostReason()).contains("waiting").contains("slots");
            });
            assertThat(host.refusal()).as("a full dispatcher is no fault of the host").isNull();

            dispatcher.removeAgent("big").get(10, TimeUnit.SECONDS);
            assertThat(host.awaitRegistered(Duration.ofSeconds(20))).as("registered once its agents fit").isTrue();
            assertThat(dispatcher.agents()).extracting(a -> a.id())
                .containsExactlyInAnyOrder("remote-placeholder", "w0@late", "w1@late");
            assertThat(dispatcher.submitAsync(Task.builder("work").payload("x").build()).get(10, TimeUnit.SECONDS)
                .result()).asString().endsWith("@late:x");
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
