package dev.ringmaster.spi;

/**
 * Out-parameter through which a strategy explains its choice (winning score, runner-up and who it was, the random
 * state it drew from) without allocating; reused for every decision by the thread holding the routing role. The
 * dispatcher journals it with the assignment, so that {@code ringmaster audit --explain} can say why the agent won.
 */
public final class RoutingDecision
{
    /** {@link #runnerUpPosition()} when the strategy named no runner-up. */
    public static final int NO_RUNNER_UP = -1;

    private double score = Double.NaN;
    private double runnerUp = Double.NaN;
    private int runnerUpPosition = NO_RUNNER_UP;
    private long randomState;
    private boolean hasRandomState;

    /** Records the winner's score and the best losing score; NaN where the strategy has no scores. */
    public void explain(final double score, final double runnerUp)
    {
        this.score = score;
        this.runnerUp = runnerUp;
    }

    /**
     * As {@link #explain(double, double)}, naming the runner-up too.
     *
     * @param runnerUpPosition the runner-up's position in the pool (from {@code select}:
     *                         {@link Candidates#poolPosition}), or {@link #NO_RUNNER_UP}.
     */
    public void explain(final double score, final double runnerUp, final int runnerUpPosition)
    {
        this.score = score;
        this.runnerUp = runnerUp;
        this.runnerUpPosition = runnerUpPosition;
    }

    /**
     * Records the state of the strategy's random generator before the decision's first draw: with it, the recorded
     * pool and the strategy's version, the decision can be derived again. Call it only if the strategy draws.
     */
    public void randomState(final long state)
    {
        this.randomState = state;
        this.hasRandomState = true;
    }

    public double score()
    {
        return score;
    }

    public double runnerUp()
    {
        return runnerUp;
    }

    /** @return the runner-up's pool position, or {@link #NO_RUNNER_UP}. */
    public int runnerUpPosition()
    {
        return runnerUpPosition;
    }

    /** @return the generator state recorded by {@link #randomState(long)}; meaningful if {@link #hasRandomState()}. */
    public long randomStateValue()
    {
        return randomState;
    }

    public boolean hasRandomState()
    {
        return hasRandomState;
    }

    /** Clears the explanation before a decision; called by the dispatcher. */
    public void reset()
    {
        score = Double.NaN;
        runnerUp = Double.NaN;
        runnerUpPosition = NO_RUNNER_UP;
        hasRandomState = false;
    }
}
