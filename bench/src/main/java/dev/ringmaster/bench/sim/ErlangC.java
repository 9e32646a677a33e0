package dev.ringmaster.bench.sim;

/**
 * The M/M/c queue in closed form, the theory the simulator is checked against; stateless and thread-safe.
 *
 * <p>With Poisson arrivals at rate lambda, exponential service at rate mu per server, c servers behind one FCFS queue
 * and offered load a = lambda / mu (rho = a / c &lt; 1):
 * <ul>
 *   <li>C(c, a), the probability that an arrival waits, computed through the Erlang B recursion
 *       B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), then C = B / (1 - rho (1 - B)), which stays exact for large c
 *       where a^c / c! would overflow;</li>
 *   <li>W_q = C(c, a) / (c mu - lambda), the mean wait in the queue.</li>
 * </ul>
 */
public final class ErlangC
{
    private ErlangC()
    {
    }

    /** @return C(c, a): the probability that an arriving task finds every server busy. */
    public static double probabilityOfWaiting(final int c, final double a)
    {
        if (c < 1 || !(a >= 0) || a >= c)
        {
            throw new IllegalArgumentException("need c >= 1 and 0 <= a < c for a stable queue, got c=" + c + ", a=" + a);
        }
        double b = 1.0;
        for (int k = 1; k <= c; k++)
        {
            b = a * b / (k + a * b);
        }
        final double rho = a / c;
        return b / (1.0 - rho * (1.0 - b));
    }

    /**
     * @param c      servers.
     * @param lambda arrival rate.
     * @param mu     service rate of one server, in the same time unit.
     * @return W_q, the mean time in queue, in that time unit.
     */
    public static double meanWait(final int c, final double lambda, final double mu)
    {
        return probabilityOfWaiting(c, lambda / mu) / (c * mu - lambda);
    }
}
