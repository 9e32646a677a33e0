package dev.ringmaster.tools;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for a long command, drawn only when a person is watching a terminal and nothing reads the
 * output as data; otherwise every call does nothing. Used from the one thread that runs the command.
 */
final class TerminalProgress implements AutoCloseable
{
    /** Null when nothing is drawn. */
    private final ProgressBar bar;

    /** Whether a unit of {@link #begin(String)} is under way, to be counted done by the next or by close. */
    private boolean begun;

    private TerminalProgress(final ProgressBar bar)
    {
        this.bar = bar;
    }

    /**
     * @param task  what is being done, shown before the bar.
     * @param steps how many steps make the whole, -1 if unknown.
     * @param json  whether the command prints JSON: a bar is never mixed into output meant for a program.
     * @return a bar on stderr if stdin and stdout are a terminal, else one that draws nothing.
     */
    static TerminalProgress open(final String task, final long steps, final boolean json)
    {
        // System.console() is null as soon as the output is piped or redirected, and always under a test runner
        if (json || System.console() == null)
        {
            return new TerminalProgress(null);
        }
        return new TerminalProgress(new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build());
    }

    /** @return whether a bar is drawn. */
    boolean drawn()
    {
        return bar != null;
    }

    /** Shows {@code done} steps done (for a bar opened with -1 steps: an unknown whole, a count that grows). */
    void stepTo(final long done)
    {
        if (bar != null)
        {
            bar.stepTo(done);
        }
    }

    /** Marks one more step done. */
    void step()
    {
        if (bar != null)
        {
            bar.step();
        }
    }

    /** Counts the unit begun before, if any, as done and shows what is under way now. */
    void begin(final String what)
    {
        if (bar != null)
        {
            if (begun)
            {
                bar.step();
            }
            begun = true;
            bar.setExtraMessage(what);
        }
    }

    /** Counts a unit still under way as done; ends the bar's line so that what follows starts on a fresh one. */
    @Override
    public void close()
    {
        if (bar != null)
        {
            if (begun)
            {
                bar.step();
            }
            bar.close();
        }
    }
}
