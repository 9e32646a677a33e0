package dev.ringmaster.tools;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.JournalRecord;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugin.PluginRegistry;
import dev.ringmaster.predict.Predictions;
import dev.ringmaster.predict.PredictionModels;
import dev.ringmaster.predict.Predictor;
import dev.ringmaster.predict.Predictors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster learn JOURNAL_DIR --out MODEL}: trains a predictor offline from a journal's arrivals and writes its
 * model file, for predictive pre-routing to start from; picocli creates one instance per execution and calls it on
 * the executing thread.
 */
@Command(name = "learn",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Train a predictor for predictive pre-routing from a journal: every accepted task (its agent type, context "
            + "key, required skills and wall-clock arrival time) in journal order, then write the predictor's model "
            + "file (format: dev.ringmaster.predict.PredictionModels). The built-in predictor 'patterns' learns the "
            + "arrival rate per type and key by hour of day (UTC) and what follows what.",
        ""},
    footer = {"", "A damaged journal writes no model unless --accept-damage: a model learnt around the damage misses "
        + "the arrivals recorded in it, and would replace a good one without a word.",
        "Exit code: 0 when the model is written (also with --accept-damage on a damaged journal, whose damage is "
        + "still reported), 1 if the journal is damaged or holds no accepted task (nothing is written: MODEL is left "
        + "as it was) or the model cannot be written, 2 for bad options.",
        "Example: ringmaster learn /tmp/journal --out /tmp/patterns.rmp"})
