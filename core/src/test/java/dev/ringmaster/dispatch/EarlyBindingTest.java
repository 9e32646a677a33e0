package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Early binding per agent type: a task goes to the chosen agent's own FIFO queue at arrival and stays there (or, with
 * stealing, may be taken by an agent that ran dry); removal, cancel, lookup and shutdown see bound tasks; nothing is
 * lost.
 */
class EarlyBindingTest
{
    static final int TASKS = 200;

    /** Starts and assignments in order, per agent. */
    static final class Order implements DispatchListener
    {
        final Map<String, List<Long>> assigned = new ConcurrentHashMap<>();
        final Map<String, List<Long>> started = new ConcurrentHashMap<>();

        @Override
        public void onAssigned(final TaskView task, final AgentView agent, final String strategy, final double score,
                               final double runnerUp, final long nanos)
        {
            assigned.computeIfAbsent(agent.id(), k -> new CopyOnWriteArrayList<>()).add(task.task().id());
        }

        @Override
        public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                          final String strategy, final double score, final double runnerUp, final long nanos)
        {
            onAssigned(task, agent, strategy, score, runnerUp, nanos);
        }

        @Override
        public void onStarted(final TaskView task, final AgentView agent, final long nanos)
        {
            started.computeIfAbsent(agent.id(), k -> new CopyOnWriteArrayList<>()).add(task.task().id());
        }
    }

    @Test
    void withoutStealingATaskRunsOnItsAgentInArrivalOrder() throws Exception
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Order order = new Order();
        final Dispatcher d = slowAndFast(Binding.EARLY, timer, order);
        try
        {
            submit(d, TASKS);
            assertThat(d.drain(Duration.ofSeconds(60))).as(d::describe).isTrue();
            assertThat(d.metrics().completed()).isEqualTo(TASKS);
            assertThat(d.metrics().steals()).as("no stealing under EARLY").isZero();
            // round robin at arrival, whatever the loads: half each, where late binding gives most to the fast one
            assertThat(order.started.get("slow")).hasSize(TASKS / 2);
            assertThat(order.started.get("fast")).hasSize(TASKS / 2);
            for (final String agent : List.of("slow", "fast"))
            {
                assertThat(order.started.get(agent)).as("FIFO on " + agent).isEqualTo(order.assigned.get(agent));
            }
        }
        finally
        {
            d.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void withStealingAnAgentThatRunsDryTakesFromTheLongestQueue() throws Exception
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Order order = new Order();
        final Dispatcher d = slowAndFast(Binding.EARLY_STEALING, timer, order);
        try
        {
            submit(d, TASKS);
            assertThat(d.drain(Duration.ofSeconds(60))).as(d::describe).isTrue();
            assertThat(d.metrics().completed()).isEqualTo(TASKS);
            assertThat(d.metrics().steals()).as("the fast agent stole from the slow one").isPositive();
            assertThat(order.started.get("fast").size()).isGreaterThan(TASKS / 2);
        }
        finally
        {
            d.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void boundTasksAreFoundCancelledRemovedAndSweptWithoutLoss() throws Exception
    {
        final ConcurrentLinkedQueue<Completion> held = new ConcurrentLinkedQueue<>();
        final Dispatcher d = Dispatcher.builder()
            .binding("worker", Binding.EARLY)
            .strategy(TestStrategies.roundRobin())
            .agent(AgentSpec.builder("holder", "worker").capacity(1).build(), (t, c, tel) -> held.add(c))
            .agent(AgentSpec.builder("other", "worker").capacity(1).build(), (t, c, tel) -> held.add(c))
            .build().start();
        try
        {
            final List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                final Task t = Task.builder("worker").build();
                ids.add(t.id());
                assertThat(d.submit(t)).isEqualTo(SubmitStatus.ACCEPTED);
            }
            Await.until("both agents hold a task", () -> held.size() == 2);
            // agents hold capacity 1 + prefetch 1 in their inboxes and slots; the rest waits bound, 3 per agent
            final long boundToHolder = ids.get(8);
            assertThat(d.whereIs(boundToHolder).get(10, TimeUnit.SECONDS)).isEqualTo("holder");
            assertThat(d.cancel(boundToHolder).get(10, TimeUnit.SECONDS)).isEqualTo(CancelOutcome.CANCELLED);

            // removing 'holder' sends its bound tasks back to be bound again, to 'other'
            final var removal = d.removeAgent("holder");
            Await.until("the holder's queue moved", () -> d.whereIs(ids.get(6)).join().equals("other"));
            while (!removal.isDone())
            {
                final Completion c = held.poll();
                if (c != null)
                {
                    c.succeed("ok");
                }
                Thread.onSpinWait();
            }
            final List<Task> cancelled = d.shutdownNow();
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!d.awaitTermination(Duration.ofMillis(10)) && System.nanoTime() < deadline)
            {
                Completion c;
                while ((c = held.poll()) != null)
                {
                    c.succeed("ok"); // what was already running finishes; shutdown cancels only what had not started
                }
            }
            assertThat(d.awaitTermination(Duration.ZERO)).as(d::describe).isTrue();
            final var m = d.metrics();
            assertThat(m.terminal()).as("every accepted task is terminal").isEqualTo(m.accepted());
            assertThat(m.cancelled()).as("the cancelled one, and what was still bound at shutdown")
                .isEqualTo(1 + cancelled.size());
        }
        finally
        {
            d.shutdownNow();
        }
    }

    @Test
    void aStealGuardThatRefusesKeepsEveryBoundTaskOnItsAgent() throws Exception
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final Order order = new Order();
        final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        final Dispatcher d = slowAndFast(Binding.EARLY_STEALING, timer, order, (task, victim, thief) ->
        {
            asked.incrementAndGet();
            return false;
        });
        try
        {
            submit(d, TASKS);
            assertThat(d.drain(Duration.ofSeconds(60))).as(d::describe).isTrue();
            assertThat(d.metrics().completed()).isEqualTo(TASKS);
            assertThat(asked.get()).as("the guard was asked").isPositive();
            assertThat(d.metrics().steals()).as("the guard refused every steal").isZero();
            assertThat(order.started.get("fast").size()).as("round robin: half each").isEqualTo(TASKS / 2);
        }
        finally
        {
            d.shutdownNow();
            timer.shutdownNow();
        }
    }

    private static Dispatcher slowAndFast(final Binding binding, final ScheduledExecutorService timer, final Order order)
    {
        return slowAndFast(binding, timer, order, (task, victim, thief) -> true);
    }

    private static Dispatcher slowAndFast(final Binding binding, final ScheduledExecutorService timer, final Order order,
                                          final dev.ringmaster.spi.StealGuard guard)
    {
        return Dispatcher.builder()
            .stealGuard(guard)
            .binding("worker", binding)
            .strategy(TestStrategies.roundRobin())
            .listener(order)
            .agent(AgentSpec.builder("slow", "worker").capacity(1).build(), (t, c, tel) ->
                timer.schedule(() -> c.succeed("slow"), 2, TimeUnit.MILLISECONDS))
            .agent(AgentSpec.builder("fast", "worker").capacity(1).build(), (t, c, tel) -> c.succeed("fast"))
            .build().start();
    }

    private static void submit(final Dispatcher d, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            assertThat(d.submit(Task.builder("worker").build(), Duration.ofSeconds(10))).isEqualTo(SubmitStatus.ACCEPTED);
        }
    }
}
