package dev.ringmaster.dispatch;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** An idle agent takes backlog from a stuck compatible agent, and never takes what it lacks the skills for. */
class WorkStealingTest
{
    private static final int PREFETCH = 8;

    /** Tasks run by the idle agent, by id. */
    private final List<Long> ranOnIdle = new CopyOnWriteArrayList<>();

    private Dispatcher pileOntoSlowAgent(final Gate slow, final EventLog log)
    {
        return builder(slow, log).build().start();
    }

    private Dispatcher.Builder builder(final Gate slow, final EventLog log)
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("slow", "coder").capacity(1).skill("rust", 1.0).build(), slow)
            .agent(AgentSpec.builder("idle", "coder").capacity(1).skill("python", 1.0).build(), AgentAdapter.sync(t ->
            {
                ranOnIdle.add(t.task().id());
                return "ok";
            }))
            .strategy(TestStrategies.first()) // everything goes to "slow" while it has room
            .prefetch(PREFETCH)
            .workers(2)
            .listener(log);
    }

    @Test
    void anIdleAgentStealsBacklogFromABusyCompatibleOne() throws Exception
    {
        final Gate slow = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = pileOntoSlowAgent(slow, log);
        for (int i = 0; i < 1 + PREFETCH; i++)
        {
            assertThat(d.submit(Task.builder("coder").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        // "slow" holds its first task forever; its inbox backlog must move to "idle"
        Await.until("the idle agent has run the backlog", () -> d.metrics().agents().get(1).completed() >= PREFETCH);
        assertThat(d.metrics().agents().get(1).completed()).isEqualTo(PREFETCH);
        assertThat(d.metrics().steals()).isEqualTo(PREFETCH);
        assertThat(log.steals).containsOnly("slow->idle");
        assertThat(slow.startOrder).hasSize(1);
        slow.releaseAll();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(log.completed.get()).isEqualTo(1 + PREFETCH);
    }

    @Test
    void anAgentWithoutTheRequiredSkillNeverStealsTheTask() throws Exception
    {
        final Gate slow = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = pileOntoSlowAgent(slow, log);
        // slow holds a rust task first: only then the rest, or the most urgent task below could be the one it runs
        assertThat(d.submit(Task.builder("coder").requiredSkills("rust").build())).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("slow starts its first task", () -> slow.startOrder.size() == 1);
        // its backlog: rust tasks, and one that any agent can run, more urgent than them, so that a thief blind to
        // skills would take a rust task first (it steals the least urgent)
        for (int i = 1; i < PREFETCH; i++)
        {
            assertThat(d.submit(Task.builder("coder").requiredSkills("rust").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        final Task anyone = Task.builder("coder").priority(Priority.HIGH).build();
        assertThat(d.submit(anyone)).isEqualTo(SubmitStatus.ACCEPTED);
        // positive signal instead of a pause: the idle agent has searched slow's inbox, past the rust tasks, and stolen
        // the one task it can run
        Await.until("the idle agent steals a task", () -> !ranOnIdle.isEmpty());
        assertThat(ranOnIdle).containsExactly(anyone.id());
        // the result is delivered on the worker before the routing role folds the attempt into the counters
        Await.until("the steal is counted and heard", () -> d.metrics().steals() >= 1 && !log.steals.isEmpty());
        assertThat(d.metrics().steals()).isEqualTo(1);
        assertThat(log.steals).containsExactly("slow->idle");
        for (int i = 0; i < PREFETCH; i++)
        {
            assertThat(slow.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().agents().get(0).completed()).as("every rust task ran on slow").isEqualTo(PREFETCH);
        assertThat(ranOnIdle).containsExactly(anyone.id());
    }

    @Test
    void aStealGuardKeepsTheTasksItRefusesWhereTheyWaitAndOneThatThrowsStealsAsWithoutIt() throws Exception
    {
        final Gate slow = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = builder(slow, log)
            .stealGuard((task, victim, thief) ->
            {
                if ("boom".equals(task.task().affinityKey()))
                {
                    throw new IllegalStateException("a guard's bug");
                }
                return !"pinned".equals(task.task().affinityKey());
            })
            .build().start();
        assertThat(d.submit(Task.builder("coder").affinityKey("pinned").build())).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("slow starts its first task", () -> slow.startOrder.size() == 1);
        for (int i = 1; i < PREFETCH - 1; i++)
        {
            assertThat(d.submit(Task.builder("coder").affinityKey("pinned").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        // more urgent than the pinned ones, so a thief blind to the guard would take a pinned task first
        final Task free = Task.builder("coder").priority(Priority.HIGH).build();
        final Task faulty = Task.builder("coder").priority(Priority.HIGH).affinityKey("boom").build();
        assertThat(d.submit(free)).isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(d.submit(faulty)).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("the idle agent steals both movable tasks", () -> ranOnIdle.size() == 2);
        assertThat(ranOnIdle).containsExactlyInAnyOrder(free.id(), faulty.id());
        for (int i = 0; i < PREFETCH - 1; i++)
        {
            assertThat(slow.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().agents().get(0).completed()).as("every pinned task ran on slow").isEqualTo(PREFETCH - 1);
        assertThat(ranOnIdle).hasSize(2);
    }

    @Test
    void aThiefNeverTakesATaskAddressedToItsVictimNorOneThatAvoidsTheThief() throws Exception
    {
        final Gate slow = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = pileOntoSlowAgent(slow, log);
        assertThat(d.submit(Task.builder("coder").targetAgent("slow").build())).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("slow starts its first task", () -> slow.startOrder.size() == 1);
        // slow's backlog: tasks addressed to slow and one that avoids idle, all less urgent than one anybody may run,
        // so a thief blind to addressing (it steals the least urgent) would take them first
        for (int i = 1; i < PREFETCH - 1; i++)
        {
            assertThat(d.submit(Task.builder("coder").targetAgent("slow").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        assertThat(d.submit(Task.builder("coder").avoidAgent("idle").build())).isEqualTo(SubmitStatus.ACCEPTED);
        final Task anyone = Task.builder("coder").priority(Priority.HIGH).build();
        assertThat(d.submit(anyone)).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("the idle agent steals a task", () -> !ranOnIdle.isEmpty());
        assertThat(ranOnIdle).as("only the task anybody may run moved").containsExactly(anyone.id());
        for (int i = 0; i < PREFETCH; i++)
        {
            assertThat(slow.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().agents().get(0).completed()).as("the addressed tasks ran on slow").isEqualTo(PREFETCH);
        assertThat(ranOnIdle).containsExactly(anyone.id());
    }
    /**
     * A synchronous call holds its agent, whatever its capacity: the tasks routed to its free slots wait behind the
     * call unless an idle agent takes them (before, only a call past its timeout counted as holding the agent).
     */
    @Test
    void anIdleAgentStealsFromASynchronousAgentHeldInALongCallThoughItHasFreeSlots() throws Exception
    {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger slowCalls = new java.util.concurrent.atomic.AtomicInteger();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("slow", "coder").capacity(4).build(), AgentAdapter.sync(t ->
            {
                slowCalls.incrementAndGet();
                return held(release);
            }))
            .agent(AgentSpec.builder("idle", "coder").capacity(1).build(), AgentAdapter.sync(t ->
            {
                ranOnIdle.add(t.task().id());
                return "ok";
            }))
            .strategy(TestStrategies.first()) // every task goes to "slow" while it has room: all four
            .prefetch(0)
            .workers(2)
            .build().start();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                assertThat(d.submit(Task.builder("coder").build())).isEqualTo(SubmitStatus.ACCEPTED);
            }
            Await.until("the idle agent ran the three tasks waiting behind slow's call", () -> ranOnIdle.size() == 3);
            assertThat(slowCalls.get()).as("calls slow started while the first held it").isEqualTo(1);
            assertThat(release.getCount()).as("the first call still held").isEqualTo(1);
        }
        finally
        {
            release.countDown();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(d.metrics().steals()).isEqualTo(3);
    }

    private static String held(final java.util.concurrent.CountDownLatch release)
    {
        try
        {
            return release.await(30, java.util.concurrent.TimeUnit.SECONDS) ? "done" : "released by its deadline";
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
