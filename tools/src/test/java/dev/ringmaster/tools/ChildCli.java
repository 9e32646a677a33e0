package dev.ringmaster.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the command line in a JVM of its own, with the test class path and the JVM flags the build passes to tests: for
 * what only a fresh JVM shows (a signal, JVM-wide state such as the skill registry that earlier tests filled).
 * Stateless.
 */
final class ChildCli
{
    private ChildCli()
    {
    }

    /** Starts {@code ringmaster ARGS...} with its stdout to {@code out} and its stderr to {@code err}. */
    static Process start(final Path out, final Path err, final String... args) throws IOException
    {
        return start(ProcessBuilder.Redirect.to(out.toFile()), ProcessBuilder.Redirect.to(err.toFile()), args);
    }

    /** As above, with the child's streams sent where the redirects say (e.g. discarded). */
    static Process start(final ProcessBuilder.Redirect out, final ProcessBuilder.Redirect err, final String... args)
        throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String f : System.getProperty("ringmaster.jvm.flags", "").trim().split("\\s+"))
        {
            if (!f.isEmpty())
            {
                cmd.add(f);
            }
        }
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RingmasterCli.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
    }
}
