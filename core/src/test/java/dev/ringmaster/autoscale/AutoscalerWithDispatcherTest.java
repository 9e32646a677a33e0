package dev.ringmaster.autoscale;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoscaler on a real dispatcher: a burst grows the pool from its one registered agent, the added agents take
 * work, and once the burst is done they are drained away, with every accepted task reaching exactly one terminal
 * state. Deadlines only bound the waits; nothing is asserted about time.
 */
class AutoscalerWithDispatcherTest
{
    /** Counts lifecycle events per task; written on the router thread, read by the test thread. */
    private static final class Tally implements DispatchListener
    {
        final AtomicLong accepted = new AtomicLong();
        final Map<Long, String> terminal = new ConcurrentHashMap<>();
        final Map<Long, Integer> starts = new ConcurrentHashMap<>();
        final Queue<String> duplicates = new ConcurrentLinkedQueue<>();
        final Set<String> completedBy = ConcurrentHashMap.newKeySet();

        private void end(final TaskView task, final String state)
        {
            final String previous = terminal.putIfAbsent(task.task().id(), state);
            if (previous != null)
            {
                duplicates.add(task.task().id() + ": " + previous + " then " + state);
            }
        }

        @Override
        public void onAccepted(final TaskView task, final long nanos)
        {
            accepted.incrementAndGet();
        }

        @Override
        public void onStarted(final TaskView task, final AgentView agent, final long nanos)
        {
            starts.merge(task.task().id(), 1, Integer::sum);
        }

        @Override
        public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
        {
            completedBy.add(agent.id());
            end(task, "COMPLETED");
        }

        @Override
        public void onExpired(final TaskView task, final long nanos)
        {
            end(task, "EXPIRED");
        }

        @Override
        public void onDeadLettered(final TaskView task, final String reason, final long nanos)
        {
            end(task, "DEAD_LETTERED");
        }

        @Override
        public void onCancelled(final TaskView task, final long nanos)
        {
            end(task, "CANCELLED");
        }
    }

    private static AgentAdapter delayed(final ScheduledExecutorService timer)
    {
        return (task, completion, telemetry) -> timer.schedule(() -> completion.succeed("ok"), 2, TimeUnit.MILLISECONDS);
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    @Test
    void growsUnderABurstAndDrainsTheAddedAgentsAfterwardsLosingNothing() throws Exception
    {
        final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        final Tally tally = new Tally();
        final Dispatcher dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).listener(tally)
            .agent(AgentSpec.builder("coder-0", "coder").capacity(2).build(), delayed(timer))
            .build().start();
        final AgentFactory factory = new AgentFactory()
        {
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
                return delayed(timer);
            }
        };
        final ScalingPolicy policy = ScalingPolicy.builder().min(1).max(6).scaleUpThreshold(0.8)
            .scaleDownThreshold(0.3).consecutiveEvaluations(1).scaleUpCooldown(Duration.ofMillis(20))
            .scaleDownCooldown(Duration.ofMillis(50)).step(2).build();
        try (Autoscaler autoscaler = Autoscaler.builder(dispatcher).scale(policy, factory)
            .interval(Duration.ofMillis(10)).build().start())
        {
            final int burst = 1_500;
            for (int i = 0; i < burst; i++)
            {
                final SubmitStatus status = dispatcher.submit(Task.builder("coder").maxRetries(0).build(),
                    Duration.ofSeconds(5));
                assertThat(status).isEqualTo(SubmitStatus.ACCEPTED);
            }
            await(() -> dispatcher.outstanding() == 0, "the burst to finish");
            await(() -> dispatcher.agents().size() == 1, "the pool to drain back to its minimum");
            await(() -> autoscaler.history().stream().filter(e -> e.kind() == ScalingEvent.Kind.REMOVED).count() ==
                autoscaler.history().stream().filter(e -> e.kind() == ScalingEvent.Kind.ADDED).count(),
                "every removal to be reported");

            final List<ScalingEvent> history = autoscaler.history();
            assertThat(history).extracting(ScalingEvent::kind)
                .contains(ScalingEvent.Kind.SCALE_UP, ScalingEvent.Kind.ADDED, ScalingEvent.Kind.SCALE_DOWN,
                    ScalingEvent.Kind.REMOVED)
                .doesNotContain(ScalingEvent.Kind.ADD_FAILED, ScalingEvent.Kind.REMOVE_FAILED, ScalingEvent.Kind.LOST);
            assertThat(history).as("never past the maximum").allMatch(e -> e.poolAfter() <= policy.max());
            assertThat(history.stream().mapToInt(ScalingEvent::poolAfter).max().orElse(0)).isGreaterThan(1);
            assertThat(tally.completedBy).as("added agents took work").anyMatch(id -> id.startsWith("coder-auto-"));
            assertThat(dispatcher.agents()).extracting(AgentView::id).containsExactly("coder-0");
        }
        finally
        {
            assertThat(dispatcher.drain(Duration.ofSeconds(30))).isTrue();
            timer.shutdownNow();
        }
        assertThat(tally.duplicates).isEmpty();
        assertThat(tally.terminal).hasSize((int)tally.accepted.get());
        assertThat(tally.accepted.get()).isEqualTo(1_500);
        assertThat(tally.terminal.values()).as("no failures here: every task completes").allMatch("COMPLETED"::equals);
        assertThat(tally.starts.values()).as("no task ran twice").allMatch(n -> n == 1);
    }
}
