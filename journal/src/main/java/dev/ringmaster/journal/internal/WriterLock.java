package dev.ringmaster.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The exclusive file lock that a journal's one writer holds on a file beside the cycle files, so that a reader can
 * tell a journal still being written from a finished one and a second writer is refused; the operating system drops
 * the lock when the writer's process dies, so a killed writer never looks alive. A lock may be taken as a claim
 * first (recovery: scan, then open) and then taken over by the journal that writes. One instance per holder;
 * {@link #close} from any thread, once; the static methods are safe on any thread.
 */
public final class WriterLock implements AutoCloseable
{
    /** The file's name in the journal directory; Chronicle Queue and retention ignore it (not a *.cq4 file). */
    public static final String FILE_NAME = "ringmaster-journal.writer-lock";
    /** A reader of another process tests the lock by taking it for a moment: a writer opening then waits that out. */
    private static final long PROBE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * The locks this JVM holds, by the journal directory's real path; guarded by itself. The JVM must never open the
     * lock file a second time while it holds the lock: on Linux, closing any descriptor of a file drops every record
     * lock the process holds on it, and other processes would then see no writer.
     */
    private static final Map<Path, Held> HELD = new HashMap<>();
    /**
     * The directories whose lock a thread of this JVM is taking, outside HELD's monitor (it may wait out another
     * process's probe, and meanwhile the other directories' locks must stay usable); guarded by HELD, disjoint from
     * it. While a directory is here no other thread of this JVM opens its lock file.
     */
    private static final Set<Path> TAKING = new HashSet<>();

    /** The one lock of a directory in this JVM. */
    private static final class Held
    {
        final Path key;
        final FileChannel channel;
        final FileLock lock;
        /** A journal writes with it (else only a claim holds it). */
        boolean writing;
        /** A claim holds it that is not closed yet, taken over by a journal or not. */
        boolean claimOpen;

        Held(final Path key, final FileChannel channel, final FileLock lock)
        {
            this.key = key;
            this.channel = channel;
            this.lock = lock;
        }
    }

    private final Held held;
    /** A journal's (else a claim's). */
    private final boolean writer;
    /** Guarded by HELD: closed, or a claim a journal took over (the journal releases the lock then). */
    private boolean done;

    private WriterLock(final Held held, final boolean writer)
    {
        this.held = held;
        this.writer = writer;
    }

    /**
     * Takes the lock for a journal that writes: taking over this JVM's claim on the directory if there is one.
     *
     * @throws IllegalStateException naming the directory if another writer (of this process or another) has it open.
     * @throws IOException if the lock file cannot be created or locked.
     */
    public static WriterLock hold(final Path directory) throws IOException
    {
        final Path key = directory.toRealPath();
        synchronized (HELD)
        {
            awaitNotTaking(key);
            final Held existing = HELD.get(key);
            if (existing != null)
            {
                if (existing.writing)
                {
                    throw new IllegalStateException(refusal(directory, "this process"));
                }
                existing.writing = true;
                return new WriterLock(existing, true);
            }
            TAKING.add(key);
        }
        final Held taken = take(directory, key, true);
        if (taken == null)
        {
            throw new IllegalStateException(refusal(directory, "another process"));
        }
        return new WriterLock(taken, true);
    }

    /**
     * Takes the lock before the journal is opened, so that what is read of it meanwhile (a recovery's scan) cannot
     * change under the reader and no other process starts writing or recovering it; the next {@link #hold} of this JVM
     * on the directory takes the lock over, and closing the claim after that leaves the lock to the journal.
     *
     * @return the claim, or null if another writer or claim (of this process or another) has the directory.
     * @throws IOException if the lock file cannot be created or locked.
     */
    public static WriterLock claim(final Path directory) throws IOException
    {
        final Path key = directory.toRealPath();
        synchronized (HELD)
        {
            if (HELD.containsKey(key) || TAKING.contains(key))
            {
                return null; // another thread of this JVM has it, or will unless another process does
            }
            TAKING.add(key);
        }
        final Held taken = take(directory, key, false);
        return taken == null ? null : new WriterLock(taken, false);
    }

    /**
     * Takes the lock of the directory the calling thread put in TAKING, without HELD's monitor, and registers it as a
     * writer's or a claim's.
     *
     * @return the lock, or null if another process holds it.
     */
    private static Held take(final Path directory, final Path key, final boolean writer) throws IOException
    {
        Held held = null;
        try
        {
            final FileChannel channel = FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
            try
            {
                final long deadline = System.nanoTime() + PROBE_WAIT_NANOS;
                FileLock lock;
                while ((lock = channel.tryLock()) == null && System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                if (lock == null)
                {
                    channel.close(); // this JVM holds no lock on the file: closing drops nobody's
                    return null;
                }
                held = new Held(key, channel, lock);
                held.writing = writer;
                held.claimOpen = !writer;
                return held;
            }
            catch (final IOException | RuntimeException e)
            {
                channel.close();
                throw e;
            }
        }
        finally
        {
            synchronized (HELD)
            {
                TAKING.remove(key);
                if (held != null)
                {
                    HELD.put(key, held);
                }
                HELD.notifyAll();
            }
        }
    }

    /**
     * With HELD's monitor held: waits until no thread of this JVM is taking the lock of {@code key} (at most the probe
     * wait), since opening its file meanwhile could drop the lock just taken, and what that thread ends up with
     * decides the answer.
     */
    private static void awaitNotTaking(final Path key)
    {
        boolean interrupted = false;
        while (TAKING.contains(key))
        {
            try
            {
                HELD.wait();
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String refusal(final Path directory, final String where)
    {
        return "a journal writer of " + where + " has " + directory.toAbsolutePath() + " open, and a journal has " +
            "one writer at a time (a second would overwrite the first one's records); close that journal (or stop " +
            "that process) first, or give this one a directory of its own";
    }

    /**
     * @return true if a writer holds the lock of the journal in {@code directory}, in this process or another (in
     *     another, a claim counts too: it cannot be told apart); false if none does, or the journal has no lock file
     *     (written before writers took one) or it cannot be opened for writing (a read-only copy: nobody writes it
     *     through this file system either).
     */
    public static boolean held(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file))
        {
            return false;
        }
        synchronized (HELD)
        {
            try
            {
                final Path key = directory.toRealPath();
                awaitNotTaking(key);
                final Held own = HELD.get(key);
                if (own != null)
                {
                    return own.writing;
                }
            }
            catch (final IOException e)
            {
                return false;
            }
            // this JVM holds no lock on the file and takes none meanwhile (HELD and TAKING are checked and kept under
            // the same monitor), so closing the probe's descriptor drops no one's
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
    }

    @Override
    public void close() throws IOException
    {
        synchronized (HELD)
        {
            if (done)
            {
                return;
            }
            done = true;
            if (!writer)
            {
                held.claimOpen = false;
            }
            if (HELD.get(held.key) != held)
            {
                return;
            }
            if (held.writing && !writer)
            {
                return; // a claim a journal took over: the journal's close releases the lock
            }
            HELD.remove(held.key);
            try
            {
                held.lock.release();
            }
            finally
            {
                held.channel.close();
            }
        }
    }

    /**
     * Closes the lock of a journal that failed to open. If it took over a claim that is still open, the lock goes back
     * to that claim, held and not written: the claim's holder still counts on no other process recovering the journal
     * (it may open it again, or closes the claim). Otherwise the lock is released, as by {@link #close}.
     */
    public void closeFailedOpen() throws IOException
    {
        synchronized (HELD)
        {
            if (!done && writer && held.claimOpen && HELD.get(held.key) == held)
            {
                done = true;
                held.writing = false;
                return;
            }
        }
        close();
    }
}
