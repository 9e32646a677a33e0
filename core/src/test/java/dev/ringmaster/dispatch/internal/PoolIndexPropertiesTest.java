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
                case 0, 1 -> a.assigned = Math.min(a.limit, a.assigned + 1);
                case 2 -> a.assigned = Math.max(0, a.assigned - 1);
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
}
