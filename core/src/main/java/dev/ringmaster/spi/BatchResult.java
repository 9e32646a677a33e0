package dev.ringmaster.spi;

/**
 * The per-member outcomes of one executed {@link Batch}: the result a batch task completes with; immutable once
 * published through the dispatcher (it is built by {@link BatchCompletion} and handed over with the completion).
 */
public final class BatchResult
{
    private final Object[] results;
    private final Throwable[] failures;
    private final long[] tokens;

    BatchResult(final Object[] results, final Throwable[] failures, final long[] tokens)
    {
        this.results = results;
        this.failures = failures;
        this.tokens = tokens;
    }

    /** @return the number of members, equal to the batch's size. */
    public int size()
    {
        return results.length;
    }

    /** @return true if member {@code i} succeeded. */
    public boolean succeeded(final int i)
    {
        return failures[i] == null;
    }

    /** @return the result of member {@code i} if it succeeded, else null. */
    public Object result(final int i)
    {
        return results[i];
    }

    /** @return why member {@code i} failed, or null if it succeeded. */
    public Throwable failure(final int i)
    {
        return failures[i];
    }

    /** @return the tokens member {@code i} reported, 0 if none. */
    public long tokensUsed(final int i)
    {
        return tokens[i];
    }

    @Override
    public String toString()
    {
        int failed = 0;
        for (final Throwable f : failures)
        {
            failed += f == null ? 0 : 1;
        }
        return "BatchResult{size=" + results.length + ", failed=" + failed + '}';
    }
}
