package dev.ringmaster.dispatch.internal;

/**
 * How long the dispatcher's threads spin, yield and park when idle, and how long a worker leaves its completions for
 * the routing role's next holder: constants read once at class load from {@code -Dringmaster.*} properties, for
 * measurements (core/README.md, "Waiting"). Immutable; any thread.
 */
final class Waiting
{
    /** Idle back-off of the router thread: spin, then yield until this long after the last work, then park. */
    static final long ROUTER_SPIN_NANOS = Long.getLong("ringmaster.routerSpinNanos", 1_000);
    static final long ROUTER_YIELD_NANOS = Long.getLong("ringmaster.routerYieldNanos", 20_000);
    /** The router thread's longest sleep with nothing timed due: a backstop (work and timers wake it), no wake-ups. */
    static final long ROUTER_MAX_PARK_NANOS = 50_000_000L;
    /**
     * Idle back-off of the workers: yield for up to 200 us before parking, so a stream of 50k tasks/s or more (20 us
     * apart, 40 us per worker with two) never parks a worker between tasks.
     */
    static final long WORKER_SPIN_NANOS = Long.getLong("ringmaster.workerSpinNanos", 2_000);
    static final long WORKER_YIELD_NANOS = Long.getLong("ringmaster.workerYieldNanos", 200_000);
    /**
     * How long a worker leaves its own completions for the next holder of the routing role (a submitter's next task
     * folds them in) before it takes the role for them itself; well below the yield window, so they are folded
     * before the worker parks. 0 folds them at the end of every duty cycle.
     */
    static final long WORKER_FOLD_DELAY_NANOS = Long.getLong("ringmaster.workerFoldDelayNanos", 50_000);

    private Waiting()
    {
    }
}
