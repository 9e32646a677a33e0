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

    private TerminalProgress(final ProgressBar bar)
    {
        this.bar = bar;
    }

    /**
     * @param task  what is being done, shown before the bar.
     * @param steps how many steps make the whole.
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

    /** Marks one more step done. */
    void step()
    {
        if (bar != null)
        {
            bar.step();
        }
    }

    /** Removes nothing already printed; ends the bar's line so what follows starts on a fresh one. */
    @Override
    public void close()
    {
        if (bar != null)
        {
            bar.close();
        }
    }
}
