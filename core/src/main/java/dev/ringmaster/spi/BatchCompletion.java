package dev.ringmaster.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The handle through which a {@link BatchAdapter} reports the outcome of each member of one batch attempt; every
 * method may be called from any thread, each member exactly once, and the attempt completes when the last member
 * has reported (or at once on {@link #failBatch}).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>the underlying {@link Completion} is called exactly once: with a {@link BatchResult} when every member has
 *       reported, or with the cause given to {@link #failBatch}, whichever comes first;</li>
 *   <li>a member failure is that member's failure only: the batch task still completes, and only that member's
 *       caller sees the cause (the dispatcher does not retry single members);</li>
 *   <li>{@link #failBatch} fails the whole attempt, so the dispatcher retries the batch or dead-letters every member.</li>
 * </ul>
 */
public final class BatchCompletion
{
    private final Completion completion;
    private final boolean unwrapSingle;
    private final Object[] results;
    private final Throwable[] failures;
    private final long[] tokens;
    private final double[] quality;
    private final AtomicIntegerArray reported;
    private final AtomicInteger remaining;
    private final AtomicBoolean finished = new AtomicBoolean();

    private BatchCompletion(final int size, final Completion completion, final boolean unwrapSingle)
    {
        this.completion = completion;
        this.unwrapSingle = unwrapSingle;
        this.results = new Object[size];
        this.failures = new Throwable[size];
        this.tokens = new long[size];
        this.quality = new double[size];
        this.reported = new AtomicIntegerArray(size);
        this.remaining = new AtomicInteger(size);
    }

    /** A completion that reports a {@link BatchResult} for a batch task. */
    static BatchCompletion forBatch(final Batch batch, final Completion completion)
    {
        return new BatchCompletion(batch.size(), completion, false);
    }

    /** A completion for a plain task run as a batch of one: its member's own result or failure is reported as is. */
    static BatchCompletion forSingle(final Completion completion)
    {
        return new BatchCompletion(1, completion, true);
    }

    /**
     * Reports that member {@code member} succeeded.
     *
     * @param tokensUsed tokens the member consumed, 0 if unknown; the batch reports the sum.
     * @param quality    a score in [0, 1] or NaN; the batch reports the mean of the scores given.
     * @throws IllegalStateException if the member already reported.
     */
    public void succeed(final int member, final Object result, final long tokensUsed, final double quality)
    {
        if (claim(member))
        {
            results[member] = result;
            tokens[member] = tokensUsed;
            this.quality[member] = quality;
            arrive();
        }
    }

    /** Reports that member {@code member} succeeded, with no token count or quality score. */
    public void succeed(final int member, final Object result)
    {
        succeed(member, result, 0, Double.NaN);
    }

    /**
     * Reports that member {@code member} failed; the other members are unaffected.
     *
     * @throws IllegalStateException if the member already reported.
     */
    public void fail(final int member, final Throwable cause)
    {
        if (cause == null)
        {
            throw new NullPointerException("cause of member " + member + "'s failure must not be null");
        }
        if (claim(member))
        {
            failures[member] = cause;
            quality[member] = Double.NaN;
            arrive();
        }
    }

    /**
     * Fails the whole attempt (the agent could not run the batch at all); members that report afterwards are ignored.
     *
     * @return true if this call failed the attempt, false if it had already finished.
     */
    public boolean failBatch(final Throwable cause)
    {
        Objects.requireNonNull(cause, "cause of the batch failure must not be null");
        if (finished.compareAndSet(false, true))
        {
            completion.fail(cause);
            return true;
        }
        return false;
    }

    /** @return members that have not reported yet. */
    public int pending()
    {
        return Math.max(0, remaining.get());
    }

    /** @return the number of members in the batch. */
    public int size()
    {
        return results.length;
    }

    private boolean claim(final int member)
    {
        if (member < 0 || member >= results.length)
        {
            throw new IndexOutOfBoundsException("member " + member + " is not in a batch of " + results.length);
        }
        if (!reported.compareAndSet(member, 0, 1))
        {
            throw new IllegalStateException("member " + member + " of the batch reported twice; report each once");
        }
        // after failBatch the attempt is over: late member reports are accepted and dropped, like late completions
        return !finished.get();
    }

    private void arrive()
    {
        // the last decrement happens after every member's writes above, so the reporter that reaches zero sees them all
        if (remaining.decrementAndGet() != 0 || !finished.compareAndSet(false, true))
        {
            return;
        }
        if (unwrapSingle)
        {
            if (failures[0] != null)
            {
                completion.fail(failures[0]);
            }
            else
            {
                completion.succeed(results[0], tokens[0], quality[0]);
            }
            return;
        }
        long tokenSum = 0;
        double qualitySum = 0;
        int scored = 0;
        for (int i = 0; i < results.length; i++)
        {
            tokenSum += tokens[i];
            if (!Double.isNaN(quality[i]))
            {
                qualitySum += quality[i];
                scored++;
            }
        }
        completion.succeed(new BatchResult(results, failures, tokens), tokenSum,
            scored == 0 ? Double.NaN : qualitySum / scored);
    }
}
