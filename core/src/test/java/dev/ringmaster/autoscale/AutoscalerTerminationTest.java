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
        final java.util.concurrent.atomic.AtomicInteger stopped = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.CountDownLatch gate;

        Counting()
        {
            this(new java.util.concurrent.CountDownLatch(0));
        }

        Counting(final java.util.concurrent.CountDownLatch gate)
        {
            this.gate = gate;
        }

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
            final AgentAdapter answering = AgentAdapter.sync(t -> "ok");
            return new AgentAdapter()
            {
                @Override
                public void execute(final dev.ringmaster.spi.TaskView task, final dev.ringmaster.spi.Completion completion,
                                    final dev.ringmaster.spi.AgentTelemetry telemetry) throws Exception
                {
                    answering.execute(task, completion, telemetry);
                }

                @Override
                public void stop()
                {
                    try
                    {
                        gate.await(10, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                    stopped.incrementAndGet();
                }
            };
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

    /**
     * The dispatcher is TERMINATED before it has stopped its adapters (one caller stops them, one by one): a release
     * then would kill an adapter's process or connection under its own stop(). Nothing is released until every stop
     * returned, whoever asks (a review found the autoscaler released at the first sight of TERMINATED).
     */
    @Test
    void nothingIsReleasedWhileTheDispatcherStillStopsTheAdapters() throws Exception
    {
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        final Counting factory = new Counting(gate);
        final Dispatcher d = dispatcher(factory);
        final Autoscaler autoscaler = twoCoders(d, factory);
        addTwo(d, autoscaler);
        final Thread draining = new Thread(() -> d.drain(Duration.ofSeconds(20)), "draining");
        draining.start();
        Await.until("terminated, its stops under way", () -> d.state() == dev.ringmaster.dispatch.DispatcherState.TERMINATED);

        assertThat(d.awaitTermination(Duration.ofMillis(50))).as("a second caller waits for the stops too").isFalse();
        autoscaler.close();
        assertThat(factory.released).as("released while a stop() had not returned").isEmpty();

        gate.countDown();
        draining.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(d.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(factory.stopped).hasValue(2);
        autoscaler.close(); // idempotent: this time it finds the stops done
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
