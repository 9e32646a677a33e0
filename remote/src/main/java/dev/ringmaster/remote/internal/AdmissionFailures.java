package dev.ringmaster.remote.internal;

/**
 * How the dispatcher tells a host's own faults, for which it is refused, from causes that pass, for which it waits,
 * when its agents cannot all be added; stateless.
 */
final class AdmissionFailures
{
    private AdmissionFailures()
    {
    }

    /**
     * @return whether adding an agent failed for a cause that passes without the host changing anything: the
     *     dispatcher not running (not started yet; or stopping, in a race with the state check before adding, which
     *     the next try refuses), or its slots full (other agents may leave). Core gives these no exception type of
     *     their own: its wording is matched.
     */
    static boolean passing(final Throwable cause)
    {
        final String message = String.valueOf(cause.getMessage());
        return cause instanceof IllegalStateException && message.contains("dispatcher is not running")
            || cause instanceof IllegalArgumentException && message.contains("slots one dispatcher supports");
    }

    /** @return why a dispatcher past RUNNING (draining, stopping, shut down) refuses a host. */
    static String stopping(final dev.ringmaster.dispatch.DispatcherState state)
    {
        return "the dispatcher is " + (state == dev.ringmaster.dispatch.DispatcherState.DRAINING ? "draining"
            : "shutting down or shut down") + " (" + state + ") and admits no new agent hosts";
    }

    /** @return how the host fixes the fault {@code failure} describes. */
    static String fixFor(final String failure)
    {
        if (failure.contains("admits no new agent hosts"))
        {
            return "start this host again once a dispatcher is running";
        }
        if (failure.contains("duplicate agent id"))
        {
            return "fix: give every agent an id no other host or local agent of this dispatcher uses (the agent-host "
                + "command appends @HOST_ID to its agents' ids, so give each host its own --host-id), then restart "
                + "this host";
        }
        return "fix the host's agents as the reason says, then restart this host";
    }
}
