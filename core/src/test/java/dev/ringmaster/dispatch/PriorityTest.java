package dev.ringmaster.dispatch;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under saturation CRITICAL starts before queued LOW, and aging bounds how long LOW waits: with quantum A, the head
 * of a waiting level is dispatched within A + 3 dispatches of its lane.
 */
class PriorityTest
{
    private static final int AGING = 4;

    private Dispatcher saturatedSingleSlot(final Gate gate, final int aging)
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first())
            .prefetch(0)
            .agingQuantum(aging)
            .build()
            .start();
    }

    private static void submitAndWaitQueued(final Dispatcher d, final Priority p, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            assertThat(d.submit(Task.builder("worker").priority(p).build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
    }

    private static void awaitStarted(final Gate gate) throws InterruptedException
    {
        Await.until("the blocker starts", () -> !gate.startOrder.isEmpty());
        assertThat(gate.startOrder).as("the blocker holds the only slot").hasSize(1);
    }

    /** Fails, rather than carrying on, if the tasks do not all reach the queues: the order checks rely on it. */
    private static void awaitDepth(final Dispatcher d, final long expected) throws InterruptedException
    {
        Await.until(expected + " tasks queued",
            () -> d.metrics().queueDepth().values().stream().mapToLong(Long::longValue).sum() >= expected);
    }

    @Test
    void criticalStartsBeforeQueuedLowAndLowProgressesWithinTheAgingBound() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = saturatedSingleSlot(gate, AGING);
        submitAndWaitQueued(d, Priority.MEDIUM, 1); // occupies the only slot
        awaitStarted(gate);
        submitAndWaitQueued(d, Priority.LOW, 20);
        submitAndWaitQueued(d, Priority.CRITICAL, 40);
        awaitDepth(d, 60);

        for (int i = 0; i < 61; i++)
        {
            assertThat(gate.releaseOne()).as("attempt %d started", i).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

        final List<String> order = gate.startPriorities.subList(1, gate.startPriorities.size());
        assertThat(order).hasSize(60);
        // the first start after the blocker is CRITICAL although LOW was queued first
        assertThat(order.get(0)).isEqualTo("CRITICAL");
        // LOW is never passed over more than AGING times in a row while it waits (only two levels wait here)
        int run = 0;
        int lowSeenWhileCriticalWaited = 0;
        int criticalLeft = 40;
        for (final String p : order)
        {
            if (p.equals("CRITICAL"))
            {
                criticalLeft--;
                run++;
                assertThat(run).as("CRITICAL dispatches in a row while LOW waits").isLessThanOrEqualTo(AGING);
            }
            else
            {
                run = 0;
                if (criticalLeft > 0)
                {
                    lowSeenWhileCriticalWaited++;
                }
            }
        }
        // and it is a minority: roughly one LOW per AGING CRITICAL while both wait
        assertThat(lowSeenWhileCriticalWaited).isBetween(40 / AGING - 1, 40 / AGING + 1);
    }

    /** README's late-binding bound: CRITICAL is overtaken only by what an agent already holds, at most prefetch. */
    @Test
    void criticalWaitsBehindAtMostThePrefetchedTasks() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first())
            .prefetch(1)
            .agingQuantum(1_000)
            .build()
            .start();
        submitAndWaitQueued(d, Priority.MEDIUM, 1);
        awaitStarted(gate);
        submitAndWaitQueued(d, Priority.LOW, 5);
        // one LOW went to the agent's inbox (prefetch 1), four wait centrally
        awaitDepth(d, 4);
        Await.until("a LOW prefetched beside the blocker",
            () -> d.metrics().agents().stream().mapToInt(a -> a.inFlight()).sum() == 2);
        submitAndWaitQueued(d, Priority.CRITICAL, 3);
        awaitDepth(d, 7);
        for (int i = 0; i < 9; i++)
        {
            assertThat(gate.releaseOne()).as("attempt %d started", i).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        final List<String> order = gate.startPriorities.subList(1, 9);
        // the prefetched LOW may start first, or after CRITICALs the router put beside it when a slot freed (the
        // worker takes its inbox's most urgent task): either way no more than prefetch (1) LOW precede a CRITICAL
        assertThat(order.subList(0, 4)).containsOnlyOnce("LOW").containsOnly("LOW", "CRITICAL");
        assertThat(order.subList(4, 8)).containsOnly("LOW");
    }

    @Test
    void withoutPressureFromAgingAllCriticalGoFirst() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = saturatedSingleSlot(gate, 1_000);
        submitAndWaitQueued(d, Priority.MEDIUM, 1);
        awaitStarted(gate);
        submitAndWaitQueued(d, Priority.LOW, 10);
        submitAndWaitQueued(d, Priority.HIGH, 10);
        submitAndWaitQueued(d, Priority.CRITICAL, 10);
        awaitDepth(d, 30);
        for (int i = 0; i < 31; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        final List<String> order = gate.startPriorities.subList(1, 31);
        assertThat(order.subList(0, 10)).containsOnly("CRITICAL");
        assertThat(order.subList(10, 20)).containsOnly("HIGH");
        assertThat(order.subList(20, 30)).containsOnly("LOW");
    }

    @Test
    void withEveryLevelWaitingNoHeadIsPassedOverMoreThanTheAgingBound() throws Exception
    {
        final int aging = 8;
        final Gate gate = new Gate();
        final Dispatcher d = saturatedSingleSlot(gate, aging);
        submitAndWaitQueued(d, Priority.MEDIUM, 1);
        awaitStarted(gate);
        final int perLevel = 60;
        for (final Priority p : new Priority[]{Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.CRITICAL})
        {
            submitAndWaitQueued(d, p, perLevel);
        }
        awaitDepth(d, 4L * perLevel);
        for (int i = 0; i < 4 * perLevel + 1; i++)
        {
            assertThat(gate.releaseOne()).as("attempt %d started", i).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();

        final List<String> order = gate.startPriorities.subList(1, gate.startPriorities.size());
        assertThat(order).hasSize(4 * perLevel);
        final java.util.Map<String, Integer> left = new java.util.HashMap<>();
        final java.util.Map<String, Integer> passes = new java.util.HashMap<>();
        for (final Priority p : Priority.values())
        {
            left.put(p.name(), perLevel);
            passes.put(p.name(), 0);
        }
        int worst = 0;
        for (final String started : order)
        {
            left.merge(started, -1, Integer::sum);
            passes.put(started, 0);
            for (final Priority p : Priority.values())
            {
                if (!p.name().equals(started) && left.get(p.name()) > 0)
                {
                    worst = Math.max(worst, passes.merge(p.name(), 1, Integer::sum));
                }
            }
        }
        // README: the head of any waiting level is dispatched within agingQuantum + 3 dispatches of its lane
        assertThat(worst).as("most dispatches of other levels while a level's head waited").isLessThanOrEqualTo(aging + 3);
        assertThat(order.get(0)).isEqualTo("CRITICAL");
    }
}
