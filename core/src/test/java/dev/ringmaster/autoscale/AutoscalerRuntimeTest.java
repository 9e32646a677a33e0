package dev.ringmaster.autoscale;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The autoscaler's bookkeeping against a fake fleet whose additions and removals complete only when the test says,
 * evaluated by hand on a virtual clock: nothing here sleeps or reads the wall clock.
 */
class AutoscalerRuntimeTest
{
    private static final long SECOND = 1_000_000_000L;

    /** A fleet that records calls and leaves their futures pending; test-thread only. */
    private static final class FakeFleet implements ScalableFleet
    {
        final Map<String, ScalableFleet.AgentSample> agents = new LinkedHashMap<>();
        final Map<String, CompletableFuture<Object>> adds = new LinkedHashMap<>();
        final Map<String, CompletableFuture<Object>> removes = new LinkedHashMap<>();
        final List<String> removeCalls = new ArrayList<>();
        long queue;
        boolean paused;
        /** Thrown by add or remove while set: a custom fleet's Error, or a checked exception it throws undeclared. */
        Throwable addError;
        Throwable removeError;

        void register(final String id, final int capacity, final int inFlight)
        {
            agents.put(id, new ScalableFleet.AgentSample(id, capacity, inFlight));
        }

        @Override
        public List<AgentSample> agents(final String type)
        {
            return List.copyOf(agents.values());
        }

        @Override
        public long queueDepth(final String type)
        {
            return queue;
        }

        @Override
        public boolean paused(final String type)
        {
            return paused;
        }

        @Override
        public CompletableFuture<?> add(final AgentSpec spec, final AgentAdapter adapter)
        {
            if (addError != null)
            {
                AutoscalerRuntimeTest.<RuntimeException>sneakyThrow(addError);
            }
            final CompletableFuture<Object> f = new CompletableFuture<>();
            adds.put(spec.id(), f);
            return f;
        }

        @Override
        public CompletableFuture<?> remove(final String agentId)
        {
            removeCalls.add(agentId);
            if (removeError != null)
            {
                AutoscalerRuntimeTest.<RuntimeException>sneakyThrow(removeError);
            }
            final CompletableFuture<Object> f = new CompletableFuture<>();
            removes.put(agentId, f);
            return f;
        }

        /** An operator's removeAgent: the agent stays listed, draining, until its running tasks finish. */
        void drainedBySomeoneElse(final String id)
        {
            final ScalableFleet.AgentSample a = agents.get(id);
            agents.put(id, new ScalableFleet.AgentSample(id, a.capacity(), a.inFlight(), true));
        }

        void completeAdd(final String id, final int capacity)
        {
            agents.put(id, new ScalableFleet.AgentSample(id, capacity, 0));
            adds.remove(id).complete(null);
        }

        void completeRemove(final String id)
        {
            agents.remove(id);
            removes.remove(id).complete(null);
        }
    }

    /** A factory of capacity-2 agents that counts what it made and released; fails while told to. */
    private static final class CountingFactory implements AgentFactory
    {
        final AtomicInteger created = new AtomicInteger();
        /** Thread-safe: after close, the autoscaler releases on a thread of its own. */
        final List<String> released = new CopyOnWriteArrayList<>();
        boolean failing;
        /** Thrown by create while set: a plugin whose client class is missing from its jar. */
        Error error;
        /** Thrown by release while set: an Error, or a checked exception a plugin in another JVM language throws. */
        Throwable releaseError;

        @Override
        public String type()
        {
            return "coder";
        }

        @Override
        public AgentSpec spec(final String id)
        {
            return AgentSpec.builder(id, "coder").capacity(2).build();
        }

        @Override
        public AgentAdapter create(final AgentSpec spec)
        {
            if (failing)
            {
                throw new IllegalStateException("no quota left");
            }
            if (error != null)
            {
                throw error;
            }
            created.incrementAndGet();
            return AgentAdapter.sync(t -> "ok");
        }

