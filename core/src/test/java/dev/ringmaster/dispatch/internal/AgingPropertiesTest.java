package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Priority;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aging bound stated in README.md and {@link Aging}: with every level busy and tasks arriving at random levels, the
 * head of a waiting level is passed over at most {@code quantum + 3} times before it is dispatched.
 */
class AgingPropertiesTest
{
    @Property(tries = 300, seed = "20261129")
    void theHeadOfAWaitingLevelIsPassedOverAtMostQuantumPlusThreeTimes(
        @ForAll @IntRange(min = 1, max = 12) final int quantum,
        @ForAll @Size(value = 4) final List<@IntRange(min = 0, max = 40) Integer> initial,
        @ForAll @Size(min = 50, max = 400) final List<@IntRange(min = -4, max = 3) Integer> arrivals)
    {
        final Aging aging = new Aging(quantum);
        final int[] queued = new int[Priority.COUNT];
        final int[] passes = new int[Priority.COUNT];
        for (int level = 0; level < Priority.COUNT; level++)
        {
            queued[level] = initial.get(level);
        }
        final java.util.function.IntPredicate waiting = level -> queued[level] > 0;
        int worst = 0;
        for (final int arrival : arrivals)
        {
            if (arrival >= 0) // negative: no arrival before this dispatch
            {
                if (queued[arrival]++ == 0)
                {
                    passes[arrival] = 0; // a new head
                }
            }
            final int aged = aging.agedLevel(waiting);
            int served = aged;
            for (int level = 0; served < 0 && level < Priority.COUNT; level++)
            {
                if (queued[level] > 0)
                {
                    served = level;
                }
            }
            if (served < 0)
            {
                continue;
            }
            queued[served]--;
            passes[served] = 0;
            for (int level = 0; level < Priority.COUNT; level++)
            {
                if (level != served && queued[level] > 0)
                {
                    worst = Math.max(worst, ++passes[level]);
                }
            }
            aging.served(served, waiting);
        }
        assertThat(worst).as("most pass-overs of a waiting head, quantum %d", quantum).isLessThanOrEqualTo(quantum + 3);
    }

    @Property(tries = 100, seed = "20261129")
    void withoutAgedLevelsStrictPriorityDecides(@ForAll @IntRange(min = 1, max = 12) final int quantum)
    {
        final Aging aging = new Aging(quantum);
        final java.util.function.IntPredicate allWaiting = level -> true;
        for (int i = 0; i < quantum; i++)
        {
            assertThat(aging.agedLevel(allWaiting)).isEqualTo(-1);
            aging.served(Priority.CRITICAL.ordinal(), allWaiting);
        }
        // after quantum CRITICAL dispatches every other level reached it at once: the most urgent of them goes first
        assertThat(aging.agedLevel(allWaiting)).isEqualTo(Priority.HIGH.ordinal());
    }
}
