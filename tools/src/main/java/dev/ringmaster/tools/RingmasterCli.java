package dev.ringmaster.tools;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ringmaster} command: entry point of the fat jar and parent of the subcommands; each
 * {@link #commandLine()} is a fresh, independent instance to be used from one thread.
 *
 * <p>Exit codes: 0 success, 1 the command ran and failed (e.g. a task was lost), 2 bad usage (unknown option,
 * invalid value, unknown strategy), with the problem and the fix on stderr.
 */
@Command(name = "ringmaster",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    description = "Ringmaster: an embeddable lock-free task dispatcher for agent fleets.",
    subcommands = {DemoCommand.class, AgentHostCommand.class, StrategiesCommand.class, PluginsCommand.class, AuditCommand.class, ReplayCommand.class, LearnCommand.class, RecoverCommand.class, ServeCommand.class, AdminCommand.class, SimulateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "Run 'ringmaster COMMAND --help' for the options of a command."})
public final class RingmasterCli implements Runnable
{
    static
    {
        // before the first logger below: the console's provider keeps stack traces for --verbose
        ConsoleLogging.select();
    }

    private static final Logger LOG = LoggerFactory.getLogger(RingmasterCli.class);
    /** The end of what picocli's built-in number converters say, e.g. "'abc' is not an int". */
    private static final Pattern PICOCLI_NUMBER = Pattern.compile(": '(.*)' is not an? (int|long|short|byte|float|double)$",
        Pattern.DOTALL);

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
        description = "When a command fails, also print the stack trace to stderr (for a bug report).")
    boolean verbose;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line with the project's error handling; output goes to System.out / System.err. */
    public static CommandLine commandLine()
    {
        final CommandLine cmd = new CommandLine(new RingmasterCli());
        cmd.setParameterExceptionHandler(RingmasterCli::usageError);
        cmd.setExecutionStrategy(parseResult ->
        {
            // picocli skips its unmatched-argument check when help is asked for: 'ringmaster nosuch --help' would
            // print the top-level help and exit 0, as if 'nosuch' were fine
            if (!parseResult.unmatched().isEmpty())
            {
                throw new UnmatchedArgumentException(parseResult.commandSpec().commandLine(), parseResult.unmatched());
            }
            ConsoleLogging.verbose(verbose(parseResult));
            try
            {
                return new CommandLine.RunLast().execute(parseResult);
            }
            catch (final Error e)
            {
                // picocli hands only Exceptions to the handler below: an Error (a plugin's AssertionError, a
                // StackOverflowError) would end the JVM with a raw stack trace and no 'error:' line
                ParseResult last = parseResult;
                while (last.subcommand() != null)
                {
                    last = last.subcommand();
                }
                throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), e.toString() +
                    " (a bug, ours or a plugin's: run again with --verbose for the stack trace, and report it)", e);
            }
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) ->
        {
            // a failure of the run itself, not of the arguments: say what broke, keep the trace for the log unless
            // the user asked for it
            LOG.debug("command failed", e);
            final PrintWriter err = commandLine.getErr();
            err.println("error: " + e.getMessage());
            if (verbose(parseResult))
            {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cmd;
    }

    /**
     * Whether {@code --verbose} was given at any level: the option is inherited, so it may have been matched on the
     * subcommand rather than on the top-level command.
     */
    private static boolean verbose(final ParseResult top)
    {
        for (ParseResult level = top; level != null; level = level.subcommand())
        {
            if (level.hasMatchedOption("--verbose"))
            {
                return true;
            }
        }
        return false;
    }

    /** Without a subcommand there is nothing to do: that is a usage error, with the list of commands. */
    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "missing command: say what to run, e.g. 'ringmaster demo'");
    }

    /**
     * Prints the problem, suggestions for a misspelt option, and where the usage is; picocli's default prints the
     * whole usage, which buries the one line that matters.
     */
    private static int usageError(final ParameterException ex, final String[] args)
    {
        final CommandLine cmd = ex.getCommandLine();
        final PrintWriter err = cmd.getErr();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException unmatched && !cmd.getSubcommands().isEmpty() &&
            !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-"))
        {
            message = "unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are " +
                String.join(", ", cmd.getSubcommands().keySet());
        }
        message = explainNumber(ex, message);
        err.println(cmd.getColorScheme().errorText("error: " + message));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * picocli's own converters name only the Java type ("'abc' is not an int"): say what kind of number the option
     * takes and show one. The project's converters explain themselves and are left alone.
     */
    private static String explainNumber(final ParameterException ex, final String message)
    {
        final Matcher m = PICOCLI_NUMBER.matcher(message);
        if (!m.find() || ex.getArgSpec() == null)
        {
            return message;
        }
        final String type = m.group(2);
        final boolean whole = !type.equals("float") && !type.equals("double");
        final String value = m.group(1);
        final String what;
        if (whole && value.trim().matches("[+-]?\\d+"))
        {
            what = "out of range: give a whole number from " + (type.equals("int") ? Integer.MIN_VALUE + " to " +
                Integer.MAX_VALUE : type.equals("long") ? Long.MIN_VALUE + " to " + Long.MAX_VALUE :
                type.equals("short") ? Short.MIN_VALUE + " to " + Short.MAX_VALUE : Byte.MIN_VALUE + " to " +
                Byte.MAX_VALUE);
        }
        else
        {
            final String fallback = whole ? "10" : "0.5";
            final String given = ex.getArgSpec().defaultValue();
            final String example = given == null || given.isBlank() ? fallback : given;
            what = "not " + (whole ? "a whole number" : "a number") + "; give one such as " +
                (ex.getArgSpec() instanceof OptionSpec option ? option.longestName() + " " : "") + example;
        }
        return message.substring(0, m.start()) + ": '" + value + "' is " + what;
    }

    /** Reports the version from the jar manifest; stateless. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = RingmasterCli.class.getPackage().getImplementationVersion();
            return new String[] {"ringmaster " + (version != null ? version : "(development build)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
