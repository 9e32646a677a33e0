package dev.ringmaster.journal.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.Arrays;

/**
 * Deletes roll-cycle files older than the retention period; called by the journal writer thread only.
 *
 * <p>Age is the file's last modification: a cycle file stops changing when the queue rolls past it, so its mtime is
 * the end of its cycle. The newest cycle file is never deleted, whatever its age, since the writer appends to it.
 */
public final class RetentionSweeper
{
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
    public static final String CYCLE_SUFFIX = ".cq4";

    private final File directory;
    private final long retentionMillis;

    public RetentionSweeper(final File directory, final long retentionMillis)
    {
        this.directory = directory;
        this.retentionMillis = retentionMillis;
    }

    /** @return the number of cycle files deleted. */
    public int sweep(final long nowMillis)
    {
        final File[] cycles = directory.listFiles((dir, name) -> name.endsWith(CYCLE_SUFFIX));
        if (cycles == null || cycles.length < 2)
        {
            return 0;
        }
        // Chronicle's cycle file names sort chronologically (yyyyMMdd-HH... formats)
        Arrays.sort(cycles);
        final long cutoff = nowMillis - retentionMillis;
        int deleted = 0;
        for (int i = 0; i < cycles.length - 1; i++)
        {
            final File f = cycles[i];
            if (f.lastModified() < cutoff)
            {
                if (f.delete())
                {
                    deleted++;
                    LOG.info("journal retention: deleted {} (last written {} ms ago, retention {} ms)", f,
                        nowMillis - f.lastModified(), retentionMillis);
                }
                else
                {
                    LOG.warn("journal retention: could not delete {}", f);
                }
            }
        }
        return deleted;
    }
}
