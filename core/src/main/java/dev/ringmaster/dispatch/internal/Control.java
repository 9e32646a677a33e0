package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Run state shared by the dispatcher facade, the router and the workers; every field is volatile and each has one
 * writer named beside it.
 */
public final class Control
{
    public static final int NEW = 0;
    public static final int RUNNING = 1;
    public static final int DRAINING = 2;
    public static final int STOPPING = 3;
    public static final int TERMINATED = 4;

    /** Written by the facade (start, drain, shutdownNow, termination). */
    public volatile int runState = NEW;
    private static final VarHandle RUN_STATE;

    static
    {
        try
        {
            RUN_STATE = MethodHandles.lookup().findVarHandle(Control.class, "runState", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @return the run state's name for messages: "stopping", not "state 3". */
    public static String nameOf(final int state)
    {
        return switch (state)
        {
            case NEW -> "not started";
            case RUNNING -> "running";
            case DRAINING -> "draining";
            case STOPPING -> "stopping";
            case TERMINATED -> "terminated";
            default -> "state " + state;
        };
    }

    /** Lifecycle transitions race (start, drain and shutdownNow from different threads): a CAS orders them. */
    public boolean compareAndSetRunState(final int expected, final int next)
    {
        return RUN_STATE.compareAndSet(this, expected, next);
    }

    /** Written by the facade once nothing is outstanding: router and workers exit their loops. */
    public volatile boolean exit;
    /** Written by the router once it has cancelled every queued task after shutdownNow. */
    public volatile List<Task> cancelledAtShutdown;
    /** Written by the router at shutdownNow's sweep, before {@link #cancelledAtShutdown}: the adapters' stops. */
    volatile java.util.concurrent.CompletableFuture<Void> adaptersStopped;
}
