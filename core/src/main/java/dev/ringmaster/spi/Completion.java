package dev.ringmaster.spi;

/**
 * The handle through which an adapter reports the end of one attempt; callable from any thread, exactly once per
 * attempt. A call after the attempt already ended (answered, or timed out by the dispatcher) is ignored and counted in
 * {@code FaultCounts.ignoredCompletions}, also when it comes while the agent runs its next tasks: it never completes
 * another attempt. The dispatcher reuses a few handles per execution slot, but never the handle of an attempt whose
 * adapter threw from {@code execute} (a callback it scheduled may answer any time later); so only a second answer to an
 * attempt that was answered once already, coming after the slot ran four more attempts, could be taken for the
 * current one.
 */
public interface Completion
{
    /**
     * Reports success.
     *
     * @param result     the agent's output, handed to the caller.
     * @param tokensUsed tokens the attempt consumed, 0 if unknown; feeds token-aware routing and cost metrics.
     * @param quality    a quality score in [0, 1], or NaN if the adapter has none.
     */
    void succeed(Object result, long tokensUsed, double quality);

    /** Reports success with no token count or quality score. */
    default void succeed(final Object result)
    {
        succeed(result, 0, Double.NaN);
    }

    /** Reports failure; the dispatcher retries with back-off or dead-letters the task. */
    void fail(Throwable cause);
}
