package dev.ringmaster.tools;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.PrintStream;

/**
 * The command line's slf4j provider: slf4j-simple's loggers and configuration, except that a logged throwable is one
 * line (its toString) unless {@code --verbose} was given. Logs such as "routing strategy 'x' threw" pass the throwable
 * on, which an embedder's log wants whole; on a terminal ~20 lines of {@code at ...} bury the report. Thread-safe: the
 * verbose flag is volatile and the loggers are slf4j-simple's.
 */
public final class ConsoleLogging implements SLF4JServiceProvider
{
    private static final String PROVIDER_KEY = "slf4j.provider";
    private static final String VERBOSITY_KEY = "slf4j.internal.verbosity";

    private static volatile boolean verbose;

    private final SimpleServiceProvider simple = new SimpleServiceProvider();
    private volatile ILoggerFactory loggerFactory;

    /**
     * Makes slf4j use this provider, unless the user chose one (-Dslf4j.provider in RINGMASTER_JAVA_OPTS); to be
     * called before the first logger is made. Not registered in META-INF/services: slf4j-simple's registration would
     * make two providers, and slf4j warns about that on every run.
     */
    static void select()
    {
        if (System.getProperty(PROVIDER_KEY) == null)
        {
            System.setProperty(PROVIDER_KEY, ConsoleLogging.class.getName());
            // slf4j says at INFO which provider it loads because of the property: noise on every command's stderr
            if (System.getProperty(VERBOSITY_KEY) == null)
            {
                System.setProperty(VERBOSITY_KEY, "WARN");
            }
        }
    }

    /** Whether a logged throwable is printed with its stack trace ({@code --verbose}) or as one line. */
    static void verbose(final boolean on)
    {
        verbose = on;
    }

    @Override
    public ILoggerFactory getLoggerFactory()
    {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory()
    {
        return simple.getMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter()
    {
        return simple.getMDCAdapter();
    }

    @Override
    public String getRequestedApiVersion()
    {
        return SimpleServiceProvider.REQUESTED_API_VERSION;
    }

    @Override
    public void initialize()
    {
        simple.initialize();
        loggerFactory = new SimpleLoggerFactory()
        {
            @Override
            protected Logger createLogger(final String name)
            {
                return new ConsoleLogger(name);
            }
        };
    }

    /** slf4j-simple's logger with a one-line throwable unless verbose. */
    private static final class ConsoleLogger extends SimpleLogger
    {
        private static final long serialVersionUID = 1L;

        ConsoleLogger(final String name)
        {
            super(name);
        }

        @Override
        protected void writeThrowable(final Throwable t, final PrintStream targetStream)
        {
            if (t == null || verbose)
            {
                super.writeThrowable(t, targetStream);
                return;
            }
            targetStream.println(t + " (run again with --verbose for the stack trace)");
        }
    }
}
