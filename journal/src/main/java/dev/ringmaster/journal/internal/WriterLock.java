package dev.ringmaster.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A shared file lock that every open journal writer holds on a file beside the cycle files, so that a reader can
 * tell a journal still being written from a finished one; the operating system drops the lock when the writer's
 * process dies, so a killed writer never looks alive. One instance per writer; {@link #close} from any thread, once.
 */
public final class WriterLock implements AutoCloseable
{
    /** The file's name in the journal directory; Chronicle Queue and retention ignore it (not a *.cq4 file). */
    public static final String FILE_NAME = "ringmaster-journal.writer-lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, waiting only while a reader briefly holds it exclusively to test it.
     *
     * @throws IOException if the lock file cannot be created or locked.
     */
    public static WriterLock hold(final Path directory) throws IOException
    {
        // a shared lock needs a channel open for reading
        final FileChannel channel = FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        try
        {
            // shared: several writers (processes) may append to one queue, as Chronicle allows
            return new WriterLock(channel, channel.lock(0, Long.MAX_VALUE, true));
        }
        catch (final OverlappingFileLockException e)
        {
            // another journal of this JVM writes the same directory and holds the JVM's one lock on the file
            return new WriterLock(channel, null);
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw e;
        }
    }

    /**
     * @return true if a writer holds the lock of the journal in {@code directory}, in this process or another; false
     *     if none does, or the journal has no lock file (written before writers took one) or it cannot be opened for
     *     writing (a read-only copy: nobody writes it through this file system either).
     */
    public static boolean held(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final FileLock probe = channel.tryLock();
            if (probe == null)
            {
                return true;
            }
            probe.release();
            return false;
        }
        catch (final OverlappingFileLockException e)
        {
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            if (lock != null)
            {
                lock.release();
            }
        }
        finally
        {
            channel.close();
        }
    }
}
