package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.WriterLock;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A journal's writer lock taken before the journal is opened, so that a recovery's scan and the journal it then opens
 * to redispatch are one step to every other process: meanwhile no other process can write the journal or claim it,
 * and every other process sees it as being written, so two recoveries started together cannot both redispatch the
 * same open tasks. Take it, scan ({@link Recovery#scan}), then {@link Journal#open} the same directory in this
 * process: the journal takes the lock over and releases it when it closes; one that fails to open hands it back, so
 * the claim holds the journal again. Close the claim if no journal is opened (closing it after one was does nothing).
 * One holder; {@link #close} from any thread.
 *
 * <pre>{@code
 * try (WriterClaim claim = WriterClaim.take(dir))
 * {
 *     if (claim == null) { ... another process writes or recovers the journal: leave its open tasks alone }
 *     RecoveryPlan plan = Recovery.scan(dir, codec);
 *     try (Journal journal = Journal.open(JournalConfig.at(dir))) { plan.redispatch(journal, dispatcher, wait); ... }
 * }
 * }</pre>
 */
public final class WriterClaim implements AutoCloseable
{
    private final WriterLock lock;

    private WriterClaim(final WriterLock lock)
    {
        this.lock = lock;
    }

    /**
     * @return the claim, or null if a writer or another claim (of this process or another) has the journal in
     *     {@code directory}.
     * @throws JournalException if there is no directory there, or its lock file cannot be created or locked.
     */
    public static WriterClaim take(final Path directory)
    {
        if (!java.nio.file.Files.isDirectory(directory))
        {
            CycleFiles.checkDirectory(directory); // names what is there instead, with the fix
        }
        try
        {
            final WriterLock lock = WriterLock.claim(directory);
            return lock == null ? null : new WriterClaim(lock);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot lock " + directory.resolve(WriterLock.FILE_NAME) + " (" + e + "): " +
                "recovering the journal would write to it; run on a local, writable copy of the directory", e);
        }
    }

    /** Releases the lock, unless a journal this process opened on the directory took it over. */
    @Override
    public void close()
    {
        try
        {
            lock.close();
        }
        catch (final IOException e)
        {
            throw new JournalException("releasing the writer lock of the journal failed: " + e, e);
        }
    }
}