        @Override
        public void release(final AgentSpec spec, final AgentAdapter adapter)
        {
            released.add(spec.id());
            if (releaseError != null)
            {
                AutoscalerRuntimeTest.<RuntimeException>sneakyThrow(releaseError);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(final Throwable t) throws T
    {
        throw (T)t;
    }

    private static ScalingPolicy.Builder policy()
    {
        return ScalingPolicy.builder().min(1).max(3).scaleUpThreshold(0.8).scaleDownThreshold(0.3)
            .consecutiveEvaluations(1).scaleUpCooldown(Duration.ZERO).scaleDownCooldown(Duration.ZERO).step(5);
    }

    @Test
    void countsAgentsBeingAddedSoThatMaxIsNeverPassedThenDrainsOnlyItsOwnOnceEach()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("registered", 2, 2);
        fleet.queue = 50;
        final CountingFactory factory = new CountingFactory();
        final long[] now = {0};
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().build(), factory)
            .clock(() -> now[0]).build();

        assertThat(autoscaler.evaluate()).singleElement().satisfies(d -> assertThat(d.add()).isEqualTo(2));
        assertThat(fleet.adds).containsOnlyKeys("coder-auto-1", "coder-auto-2");
        now[0] += SECOND;
        assertThat(autoscaler.evaluate()).singleElement().satisfies(d ->
        {
            assertThat(d.poolSize()).as("both pending additions count").isEqualTo(3);
            assertThat(d.reason()).contains("at its maximum of 3");
        });
        assertThat(factory.created).hasValue(2);

        fleet.completeAdd("coder-auto-1", 2);
        fleet.completeAdd("coder-auto-2", 2);
        fleet.queue = 0;
        fleet.register("registered", 2, 0);
        now[0] += SECOND;
        final Decision down = autoscaler.evaluate().get(0);
        assertThat(down.remove()).as("least loaded, newest first; never the registered agent")
            .containsExactly("coder-auto-2", "coder-auto-1");
        now[0] += SECOND;
        final Decision after = autoscaler.evaluate().get(0);
        assertThat(after.poolSize()).as("agents being removed count as gone").isEqualTo(1);
        assertThat(after.reason()).contains("at its minimum of 1");
        assertThat(fleet.removeCalls).as("each removed once").containsExactly("coder-auto-2", "coder-auto-1");
        assertThat(factory.released).isEmpty();

        fleet.completeRemove("coder-auto-2");
        fleet.completeRemove("coder-auto-1");
        now[0] += SECOND;
        autoscaler.evaluate();
        assertThat(factory.released).containsExactly("coder-auto-2", "coder-auto-1");
        assertThat(autoscaler.history()).extracting(ScalingEvent::kind).containsExactly(
            ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADDED, ScalingEvent.Kind.ADDED,
            ScalingEvent.Kind.SCALE_DOWN, ScalingEvent.Kind.REMOVED, ScalingEvent.Kind.REMOVED);
        final ScalingEvent up = autoscaler.history().get(0);
        assertThat(up.nanos()).isZero();
        assertThat(up.type()).isEqualTo("coder");
        assertThat(up.poolBefore()).isEqualTo(1);
        assertThat(up.poolAfter()).isEqualTo(3);
        assertThat(up.reason()).contains("above 0.80");
        assertThat(autoscaler.lastDecisions().get("coder").action()).isEqualTo(Decision.Action.HOLD);
    }

    @Test
    void aFailingFactoryIsRecordedAndRetriedAfterTheCooldownNotEveryEvaluation()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("registered", 2, 2);
        fleet.queue = 10;
        final CountingFactory factory = new CountingFactory();
        factory.failing = true;
        final long[] now = {0};
        final Autoscaler autoscaler = Autoscaler.builder(fleet)
            .scale(policy().scaleUpCooldown(Duration.ofSeconds(5)).build(), factory).clock(() -> now[0]).build();
        autoscaler.evaluate();
        now[0] += SECOND;
        autoscaler.evaluate();
        assertThat(autoscaler.history()).singleElement().satisfies(e ->
        {
            assertThat(e.kind()).isEqualTo(ScalingEvent.Kind.ADD_FAILED);
            assertThat(e.reason()).contains("no quota left");
        });
        factory.failing = false;
        now[0] = 5 * SECOND;
        autoscaler.evaluate();
        assertThat(fleet.adds).hasSize(2);
    }

