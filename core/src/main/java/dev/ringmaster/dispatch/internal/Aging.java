package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Priority;

/**
 * Priority with aging for one lane: strict priority, except that a level whose waiting head has been passed over
 * {@code quantum} times is served first. Owned by the routing role's holder.
 *
 * <p>The bound: with {@code k} priority levels, the head of a waiting level is dispatched within {@code quantum + k - 1}
 * dispatches of the lane (quantum + 3 with four levels), counting only dispatches made while it could have been placed.
 * Every dispatch from another level counts as a pass-over (not only those from higher levels), and among levels that
 * reached the quantum the most passed-over goes first (ties to the more urgent). So once a level L has reached the
 * quantum, a level served before it must have been passed over at least as often; serving it resets its count, and it
 * cannot overtake L again before L is served, which leaves at most {@code k - 1} dispatches between L reaching the
 * quantum and L being served.
 */
final class Aging
{
    private final int quantum;
    /** Per level, dispatches from other levels since the level was last served, while it had tasks waiting. */
    final int[] passedOver = new int[Priority.COUNT];

    Aging(final int quantum)
    {
        this.quantum = quantum;
    }

    /**
     * @param waiting whether a level has tasks waiting.
     * @return the level to try before strict priority: the most passed-over waiting level at the quantum, or -1.
     */
    int agedLevel(final java.util.function.IntPredicate waiting)
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

    /** A task of {@code level} was dispatched; {@code waiting} tells whether a level still has tasks waiting. */
    void served(final int level, final java.util.function.IntPredicate waiting)
    {
        passedOver[level] = 0;
        for (int other = 0; other < Priority.COUNT; other++)
        {
            if (other == level)
            {
                continue;
            }
            // a level that ran empty starts again from 0 with its next task: an old count must not let an empty
            // level shadow one that waits
            passedOver[other] = waiting.test(other) ? passedOver[other] + 1 : 0;
        }
    }
}
