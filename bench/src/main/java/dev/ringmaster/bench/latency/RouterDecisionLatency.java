package dev.ringmaster.bench.latency;

import dev.ringmaster.bench.BenchDefaults;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RoutingProbe;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Average time of one whole routing decision through the dispatcher's real router ({@link RoutingProbe}: its pool
 * index, per-agent eligibility, the strategy, its callbacks and the load bookkeeping) plus the release of the oldest
 * task in flight, at 16, 1,024 and 16,384 agents; where {@link RoutingDecisionLatency} times {@code select} alone on a
 * fake candidate list, this includes what the router does around it, so a strategy that scans, or a router that builds
 * a candidate list per decision, shows its O(n) here.
 *
 * <p>The pool is kept half full (each decision is followed by the release of the task placed longest ago), agents
 * have two of four skills and capacities 1 to 3, and the {@value #TASKS} tasks cycled through vary: one in three
 * requires a skill, one in sixteen names its agent, one in eight has no affinity key, costs vary. Per-thread state:
 * each JMH thread has its own dispatcher, never started.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterDecisionLatency extends BenchDefaults
{
    /** Pre-built tasks cycled through, a power of two. */
    static final int TASKS = 1024;
    static final String[] SKILLS = {"java", "sql", "review", "docs"};

    @Param({"auction", "bounded-load-hash", "consistent-hash", "direct", "expected-completion", "least-connections",
        "least-tokens", "p2c", "p3c", "peak-ewma", "random", "resource-adaptive", "round-robin", "shortest-expected-delay",
        "skill-based", "sticky", "weighted-round-robin"})
    public String strategy;

    @Param({"16", "1024", "16384"})
    public int agents;

    /** A shadow strategy deciding alongside (its own decision and callbacks per task), "none" for none. */
    @Param("none")
    public String shadow = "none";

    private RoutingProbe probe;
    private Task[] tasks;
    private int next;
    /** Tasks in flight, oldest first, as a ring: each decision releases the oldest. */
    private AgentView[] heldBy;
    private Task[] held;
    private int head;
    private int count;
    /** Tasks kept in flight: half the pool's slots. */
    private int half;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Dispatcher.Builder b = Dispatcher.builder().strategy(strategy).prefetch(1).seed(7);
        if (shadow != null && !"none".equals(shadow))
        {
            b.shadow(shadow);
        }
        int slots = 0;
        for (int i = 0; i < agents; i++)
        {
            final int capacity = 1 + random.nextInt(3);
            slots += capacity + 1;
            final AgentSpec.Builder spec = AgentSpec.builder("agent-" + i, "bench").capacity(capacity)
                .weight(1 + random.nextInt(8))
                .skill(SKILLS[i % SKILLS.length], 0.2 + 0.8 * random.nextDouble())
                .skill(SKILLS[(i + 1) % SKILLS.length], 0.2 + 0.8 * random.nextDouble());
            b.agent(spec.build(), (task, completion, telemetry) -> completion.succeed("never runs"));
        }
        probe = RoutingProbe.of(b);
        tasks = new Task[TASKS];
        for (int i = 0; i < TASKS; i++)
        {
            final Task.Builder t = Task.builder("bench").costTokens(100 + random.nextInt(4_000));
            if (i % 8 != 0)
            {
                t.affinityKey("session-" + random.nextInt(4 * agents));
            }
            if (i % 3 == 0)
            {
                t.requiredSkills(SKILLS[random.nextInt(SKILLS.length)]);
            }
            if (i % 16 == 5)
            {
                t.targetAgent("agent-" + random.nextInt(agents));
            }
            tasks[i] = t.build();
        }
        half = slots / 2;
        // a power of two, so the ring costs a mask, not a division, per decision
        final int ring = Integer.highestOneBit(Math.max(2, half) * 2 - 1) * 2;
        heldBy = new AgentView[ring];
        held = new Task[ring];
        // fill to half of the pool's slots, so every decision sees a realistic mix of busy and free agents
        for (int i = 0; i < half * 3 && count < half; i++)
        {
            decide();
        }
    }

    @Benchmark
    public AgentView decide()
    {
        final Task task = tasks[next++ & (TASKS - 1)];
        final AgentView chosen = probe.route(task);
        if (chosen != null)
        {
            final int tail = (head + count) & (held.length - 1);
            heldBy[tail] = chosen;
            held[tail] = task;
            count++;
        }
        if (count > half || (chosen == null && count > 0))
        {
            probe.release(heldBy[head], held[head]);
            heldBy[head] = null;
            held[head] = null;
            head = (head + 1) & (held.length - 1);
            count--;
        }
        return chosen;
    }
}
