package dev.ringmaster.plugins.http;

import dev.ringmaster.testing.FakePool;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Runs single attempts of an adapter outside a dispatcher and records how each ended; thread-safe. */
final class Attempts
{
    private Attempts()
    {
    }

    /** How one attempt ended, with the thread that reported it. */
    record Outcome(Object result, long tokens, Throwable error, String thread, long elapsedNanos)
    {
        String message()
        {
            return error == null ? null : error.getMessage();
        }
    }

    /** A completion and telemetry that record what the adapter reported, and count completions. */
    static final class Recorder implements Completion, AgentTelemetry
    {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        final AtomicInteger completions = new AtomicInteger();
        final AtomicLong budget = new AtomicLong(-1);
        private final long startNanos = System.nanoTime();

        @Override
        public void succeed(final Object result, final long tokensUsed, final double quality)
        {
            completions.incrementAndGet();
            outcome.complete(new Outcome(result, tokensUsed, null, Thread.currentThread().getName(),
                System.nanoTime() - startNanos));
        }

        @Override
        public void fail(final Throwable cause)
        {
            completions.incrementAndGet();
            outcome.complete(new Outcome(null, 0, cause, Thread.currentThread().getName(),
                System.nanoTime() - startNanos));
        }

        @Override
        public void contextUtilization(final double fraction)
        {
        }

        @Override
        public void tokenBudgetLeft(final long tokens)
        {
            budget.set(tokens);
        }
    }

    /** Runs one attempt and waits (generously: this bounds a hang, it does not assert speed) for its outcome. */
    static Outcome run(final ChatCompletionsAdapter adapter, final Task task, final Recorder recorder) throws Exception
    {
        adapter.execute(FakePool.view(task), recorder, recorder);
        return recorder.outcome.get(60, TimeUnit.SECONDS);
    }

    static Outcome run(final ChatCompletionsAdapter adapter, final Task task) throws Exception
    {
        return run(adapter, task, new Recorder());
    }

}