public final class LearnCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOURNAL_DIR", description = "The journal's directory.")
    Path journal;

    @Option(names = "--out", paramLabel = "MODEL", required = true, description = "The model file to write.")
    Path out;

    @Option(names = "--predictor", paramLabel = "NAME", defaultValue = Predictors.DEFAULT,
        description = "The predictor to train (default: ${DEFAULT-VALUE}); plugins add others.")
    String predictorName;

    @Option(names = "--accept-damage",
        description = "Write the model of a damaged journal anyway, learnt from the records read around the damage.")
    boolean acceptDamage;

    @Mixin
    PluginsOption plugins;

    @Override
    public Integer call() throws IOException
    {
        if (out.toString().isBlank())
        {
            // an empty path resolves to the working directory, which would be reported as "a directory"
            throw new ParameterException(spec.commandLine(), "--out is empty; give the model file's name, e.g. " +
                "--out patterns.rmp");
        }
        if (out.getParent() != null && !Files.isDirectory(out.getParent()))
        {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": " + (Files.exists(out.getParent())
                ? out.getParent() + " is a file, not a directory; write the model elsewhere"
                : "the directory " + out.getParent() + " does not exist; create it or write the model elsewhere"));
        }
        if (Files.isDirectory(out))
        {
            // writing replaces the target by a rename: an empty directory would silently become the model file
            throw new ParameterException(spec.commandLine(), "--out " + out + " is a directory; give the model " +
                "file's name, e.g. --out " + out.resolve("patterns.rmp"));
        }
        try (PluginRegistry registry = plugins.open())
        {
            final Predictor predictor;
            try
            {
                predictor = registry.createPredictor(predictorName);
            }
            catch (final IllegalArgumentException e)
            {
                throw new ParameterException(spec.commandLine(), e.getMessage() + " (for --predictor)");
            }
            return learn(predictor);
        }
    }

    private int learn(final Predictor predictor) throws IOException
    {
        final long[] seen = new long[5]; // arrivals, first, last, without a readable task, accepted again
        seen[1] = Long.MAX_VALUE;
        // every region: the reader goes on past each, and naming only one would send the operator to restore one file
        // while another stays damaged
        final java.util.List<String> damage = new java.util.ArrayList<>();
        final java.util.Set<Long> recovering = new java.util.HashSet<>();
        // a writer open before or after the read: the model then misses what was written since, as replay says too
        boolean live = Journal.isBeingWritten(journal);
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.readToEnd(r -> observe(predictor, r, seen, recovering), e -> damage.add(e.getMessage()));
            if (reader.metadataWarning() != null)
            {
                spec.commandLine().getErr().println("warning: " + reader.metadataWarning());
            }
        }
        catch (final PredictorFailed e)
        {
            return failed(e.getMessage());
        }
        if (seen[0] == 0)
        {
            // an empty model written over the last trained one would leave pre-routing predicting nothing, silently
            final PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + journal + " holds no accepted task" + (seen[3] == 0 ? "" : String.format(Locale.ROOT,
                " with a readable task (%,d without)", seen[3])) + ", so there is nothing to learn from; nothing was " +
                "written (" + out + " is left as it was). Give the journal of a run that took tasks, e.g. one " +
                "recorded by 'ringmaster demo --tasks 100000 --journal DIR'");
            reportDamage(err, "error: ", damage, "nothing was learnt from the records in them. Restore the damaged " +
                "file from a copy, or move it aside, and learn again");
            err.flush();
            return 1;
        }
        if (!damage.isEmpty() && !acceptDamage)
        {
            // written anyway, the model would replace the last good one with one missing the damaged regions'
            // arrivals, and a nightly 'learn && restart' would run on it
            final PrintWriter err = spec.commandLine().getErr();
            reportDamage(err, "error: ", damage, "nothing was written (" + out + " is left as it was): a model learnt " +
                "from the records read around them would miss the arrivals recorded in them. Restore the damaged " +
                "file from a copy and learn again, or run with --accept-damage to write the model learnt from the " +
                String.format(Locale.ROOT, "%,d arrivals read around the damage", seen[0]));
            err.flush();
            return 1;
        }
        try
        {
            PredictionModels.write(predictor, seen[0], out);
        }
        catch (final IllegalStateException e)
        {
            return failed(e.getMessage() + "; nothing was written (" + out + " is left as it was)");
        }
        catch (final IOException e)
        {
            // the exception's message alone is a bare path (AccessDeniedException: /dir/m.rmp.tmp)
            spec.commandLine().getErr().println("error: cannot write the model " + out + " (" + e + "); choose a " +
                "writable --out, or fix the permissions of " + out.toAbsolutePath().getParent());
            spec.commandLine().getErr().flush();
            return 1;
        }
        live |= Journal.isBeingWritten(journal);
        if (live)
        {
            spec.commandLine().getErr().println("warning: " + journal + " is still being written; the model is learnt " +
                "from the arrivals read up to now. Learn again once the run has ended for the whole of it");
            spec.commandLine().getErr().flush();
        }
        final PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "learnt from %,d arrivals, %s to %s (%s)%s%n", seen[0], Instant.ofEpochSecond(0,
            seen[1]), Instant.ofEpochSecond(0, seen[2]), Duration.ofNanos(seen[2] - seen[1]), seen[4] == 0 ? "" :
            String.format(Locale.ROOT, "; %,d acceptances of tasks recovery dispatched again left out (each "
                + "arrived once, at its first)", seen[4]));
        final Predictions next = new Predictions();
        predictor.predict(seen[2], Duration.ofSeconds(30).toNanos(), next);
        o.printf(Locale.ROOT, "predictor '%s': %d (type, key) pairs expected in the 30 s after the journal's end" +
            " with a confidence of at least 0.05", predictor.name(), next.size());
        int hot = 0;
        for (int i = 0; i < next.size(); i++)
        {
            hot += next.confidence(i) >= 0.7 ? 1 : 0;
        }
        o.printf(Locale.ROOT, ", %d of them at least 0.7%n", hot);
        if (seen[3] > 0)
        {
            o.printf(Locale.ROOT, "%,d accepted records without a readable task were skipped%n", seen[3]);
        }
        o.printf(Locale.ROOT, "model written to %s (%,d bytes)%n", out, Files.size(out));
        o.flush();
        if (!damage.isEmpty())
        {
            reportDamage(spec.commandLine().getErr(), "warning: ", damage, "with --accept-damage the model was " +
                "learnt from the records read around them, and the arrivals recorded in them are missing from it. " +
                "Restore the damaged file from a copy and learn again for a whole model");
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    /** Names every damaged region (file, position, what is wrong), one line each, as replay does. */
    private void reportDamage(final PrintWriter err, final String level, final java.util.List<String> damage,
                              final String consequence)
    {
        if (damage.isEmpty())
        {
            return;
        }
        err.println(level + "the journal " + journal + " is damaged in " + damage.size() + " region(s); " +
            consequence + ". The damage:");
        damage.forEach(d -> err.println("  " + d));
    }

    /** Prints the error line. @return the exit code of a run that failed. */
    private int failed(final String message)
    {
        spec.commandLine().getErr().println("error: " + message);
        spec.commandLine().getErr().flush();
        return 1;
    }

    /** A predictor's observe() failed: plugin code, named with its jar; unchecked, to leave the reader's loop. */
    private static final class PredictorFailed extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        PredictorFailed(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    private static void observe(final Predictor predictor, final JournalRecord r, final long[] seen,
                                final java.util.Set<Long> recovering)
    {
        // recovery journals a RECOVERED marker before it dispatches a task again; an id still open accepted again
        // without one is a new arrival (e.g. a result handler resubmitting the task under its own id)
        if (r.type() == EventType.RECOVERED)
        {
            recovering.add(r.taskId());
            return;
        }
        if (r.type() != EventType.ACCEPTED)
        {
            return;
        }
        if (recovering.remove(r.taskId()))
        {
            // recovery's acceptance of a task accepted before the restart: learnt twice, every restart would teach
            // the predictor a burst that never came
            seen[4]++;
            return;
        }
        final Task task;
        try
        {
            task = r.task(JournalArrivals.IGNORE_PAYLOAD);
        }
        catch (final IllegalStateException e)
        {
            seen[3]++;
            return;
        }
        final long at = r.epochNanos();
        try
        {
            predictor.observe(task.type(), task.affinityKey(), JournalArrivals.skillMask(task), at);
        }
        catch (final RuntimeException | Error e)
        {
            // plugin code: its bare message ("observe blew up at 101") named neither the predictor nor the fix
            throw new PredictorFailed(PredictionModels.describe(predictor) + " failed in observe() at arrival " +
                (seen[0] + 1) + " (task " + task.id() + "): " + e + "; fix its observe() and rebuild " +
                dev.ringmaster.plugin.ServiceProviders.origin(predictor.getClass()), e);
        }
        seen[0]++;
        seen[1] = Math.min(seen[1], at);
        seen[2] = Math.max(seen[2], at);
    }
}