    @Test
    void aPoolBelowItsMinimumRetriesAFailingFactoryOncePerCooldownNotEveryEvaluation()
    {
        final FakeFleet fleet = new FakeFleet();
        final CountingFactory factory = new CountingFactory();
        factory.failing = true;
        final long[] now = {0};
        final Autoscaler autoscaler = Autoscaler.builder(fleet)
            .scale(policy().scaleUpCooldown(Duration.ofSeconds(30)).build(), factory).clock(() -> now[0]).build();

        for (int i = 0; i < 3; i++)
        {
            now[0] = i * SECOND;
            autoscaler.evaluate();
        }

        assertThat(autoscaler.history()).extracting(ScalingEvent::kind).containsExactly(ScalingEvent.Kind.ADD_FAILED);
        assertThat(autoscaler.lastDecisions().get("coder").reason()).contains("below its minimum")
            .contains("last addition failed");
        factory.failing = false;
        now[0] = 30 * SECOND;
        autoscaler.evaluate();
        assertThat(fleet.adds).as("retried once the cooldown is over").hasSize(1);
    }

    @Test
    void aPoolBelowItsMinimumWhoseAdditionTheFleetRefusedWaitsOutTheCooldown()
    {
        final FakeFleet fleet = new FakeFleet();
        final CountingFactory factory = new CountingFactory();
        final long[] now = {0};
        final Autoscaler autoscaler = Autoscaler.builder(fleet)
            .scale(policy().scaleUpCooldown(Duration.ofSeconds(30)).build(), factory).clock(() -> now[0]).build();
        autoscaler.evaluate();
        fleet.adds.remove("coder-auto-1").completeExceptionally(new IllegalStateException("quota exceeded"));

        now[0] = SECOND;
        autoscaler.evaluate();
        now[0] = 2 * SECOND;
        autoscaler.evaluate();

        assertThat(fleet.adds).isEmpty();
        assertThat(factory.created).hasValue(1);
        assertThat(autoscaler.history()).extracting(ScalingEvent::kind)
            .containsExactly(ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADD_FAILED);
    }

