package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Direct assignment: the named agent or nobody. */
class DirectStrategyTest
{
    static TaskView to(final String agent)
    {
        return FakePool.view(Task.builder("worker").targetAgent(agent).build());
    }

    @Property(tries = 200)
    void aTargetedTaskGoesToItsAgentOrWaits(@ForAll @IntRange(min = 1, max = 12) final int n,
                                            @ForAll @IntRange(min = 0, max = 11) final int targetSeed,
                                            @ForAll final boolean targetFull,
                                            @ForAll final long fullMask)
    {
        final int target = targetSeed % n;
        final FakePool pool = new FakePool(n);
        for (int i = 0; i < n; i++)
        {
            pool.full[i] = (fullMask >>> i & 1) != 0;
        }
        pool.full[target] = targetFull;
        // someone must be eligible, or the router would not ask
        pool.full[n == 1 ? 0 : (target + 1) % n] = false;
        final int pick = pool.pick(new DirectStrategy(), to("fake-" + target), new RoutingDecision());
        if (pool.full[target])
        {
            assertThat(pick).as("its agent is busy: the task waits for it").isEqualTo(RoutingStrategy.DECLINE);
        }
        else
        {
            assertThat(pick).isEqualTo(target);
        }
    }

    @Test
    void anUntargetedTaskGoesToTheLeastLoadedAndAnUnknownTargetWaits()
    {
        final FakePool pool = new FakePool(3);
        pool.inFlight[0] = 1;
        pool.inFlight[2] = 1;
        final RoutingStrategy direct = new DirectStrategy();
        assertThat(pool.pick(direct)).isEqualTo(1);
        assertThat(pool.pick(direct, to("nobody"), new RoutingDecision())).isEqualTo(RoutingStrategy.DECLINE);
    }

    @Test
    void aChangedPoolIsNoticedAndTheAgentFoundAtItsNewPosition()
    {
        final RoutingStrategy direct = new DirectStrategy();
        final AgentSpec a = AgentSpec.builder("alpha", "worker").build();
        final AgentSpec b = AgentSpec.builder("beta", "worker").build();
        final AgentSpec c = AgentSpec.builder("gamma", "worker").build();
        assertThat(new FakePool(a, b, c).pick(direct, to("gamma"), new RoutingDecision())).isEqualTo(2);
        assertThat(new FakePool(a, c).pick(direct, to("gamma"), new RoutingDecision())).isEqualTo(1); // beta left
        assertThat(new FakePool(a, c, b).pick(direct, to("beta"), new RoutingDecision())).isEqualTo(2); // and rejoined
    }
}
