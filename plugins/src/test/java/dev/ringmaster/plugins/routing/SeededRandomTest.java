package dev.ringmaster.plugins.routing;

import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.routing.index.SeededRandom;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.testing.FakePool;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strategies' generator draws exactly what {@link SplittableRandom} drew before it (so no seeded decision changed),
 * and the state a decision records re-derives that decision.
 */
class SeededRandomTest
{
    @Property(tries = 200)
    void drawsWhatSplittableRandomDraws(@ForAll final long seed,
                                        @ForAll @Size(max = 64) final List<@IntRange(min = 1) Integer> bounds)
    {
        final SeededRandom ours = new SeededRandom(seed);
        final SplittableRandom jdk = new SplittableRandom(seed);
        for (final int bound : bounds)
        {
            assertThat(ours.nextInt(bound)).isEqualTo(jdk.nextInt(bound));
            assertThat(ours.nextInt()).isEqualTo(jdk.nextInt());
        }
    }

    @Property(tries = 100)
    void theRecordedStateReDerivesAP2cDecision(@ForAll final long seed, @ForAll @IntRange(min = 2, max = 40) final int n,
                                               @ForAll @IntRange(max = 50) final int earlier)
    {
        final FakePool pool = new FakePool(n);
        for (int i = 0; i < n; i++)
        {
            pool.inFlight[i] = (int)Math.floorMod(seed * 31 + i * 7, 5);
        }
        final PowerOfTwoChoicesStrategy live = new PowerOfTwoChoicesStrategy(seed);
        final RoutingDecision decision = new RoutingDecision();
        for (int i = 0; i < earlier; i++)
        {
            pool.pick(live, FakePool.view(Task.builder("worker").build()), decision);
        }
        decision.reset();
        final int chosen = pool.pick(live, FakePool.view(Task.builder("worker").build()), decision);
        assertThat(decision.hasRandomState()).isTrue();

        final RoutingDecision again = new RoutingDecision();
        final int rederived = pool.pick(new PowerOfTwoChoicesStrategy(decision.randomStateValue()),
            FakePool.view(Task.builder("worker").build()), again);
        assertThat(rederived).isEqualTo(chosen);
        assertThat(again.score()).isEqualTo(decision.score());
        assertThat(again.runnerUpPosition()).isEqualTo(decision.runnerUpPosition()).isNotEqualTo(chosen);
    }
}
