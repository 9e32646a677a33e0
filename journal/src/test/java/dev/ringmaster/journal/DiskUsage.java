package dev.ringmaster.journal;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The disk space a file takes, for tests of what the journal leaves on disk; stateless, any thread. */
public final class DiskUsage
{
    private DiskUsage()
    {
    }

    /** @return the disk space the file takes (st_blocks x block size), as {@code du} reports it, not its length. */
    public static long allocatedBytes(final File file) throws Exception
    {
        final Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.getAbsolutePath()).redirectErrorStream(true)
            .start();
        final String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(stat.waitFor(10, TimeUnit.SECONDS)).as("stat finished").isTrue();
        final String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
