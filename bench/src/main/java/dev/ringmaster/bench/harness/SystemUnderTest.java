package dev.ringmaster.bench.harness;

/**
 * One system the harness offers load to. The harness calls {@link #start} and {@link #stop} on its own thread and
 * {@link #submit} on the producer threads; the system calls {@link LatencySlots#complete} from its own threads once
 * it has run a task's (no-op) work.
 */
public interface SystemUnderTest
{
    /**
     * Builds and starts the system's threads for {@code slots.count()} task slots (prebuild per-slot objects here:
     * {@link #submit} must not allocate on the harness's behalf).
     *
     * @param workers worker threads to run tasks on.
     */
    void start(LatencySlots slots, int workers);

    /**
     * Hands task {@code slot} to the system, from a producer thread; may wait for room (backing off, never spinning
     * hot), must not drop the task.
     *
     * @return false if the system refused the task for good (the run then fails).
     */
    boolean submit(int slot);

    /**
     * Stops the system: gracefully (everything submitted completes) or, with {@code now}, cancelling what has not
     * started. Returns once no completion can follow.
     */
    void stop(boolean now);

    /**
     * Harness thread, after the last completion and before {@link #stop}: what the system knows about the run that
     * the harness cannot see (e.g. Ringmaster's per-stage latencies), one line, or "" for nothing.
     */
    default String diagnostics()
    {
        return "";
    }

    /** @return which threads the system runs, for the report, e.g. "router + 2 workers (parking)". */
    String threads(int workers);
}
