package dev.ringmaster.predict;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Learns what arrives (agent type, context key, required skills, time) and predicts what comes next, each prediction
 * with a confidence; every method is called by one thread at a time (the pre-routing thread, or the simulator's), never
 * by the router, so an implementation needs no locks. {@link #observe} should be O(1); {@link #predict} runs once per
 * pre-routing tick. Whatever a predictor throws, {@code Error}s included, is contained by {@link PreRouting}: that
 * tick makes no prediction, and dispatch goes on.
 */
public interface Predictor
{
    /** @return the name the provider registers, e.g. "patterns"; stored in model files. */
    String name();

    /**
     * One arrival, in time order.
     *
     * @param type           the task's agent type.
     * @param contextKey     the task's context (affinity) key, or null.
     * @param requiredSkills the task's skill mask, so that a warm-up can pick an agent that can run the task.
     * @param nanos          arrival time on the caller's clock ({@link System#nanoTime()} live, virtual in a simulation;
     *                       a journal's wall clock when learning offline).
     */
    void observe(String type, String contextKey, long requiredSkills, long nanos);

    /**
     * Fills {@code out} (already cleared) with what the predictor expects in {@code [nowNanos, nowNanos + horizonNanos)}.
     */
    void predict(long nowNanos, long horizonNanos, Predictions out);

    /** Writes what was learned, to be read back by {@link #readModel} of a predictor of the same name. */
    void writeModel(DataOutput out) throws IOException;

    /**
     * Replaces what was learned with a model {@link #writeModel} wrote.
     *
     * @throws IOException (a {@link ModelFormatException} for content that makes no sense) naming the problem.
     */
    void readModel(DataInput in) throws IOException;
}
