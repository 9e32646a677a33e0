package dev.ringmaster.dispatch;

/** The lifecycle of a dispatcher, in order; immutable. */
public enum DispatcherState
{
    /** Built, not started: submissions are refused. */
    NEW,
    /** Accepting and dispatching. */
    RUNNING,
    /** Accepting no more; finishing everything accepted. */
    DRAINING,
    /** Shut down now: what had not started is cancelled, running tasks finish. */
    STOPPING,
    /** Nothing outstanding; threads stopped. */
    TERMINATED
}
