package dev.ringmaster.bench.sim;

/**
 * Overrides of a {@link Scenario}'s fleet and workload (the {@code simulate} command's options); every field has an
 * "unset" value that keeps the scenario's own choice. Immutable and thread-safe.
 *
 * @param agents        agents in the fleet, 0 for the scenario's.
 * @param capacity      slots per agent, 0 for the scenario's.
 * @param prefetch      tasks held beyond capacity under late binding, -1 for the scenario's.
 * @param steal         whether idle agents steal, null for the scenario's.
 * @param binding       late or early binding, null for the scenario's.
 * @param burst         on/off arrivals at this multiple of the mean rate while on (above 1), NaN for the scenario's
 *                      (only {@code bursty} has bursts, at 2x, by default).
 * @param periodSeconds mean length of a burst in seconds of virtual time (the gaps between bursts last
 *                      {@code period x (burst - 1)} on average, so that the long-run rate is the load's), NaN for the
 *                      scenario's (30 s).
 * @param work          the work distribution, null for the scenario's.
 * @param start         how runs start, null for {@link Start#AUTO}.
 */
public record SimSettings(int agents, int capacity, int prefetch, Boolean steal, SimFleet.Binding binding,
                          double burst, double periodSeconds, Work work, Start start)
{
    /** Every option unset: the scenarios as they are defined. */
    public static final SimSettings DEFAULTS = new SimSettings(0, 0, -1, null, null, Double.NaN, Double.NaN, null, null);

    /** As the canonical constructor, with {@link Start#AUTO}. */
    public SimSettings(final int agents, final int capacity, final int prefetch, final Boolean steal,
                       final SimFleet.Binding binding, final double burst, final double periodSeconds, final Work work)
    {
        this(agents, capacity, prefetch, steal, binding, burst, periodSeconds, work, null);
    }

    /** How a run's fleet starts (see {@link StationaryStart}). */
    public enum Start
    {
        /** In its exact stationary state where the simulator knows it (random routing on the supermarket model), else empty. */
        AUTO,
        /** Empty: every agent idle, every queue empty, as before the first arrival of a fresh dispatcher. */
        EMPTY,
        /** In its exact stationary state; a run whose stationary law the simulator does not know is an error. */
        STATIONARY
    }

    /** @return the start mode, {@link Start#AUTO} when unset. */
    public Start startMode()
    {
        return start == null ? Start.AUTO : start;
    }

    /** @return whether arrivals come in bursts, given that the scenario itself does or not. */
    boolean bursty(final boolean scenarioDefault)
    {
        return !Double.isNaN(burst) || scenarioDefault;
    }

    /**
     * A task work distribution of mean {@link SimWorkload#MEAN_WORK}: exponential, or Pareto with shape alpha (above 1
     * for a finite mean).
     *
     * @param paretoAlpha the Pareto shape, or 0 for exponential work.
     */
    public record Work(double paretoAlpha)
    {
        /** Exponential work, the memoryless case of queueing theory. */
        public static final Work EXPONENTIAL = new Work(0);

        /**
         * @param text {@code exp} or {@code pareto:ALPHA}.
         * @throws IllegalArgumentException saying what is wrong and what is accepted.
         */
        public static Work parse(final String text)
        {
            if ("exp".equals(text))
            {
                return EXPONENTIAL;
            }
            if (text.startsWith("pareto:"))
            {
                final double alpha;
                try
                {
                    alpha = Double.parseDouble(text.substring("pareto:".length()));
                }
                catch (final NumberFormatException e)
                {
                    throw new IllegalArgumentException("'" + text + "' has no number after 'pareto:'; use e.g. pareto:1.5");
                }
                if (!(alpha > 1) || Double.isInfinite(alpha))
                {
                    throw new IllegalArgumentException("the Pareto shape must be above 1 (a finite mean), got " +
                        text.substring("pareto:".length()) + "; use e.g. pareto:1.5");
                }
                return new Work(alpha);
            }
            throw new IllegalArgumentException("unknown work distribution '" + text + "'; use exp or pareto:ALPHA, e.g. pareto:1.5");
        }

        /** @return whether this is exponential work. */
        public boolean exponential()
        {
            return paretoAlpha == 0;
        }

        @Override
        public String toString()
        {
            return exponential() ? "exp" : "pareto:" + paretoAlpha;
        }
    }
}
