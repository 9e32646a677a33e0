package dev.ringmaster.admin.internal;

/**
 * A request that cannot be served, with the HTTP status, what went wrong and what to do about it; immutable, thrown
 * and caught on an admin server thread.
 */
public final class ApiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String fix;

    public ApiException(final int status, final String error, final String fix)
    {
        super(error, null, false, false);
        this.status = status;
        this.fix = fix;
    }

    public int status()
    {
        return status;
    }

    public String fix()
    {
        return fix;
    }
}
