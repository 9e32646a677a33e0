package dev.ringmaster.journal;

import java.nio.file.Path;

/**
 * A journal file that cannot be read past some point (truncated, overwritten, or not a journal); immutable. The
 * message names the file, the position and what is wrong; every record before it was delivered.
 */
public final class JournalCorruptException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long index;
    /** The message after "corrupt journal file F at index X: ", for {@link #withMore}. */
    private final String detail;

    public JournalCorruptException(final Path file, final long index, final String problem, final Throwable cause)
    {
        this(file, index, problem + "; the records before it were read", cause, true);
    }

    private JournalCorruptException(final Path file, final long index, final String message, final Throwable cause,
                                    final boolean ignored)
    {
        super("corrupt journal file " + file + (index >= 0 ? " at index 0x" + Long.toHexString(index) : "") + ": " +
            message, cause);
        this.file = file;
        this.index = index;
        this.detail = message;
    }

    /**
     * @return this damage, saying that {@code more} further checks failed right after it with no readable record
     *     between: one damaged place, reported once.
     */
    JournalCorruptException withMore(final int more)
    {
        return more == 0 ? this : new JournalCorruptException(file, index, detail + " (with " + more + " more " +
            "unreadable record(s) right after it, in the same damaged region)", getCause(), true);
    }

    /**
     * @return this damage, saying which documents reading skipped to get past it and where it resumed
     *     ({@code skipped} null: none, the damaged document was read whole)
     */
    JournalCorruptException withSkipped(final String skipped)
    {
        return skipped == null ? this : new JournalCorruptException(file, index, detail + "; " + skipped, getCause(),
            true);
    }

    /** @return damage found by the check before reading: nothing was read, so nothing is said to have been. */
    static JournalCorruptException beforeReading(final Path file, final String problem, final Throwable cause)
    {
        return new JournalCorruptException(file, -1, problem + " (found before reading; nothing was read)", cause, true);
    }

    /** @return the cycle file that holds the damage, or the directory when the file is unknown. */
    public Path file()
    {
        return file;
    }

    /** @return the Chronicle index of the bad record, -1 if unknown. */
    public long index()
    {
        return index;
    }
}
