package dev.ringmaster.delegation;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Makes the one daemon timer thread a delegation model owns when the caller supplies none; stateless. */
final class TimerThreads
{
    private TimerThreads()
    {
    }

    /**
     * @param name the thread's name, e.g. "ringmaster-hedger".
     * @return a single-thread scheduler that drops cancelled timers at once: most of a delegation model's timers are
     *     cancelled (the first copy answered, the batch filled), and keeping them queued until they expire is waste.
     */
    static ScheduledExecutorService daemon(final String name)
    {
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r ->
        {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
