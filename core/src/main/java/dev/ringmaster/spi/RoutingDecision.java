package dev.ringmaster.spi;

/**
 * Out-parameter through which a strategy explains its choice (winning score and runner-up) without allocating; reused
 * for every decision by the thread holding the routing role.
 */
public final class RoutingDecision
{
    private double score = Double.NaN;
    private double runnerUp = Double.NaN;

    /** Records the winner's score and the best losing score; NaN where the strategy has no scores. */
    public void explain(final double score, final double runnerUp)
    {
        this.score = score;
        this.runnerUp = runnerUp;
    }

    public double score()
    {
        return score;
    }

    public double runnerUp()
    {
        return runnerUp;
    }

    /** Clears the explanation before a decision; called by the dispatcher. */
    public void reset()
    {
        score = Double.NaN;
        runnerUp = Double.NaN;
    }
}
