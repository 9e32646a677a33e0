package dev.ringmaster.bench.sim;

import dev.ringmaster.model.Priority;

import java.util.function.IntPredicate;

/**
 * The simulator's copy of the dispatcher's {@code Aging}: counts how often each waiting priority level was passed over
 * and names the most passed-over one once it reaches the quantum (0: strict priority); single-threaded, owned by one
 * {@link Simulator}.
 */
final class SimAging
{
    private final int[] passedOver = new int[Priority.COUNT];
    private int quantum;

    void quantum(final int quantum)
    {
        this.quantum = quantum;
    }

    /** @return true if levels age (a quantum above 0). */
    boolean on()
    {
        return quantum > 0;
    }

    /** @return the most passed-over waiting level at the quantum, or -1. */
    int agedLevel(final IntPredicate waiting)
    {
        int aged = -1;
        for (int level = 0; level < Priority.COUNT; level++)
        {
            if (passedOver[level] >= quantum && (aged < 0 || passedOver[level] > passedOver[aged]) && waiting.test(level))
            {
                aged = level;
            }
        }
        return aged;
    }

    /** A task of {@code level} was placed: every other waiting level was passed over once more. */
    void served(final int level, final IntPredicate waiting)
    {
        passedOver[level] = 0;
        for (int other = 0; other < Priority.COUNT; other++)
        {
            if (other != level)
            {
                // a level that ran empty starts again from 0, as in the dispatcher
                passedOver[other] = waiting.test(other) ? passedOver[other] + 1 : 0;
            }
        }
    }
}