    @Test
    void aFactoryThatThrowsAnErrorIsRecordedAsAFailedAdditionLikeOneThatThrowsAnException()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("registered", 2, 2);
        fleet.queue = 10;
        final CountingFactory factory = new CountingFactory();
        factory.error = new NoClassDefFoundError("com/example/QuotaClient");
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().build(), factory).clock(() -> 0).build();

        autoscaler.evaluate();

        assertThat(autoscaler.history()).singleElement().satisfies(e ->
        {
            assertThat(e.kind()).isEqualTo(ScalingEvent.Kind.ADD_FAILED);
            assertThat(e.reason()).contains("QuotaClient");
        });
        assertThat(fleet.adds).isEmpty();
    }

    /** Scales up by one, has the fleet refuse that addition, and evaluates again. */
    private static Autoscaler refusedAddition(final FakeFleet fleet, final CountingFactory factory)
    {
        fleet.register("registered", 2, 2);
        fleet.queue = 2;
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().step(1).build(), factory)
            .clock(() -> 0).build();
        autoscaler.evaluate();
        fleet.adds.remove("coder-auto-1").completeExceptionally(new IllegalStateException("dispatcher not running"));
        autoscaler.evaluate();
        return autoscaler;
    }

    @Test
    void aReleaseThatThrowsAnErrorDoesNotStopTheEvaluation()
    {
        final CountingFactory factory = new CountingFactory();
        factory.releaseError = new AssertionError("release failed");

        final Autoscaler autoscaler = refusedAddition(new FakeFleet(), factory);

        assertThat(factory.released).containsExactly("coder-auto-1");
        assertThat(autoscaler.history()).extracting(ScalingEvent::kind)
            .containsExactly(ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADD_FAILED, ScalingEvent.Kind.SCALE_UP);
    }

    @Test
    void aReleaseThatThrowsACheckedExceptionDoesNotStopTheEvaluation()
    {
        // a factory written in Kotlin or Scala may throw what Java calls checked from a method that declares nothing
        final CountingFactory factory = new CountingFactory();
        factory.releaseError = new java.io.IOException("the cloud API is down");

        final Autoscaler autoscaler = refusedAddition(new FakeFleet(), factory);

        assertThat(factory.released).containsExactly("coder-auto-1");
        assertThat(autoscaler.history()).extracting(ScalingEvent::kind)
            .containsExactly(ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADD_FAILED, ScalingEvent.Kind.SCALE_UP);
    }

    @Test
    void aRefusedAdditionIsForgottenAndAnAgentRemovedBySomeoneElseIsReleased()
    {
        final FakeFleet fleet = new FakeFleet();
        final CountingFactory factory = new CountingFactory();
        final Autoscaler autoscaler = refusedAddition(fleet, factory);
        assertThat(autoscaler.history()).extracting(ScalingEvent::kind)
            .containsExactly(ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADD_FAILED, ScalingEvent.Kind.SCALE_UP);
        assertThat(factory.released).containsExactly("coder-auto-1");

        fleet.completeAdd("coder-auto-2", 2);
        autoscaler.evaluate();
        fleet.agents.remove("coder-auto-2"); // an operator drained it through the admin endpoint
        autoscaler.evaluate();
        assertThat(autoscaler.history()).extracting(ScalingEvent::kind).contains(ScalingEvent.Kind.LOST);
        assertThat(factory.released).containsExactly("coder-auto-1", "coder-auto-2");
    }

    @Test
    void removesRegisteredAgentsOnlyWhenThePolicySaysSoAndHoldsWhilePaused()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("r1", 2, 0);
        fleet.register("r2", 2, 0);
        final Autoscaler keep = Autoscaler.builder(fleet).scale(policy().build(), new CountingFactory())
            .clock(() -> 0).build();
        assertThat(keep.evaluate().get(0).reason()).contains("none is removable");
        assertThat(fleet.removeCalls).isEmpty();

        final Autoscaler adopt = Autoscaler.builder(fleet)
            .scale(policy().removeRegisteredAgents(true).build(), new CountingFactory()).clock(() -> 0).build();
        assertThat(adopt.evaluate().get(0).remove()).containsExactly("r2");
        assertThat(fleet.removeCalls).containsExactly("r2");

        fleet.paused = true;
        fleet.queue = 1_000;
        final Autoscaler paused = Autoscaler.builder(fleet).scale(policy().build(), new CountingFactory())
            .clock(() -> 0).build();
        assertThat(paused.evaluate().get(0).reason()).contains("paused");
        assertThat(fleet.adds).isEmpty();
    }

    @Test
    void anAgentAnOperatorIsDrainingIsNotCapacitySoTheMinimumIsRefilledAtOnce()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("A1", 2, 0);
        fleet.register("A2", 2, 1);
        fleet.drainedBySomeoneElse("A2"); // removeAgent("A2") while it runs a long task
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().min(2).build(), new CountingFactory())
            .clock(() -> 0).build();

        final Decision d = autoscaler.evaluate().get(0);

        assertThat(d.reason()).contains("below its minimum of 2");
        assertThat(d.add()).isEqualTo(1);
        assertThat(fleet.adds).containsOnlyKeys("coder-auto-1");
    }

    @Test
    void anAgentAnOperatorIsDrainingIsNeverPickedForScaleDown()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("A1", 2, 1);
        fleet.register("A2", 2, 0);
        fleet.register("A3", 2, 0);
        fleet.drainedBySomeoneElse("A2");
        final Autoscaler autoscaler = Autoscaler.builder(fleet)
            .scale(policy().removeRegisteredAgents(true).build(), new CountingFactory()).clock(() -> 0).build();

        final Decision d = autoscaler.evaluate().get(0);

        assertThat(d.poolSize()).as("A1 and A3; A2 is leaving").isEqualTo(2);
        assertThat(fleet.removeCalls).as("a removal of A2 would be refused and still start the cooldown")
            .containsExactly("A3");
    }

    /** Adds coder-auto-1 next to a busy registered agent, then, once it is in, has the pool shrink by removing it. */
    private static Autoscaler removingItsOwnAgent(final FakeFleet fleet, final CountingFactory factory)
    {
        fleet.register("registered", 2, 2);
        fleet.queue = 2;
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().step(1).build(), factory)
            .clock(() -> 0).build();
        autoscaler.evaluate();
        fleet.completeAdd("coder-auto-1", 2);
        fleet.queue = 0;
        fleet.register("registered", 2, 0);
        assertThat(autoscaler.evaluate().get(0).remove()).containsExactly("coder-auto-1");
        return autoscaler;
    }

    @Test
    void aFleetWhoseAddThrowsAnErrorFailsThatAdditionWithoutLeavingAPhantomAgent()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("registered", 2, 2);
        fleet.queue = 2;
        fleet.addError = new NoClassDefFoundError("com/example/CloudClient");
        final CountingFactory factory = new CountingFactory();
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().step(1).max(2).build(), factory)
            .clock(() -> 0).build();

        assertThat(autoscaler.evaluate().get(0).add()).isEqualTo(1);
        fleet.addError = null;
        final Decision next = autoscaler.evaluate().get(0);

        assertThat(autoscaler.history()).extracting(ScalingEvent::kind).containsSubsequence(
            ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADD_FAILED);
        assertThat(autoscaler.history()).filteredOn(e -> e.kind() == ScalingEvent.Kind.ADD_FAILED).singleElement()
            .satisfies(e -> assertThat(e.reason()).contains("CloudClient"));
        assertThat(factory.released).containsExactly("coder-auto-1");
        assertThat(next.poolSize()).as("the failed agent no longer counts toward max").isEqualTo(1);
        assertThat(fleet.adds).containsOnlyKeys("coder-auto-2");
    }

    @Test
    void aFleetWhoseRemoveThrowsACheckedExceptionFailsThatRemovalAndTheAgentStaysOurs()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.removeError = new java.io.IOException("control plane unreachable");
        final CountingFactory factory = new CountingFactory();
        final Autoscaler autoscaler = removingItsOwnAgent(fleet, factory);
        fleet.removeError = null;

        autoscaler.evaluate();

        assertThat(autoscaler.history()).filteredOn(e -> e.kind() == ScalingEvent.Kind.REMOVE_FAILED).singleElement()
            .satisfies(e -> assertThat(e.reason()).contains("control plane unreachable"));
        assertThat(fleet.removeCalls).as("active again, so removed again").containsExactly("coder-auto-1",
            "coder-auto-1");
    }

    @Test
    void aRemovalThatEndsAfterCloseStillReleasesTheAgent() throws InterruptedException
    {
        final FakeFleet fleet = new FakeFleet();
        final CountingFactory factory = new CountingFactory();
        final Autoscaler autoscaler = removingItsOwnAgent(fleet, factory);

        autoscaler.close();
        fleet.completeRemove("coder-auto-1");

        Await.until("the factory to release coder-auto-1", Duration.ofSeconds(5),
            () -> factory.released.contains("coder-auto-1"));
        assertThat(factory.released).containsExactly("coder-auto-1");
    }

    @Test
    void anAdditionRefusedAfterCloseStillReleasesTheAgent() throws InterruptedException
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("registered", 2, 2);
        fleet.queue = 2;
        final CountingFactory factory = new CountingFactory();
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().step(1).build(), factory)
            .clock(() -> 0).build();
        autoscaler.evaluate();

        autoscaler.close();
        fleet.adds.remove("coder-auto-1").completeExceptionally(new IllegalStateException("dispatcher not running"));

        Await.until("the factory to release coder-auto-1", Duration.ofSeconds(5),
            () -> factory.released.contains("coder-auto-1"));
    }

    @Test
    void aRemovalThatEndedBeforeCloseButWasNotYetAppliedIsReleasedByClose()
    {
        final FakeFleet fleet = new FakeFleet();
        final CountingFactory factory = new CountingFactory();
        final Autoscaler autoscaler = removingItsOwnAgent(fleet, factory);
        fleet.completeRemove("coder-auto-1");

        autoscaler.close();

        assertThat(factory.released).containsExactly("coder-auto-1");
    }

    @Test
    void aClosedAutoscalerNoLongerScales()
    {
        final FakeFleet fleet = new FakeFleet();
        fleet.register("registered", 2, 2);
        fleet.queue = 10;
        final Autoscaler autoscaler = Autoscaler.builder(fleet).scale(policy().build(), new CountingFactory())
            .clock(() -> 0).build();

        autoscaler.close();

        assertThat(autoscaler.evaluate()).isEmpty();
        assertThat(fleet.adds).isEmpty();
    }

    @Test
    void refusesAnEmptyOrDuplicateConfiguration()
    {
        final FakeFleet fleet = new FakeFleet();
        assertThatThrownBy(() -> Autoscaler.builder(fleet).build()).hasMessageContaining("at least one type");
        assertThatThrownBy(() -> Autoscaler.builder(fleet).scale(policy().build(), new CountingFactory())
            .scale(policy().build(), new CountingFactory())).hasMessageContaining("already scaled");
        assertThatThrownBy(() -> Autoscaler.builder(fleet).interval(Duration.ZERO)).hasMessageContaining("positive");
    }
}
