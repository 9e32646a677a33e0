package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.DrainBlockers;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * How {@code ringmaster serve} ends: its drain ({@link #drain}, on the serving thread), and its shutdown hook: a signal
 * (Ctrl-C, SIGTERM) stops the serving, and the hook holds the JVM until the drain has run, then ends it with serve's
 * exit code. One instance per serve run; {@link #run()} runs on the JVM's shutdown thread, the latches and the exit
 * code are shared with the serving thread.
 */
final class ServeShutdown implements Runnable
{
    /** Longest the hook holds the JVM for the drain (30 s) and the cancelling after it (10 s). */
    static final long HOLD_SECONDS = 60;

    private final CountDownLatch stop;
    private final CountDownLatch finished;
    private final AtomicInteger exitCode;
    private final Runnable flush;
    private final IntConsumer halt;

    /**
     * @param exitCode serve's exit code, set before {@code finished} counts down; -1 while serving.
     * @param flush    flushes the command line's output before the JVM ends.
     * @param halt     ends the JVM with a code ({@code Runtime.getRuntime()::halt}).
     */
    ServeShutdown(final CountDownLatch stop, final CountDownLatch finished, final AtomicInteger exitCode,
                  final Runnable flush, final IntConsumer halt)
    {
        this.stop = stop;
        this.finished = finished;
        this.exitCode = exitCode;
        this.flush = flush;
        this.halt = halt;
    }

    @Override
    public void run()
    {
        stop.countDown();
        try
        {
            // the JVM exits when the hooks return: hold it until the drain has run
            final int code = finished.await(HOLD_SECONDS, TimeUnit.SECONDS) ? exitCode.get() : -1;
            if (code >= 0)
            {
                // serve's own code, not the JVM's 128 + signal: the code serve returns never reaches the exit once a
                // signal started the shutdown (System.exit blocks then), so a timed-out drain would exit 143, not 1
                flush.run();
                halt.accept(code);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drains for up to {@code timeout}; if it times out, says so on {@code err} and cancels what has not started.
     * The tasks that cannot run now (core's {@link DrainBlockers}) are named once, with serve's fixes: at the start,
     * while the endpoint is up and a resume or an added agent can still help, and in the error line only if they
     * changed meanwhile. The dispatcher's own warning is not wanted here: it would repeat them in API terms
     * (resumeType, shutdownNow) on the same console.
     *
     * @param journalDir the journal, or null.
     * @return true if the drain finished.
     */
    static boolean drain(final Dispatcher dispatcher, final PrintWriter err, final Duration timeout, final Path journalDir)
    {
        final String noted = causes(dispatcher);
        if (!noted.isEmpty())
        {
            err.println("note: the drain waits up to " + time(timeout) + " for tasks that cannot run now: " + noted);
            err.flush();
        }
        if (dispatcher.drainQuietly(timeout))
        {
            return true;
        }
        if (dispatcher.outstanding() == 0)
        {
            // every task ended: what is left is a thread inside a call given up at its timeout, and stopping the
            // adapters (shutdownNow does) may be what lets that call return; nothing was lost
            err.println("note: every task has ended, but a dispatcher thread is still inside an adapter's call after " +
                time(timeout) + " (an attempt given up at its timeout); stopping the adapters");
            err.flush();
            dispatcher.shutdownNow();
            dispatcher.awaitTermination(Duration.ofSeconds(10));
            return true;
        }
        err.println(timedOut(dispatcher.outstanding(), timeout, causes(dispatcher), noted, journalDir));
        err.flush();
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(10));
        return false;
    }

    /**
     * @return per type whose waiting tasks cannot run, e.g. "680 of type researcher, which is paused (...)", joined by
     *     "; "; empty when every waiting task has a type that serves.
     */
    static String causes(final Dispatcher dispatcher)
    {
        final List<String> causes = new ArrayList<>();
        for (final DrainBlockers.Blocker b : DrainBlockers.of(dispatcher))
        {
            causes.add(b.cause() == DrainBlockers.Cause.PAUSED ?
                String.format(Locale.ROOT, "%,d of type %s, which is paused (resume it: 'ringmaster admin resume " +
                    "--type %s', or they are cancelled at shutdown)", b.tasks(), b.type(), b.type()) :
                String.format(Locale.ROOT, "%,d of type %s, which has no agent (its agents were drained or removed: " +
                    "add one with 'ringmaster admin add-agent' or 'admin scale', or they are cancelled at shutdown)",
                    b.tasks(), b.type()));
        }
        return String.join("; ", causes);
    }

    /**
     * @param causes the tasks that cannot run now ({@link #causes}), named unless the note at the drain's start
     *               ({@code noted}) said the same already.
     * @return the error line of a drain that timed out with {@code outstanding} tasks and, with a journal, that the
     *     cancelled ones stay open in it.
     */
    static String timedOut(final int outstanding, final Duration timeout, final String causes, final String noted,
                           final Path journalDir)
    {
        return String.format(Locale.ROOT, "error: %,d task(s) still outstanding after %s; cancelling them", outstanding,
            time(timeout)) + (causes.isEmpty() ? "" : causes.equals(noted) ? ", the ones the note above names" :
            ": " + causes) + (journalDir == null ? "" : ". The shutdown's cancel does not end them in the journal: " +
            "they stay open in " + journalDir + ", and 'ringmaster recover " + journalDir + "' or the next serve on " +
            "it dispatches them again");
    }

    /** "30 s", or "300 ms" for a wait that is not whole seconds (tests). */
    private static String time(final Duration d)
    {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * @return the refusals of recovered tasks, grouped by status: which tasks (the first few ids), why, and what to do;
     *     a bare count at every restart told the operator nothing.
     */
    static String refusals(final java.util.List<dev.ringmaster.dispatch.RejectedTaskException> refusals)
    {
        final java.util.Map<String, java.util.List<String>> byCause = new java.util.TreeMap<>();
        for (final dev.ringmaster.dispatch.RejectedTaskException r : refusals)
        {
            final String cause = r.status() == dev.ringmaster.dispatch.SubmitStatus.UNKNOWN_AGENT_TYPE ?
                "UNKNOWN_AGENT_TYPE (this fleet has no type '" + r.task().type() + "': serve a --config that declares " +
                    "it to run them)" : r.status() + " (" + r.status().reason() + ")";
            byCause.computeIfAbsent(cause, c -> new java.util.ArrayList<>()).add("task " + r.task().id());
        }
        final StringBuilder sb = new StringBuilder();
        byCause.forEach((cause, tasks) -> sb.append(sb.length() == 0 ? "" : "; ").append(String.join(", ",
            tasks.subList(0, Math.min(5, tasks.size())))).append(tasks.size() > 5 ? " and " + (tasks.size() - 5) +
            " more" : "").append(": ").append(cause));
        return sb.toString();
    }
}
