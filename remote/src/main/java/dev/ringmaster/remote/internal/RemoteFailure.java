package dev.ringmaster.remote.internal;

/**
 * Why a remote attempt failed on the dispatcher's side of the wire, or the failure a host reported; immutable and
 * shared, without a stack trace (it would only show the poller or a worker).
 */
public final class RemoteFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public static final RemoteFailure HOST_LOST =
        new RemoteFailure("agent host given up (silent past its timeout, or restarted); retried elsewhere");
    public static final RemoteFailure NOT_CONNECTED =
        new RemoteFailure("agent host not connected (Aeron publication not connected or closed); retried elsewhere");
    public static final RemoteFailure TABLE_FULL =
        new RemoteFailure("too many attempts in flight on agent hosts; retried later");

    public RemoteFailure(final String message)
    {
        super(message, null, false, false);
    }

    @Override
    public String toString()
    {
        return getMessage();
    }
}
