package dev.ringmaster.journal;

/** A journal that cannot be opened or used (missing directory, no cycle files, I/O failure); immutable. */
public class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public JournalException(final String message)
    {
        super(message);
    }

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
