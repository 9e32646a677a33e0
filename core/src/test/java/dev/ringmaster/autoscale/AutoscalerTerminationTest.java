package dev.ringmaster.autoscale;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A factory releases what it made for the agents an autoscaler added once their dispatcher has terminated: such a
 * dispatcher keeps its stopped agents and never reports them gone, so a factory holding a process or a connection per
 * agent leaked every one (a user's trial: created 2, stopped 2, released 0).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AutoscalerTerminationTest
{
    /** Makes answering "coder" agents and records each release; thread-safe. */
    private static final class Counting implements AgentFactory
    {
        final Queue<String> released = new ConcurrentLinkedQueue<>();

        @Override
        public String type()
        {
            return "coder";
        }

        @Override
        public AgentSpec spec(final String id)
        {
            return AgentSpec.builder(id, "coder").capacity(1).build();
        }

        @Override
        public AgentAdapter create(final AgentSpec spec)
        {
            return AgentAdapter.sync(t -> "ok");
        }

        @Override
        public void release(final AgentSpec spec, final AgentAdapter adapter)
        {
            released.add(spec.id());
        }
    }

    @Test
    void theNextEvaluationAfterTerminationReleasesEveryAgentAddedAndCloseReleasesNoneTwice() throws Exception
    {
        final Counting factory = new Counting();
        final Dispatcher d = dispatcher(factory);
        final Autoscaler autoscaler = twoCoders(d, factory);
        addTwo(d, autoscaler);
        d.shutdownNow();
        assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();

        assertThat(autoscaler.evaluate()).as("nothing to scale on a terminated dispatcher").isEmpty();
        assertThat(factory.released).containsExactlyInAnyOrder("coder-auto-1", "coder-auto-2");
        autoscaler.close();
        assertThat(factory.released).hasSize(2);
    }

    @Test
    void closingAfterTerminationReleasesThem() throws Exception
    {
        final Counting factory = new Counting();
        final Dispatcher d = dispatcher(factory);
        final Autoscaler autoscaler = twoCoders(d, factory);
        addTwo(d, autoscaler);
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();

        autoscaler.close();
        assertThat(factory.released).containsExactlyInAnyOrder("coder-auto-1", "coder-auto-2");
    }

    private static Dispatcher dispatcher(final AgentFactory factory)
    {
        return Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("reviewer-0", "reviewer").build(), AgentAdapter.sync(t -> "reviewed"))
            .agentFactory(factory)
            .build().start();
    }

    private static Autoscaler twoCoders(final Dispatcher d, final AgentFactory factory)
    {
        final ScalingPolicy policy = ScalingPolicy.builder().min(2).max(2).step(2).consecutiveEvaluations(1).build();
        return Autoscaler.builder(d).scale(policy, factory).build();
    }

    private static void addTwo(final Dispatcher d, final Autoscaler autoscaler) throws InterruptedException
    {
        autoscaler.evaluate();
        Await.until("both coders added", () -> d.agents().stream().filter(a -> a.spec().type().equals("coder")).count() == 2);
        autoscaler.evaluate(); // applies the additions' outcomes: both are the autoscaler's now
        assertThat(autoscaler.history()).extracting(ScalingEvent::kind).contains(ScalingEvent.Kind.ADDED);
    }
}
