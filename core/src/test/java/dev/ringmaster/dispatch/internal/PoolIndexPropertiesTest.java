package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool index, kept up to date operation by operation, always says what a scan of the pool would: which agents
 * have room, which have every required skill, where an id sits, which are in probation.
 */
class PoolIndexPropertiesTest
{
    private static final String[] SKILLS = {"java", "rust", "go", "sql"};
    private static final AgentAdapter NOOP = (task, completion, telemetry) -> { };

    @Property(tries = 200, seed = "20261129")
    void theIndexAgreesWithAScanAfterEveryChange(
        @ForAll @IntRange(min = 1, max = 150) final int agents,
        @ForAll @Size(min = 1, max = 300) final List<@IntRange(min = 0, max = 1_000_000) Integer> operations)
    {
        final AgentState[] pool = new AgentState[agents];
        for (int i = 0; i < agents; i++)
        {
            final AgentSpec.Builder spec = AgentSpec.builder("agent-" + i, "coder").capacity(1 + i % 3);
            for (int s = 0; s < SKILLS.length; s++)
            {
                if (((i >> s) & 1) == 1)
                {
                    spec.skill(SKILLS[s], 1.0);
                }
            }
            pool[i] = new AgentState(i, spec.build(), NOOP, 1, 0, new Signals(4, 0));
        }
        final PoolIndex index = new PoolIndex();
        index.rebuild(pool);
        for (final int op : operations)
        {
            final AgentState a = pool[op % agents];
            switch ((op / agents) % 5)
            {
                case 0, 1 -> a.addAssigned(a.assigned() < a.limit ? 1 : 0);
                case 2 -> a.addAssigned(a.assigned() > 0 ? -1 : 0);
                case 3 -> a.retiring = !a.retiring;
                default -> a.ejectedUntilNanos = a.ejectedUntilNanos == 0 ? 1 : 0;
            }
            index.roomChanged(a);
            index.probationChanged(a);
            final long required = dev.ringmaster.model.Skills.mask(java.util.Set.of(SKILLS[op % SKILLS.length]));
            final long[] skilled = index.withSkills(required);
            int inProbation = 0;
            for (int i = 0; i < agents; i++)
            {
                final long bit = 1L << i;
                assertThat((index.room[i >>> 6] & bit) != 0).as("room of agent %d", i).isEqualTo(pool[i].hasRoom());
                assertThat((skilled[i >>> 6] & bit) != 0).as("skills of agent %d", i).isEqualTo(pool[i].hasSkills(required));
                final boolean probation = pool[i].ejectedUntilNanos != 0 || pool[i].slowStartFromNanos != 0;
                assertThat((index.probation[i >>> 6] & bit) != 0).as("probation of agent %d", i).isEqualTo(probation);
                inProbation += probation ? 1 : 0;
                assertThat(index.position("agent-" + i)).isEqualTo(i);
            }
            assertThat(index.probationCount).isEqualTo(inProbation);
        }
        assertThat(index.position("nobody")).isEqualTo(-1);
    }

    /**
     * The index owns the routing counters of the agents in its pool: an agent that leaves the pool (removed or crashed
     * with tasks still finishing) takes its counts with it, keeps counting outside, and brings them back if it returns;
     * the agents that stay keep theirs at their new positions.
     */
    @Property(tries = 100, seed = "20261130")
    void countersFollowTheAgentsThroughPoolChanges(
        @ForAll @IntRange(min = 2, max = 130) final int agents,
        @ForAll @Size(min = 1, max = 200) final List<@IntRange(min = 0, max = 1_000_000) Integer> operations)
    {
        final AgentState[] all = new AgentState[agents];
        final int[] assigned = new int[agents];
        final int[] bound = new int[agents];
        final long[] tokens = new long[agents];
        for (int i = 0; i < agents; i++)
        {
            all[i] = new AgentState(i, AgentSpec.builder("agent-" + i, "coder").capacity(1 + i % 4).build(), NOOP, 1, 0,
                new Signals(4, 0));
        }
        final PoolIndex index = new PoolIndex();
        final boolean[] in = new boolean[agents];
        java.util.Arrays.fill(in, true);
        index.rebuild(all.clone());
        for (final int op : operations)
        {
            final int i = op % agents;
            final AgentState a = all[i];
            switch ((op / agents) % 6)
            {
                case 0 -> { a.addAssigned(1); assigned[i]++; }
                case 1 -> { if (assigned[i] > 0) { a.addAssigned(-1); assigned[i]--; } }
                case 2 -> { a.addBound(1); bound[i]++; }
                case 3 -> { if (bound[i] > 0) { a.addBound(-1); bound[i]--; } }
                case 4 -> { a.addTokens(op); tokens[i] += op; }
                default ->
                {
                    in[i] = !in[i]; // leaves the pool, or comes back
                    index.rebuild(java.util.stream.IntStream.range(0, agents).filter(k -> in[k]).mapToObj(k -> all[k])
                        .toArray(AgentState[]::new));
                }
            }
            for (int k = 0; k < agents; k++)
            {
                final AgentState b = all[k];
                assertThat(b.assigned()).as("assigned of agent %d", k).isEqualTo(assigned[k]);
                assertThat(b.boundCount()).as("bound of agent %d", k).isEqualTo(bound[k]);
                assertThat(b.inFlight()).as("in flight of agent %d", k).isEqualTo(assigned[k] + bound[k]);
                assertThat(b.tokensInFlight()).as("tokens of agent %d", k).isEqualTo(tokens[k]);
                assertThat(index.holds(b)).as("agent %d in the pool", k).isEqualTo(in[k]);
                if (in[k])
                {
                    final int p = b.poolPosition;
                    assertThat(index.pool()[p]).isSameAs(b);
                    assertThat(index.hasRoom(p)).as("room of agent %d", k).isEqualTo(b.hasRoom());
                    assertThat((int)(index.hot[PoolIndex.STRIDE * p] >>> 32)).as("load strategies read").isEqualTo(b.inFlight());
                }
                else
                {
                    assertThat(b.poolPosition).isEqualTo(-1);
                }
            }
        }
    }
}
