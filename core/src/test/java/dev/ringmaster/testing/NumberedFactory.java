package dev.ringmaster.testing;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A factory of capacity-1 "coder" agents for supervision tests that numbers every adapter it makes and logs their
 * lifecycle in order ("create ID #n", "stop #n", "release ID #n"); adapter #1 never answers, the others answer
 * "ok from #n" at once. Thread-safe: the dispatcher and the autoscaler call it from their own threads.
 */
public final class NumberedFactory implements AgentFactory
{
    public final Queue<String> log = new ConcurrentLinkedQueue<>();
    public final AtomicInteger made = new AtomicInteger();
    /** The completions adapter #1 holds, unanswered. */
    public final Queue<Completion> held = new ConcurrentLinkedQueue<>();
    private final boolean releaseLogged;
    private final boolean releaseThrows;
    private final int failCreate;
    private final boolean failHeldOnStop;

    private NumberedFactory(final boolean releaseLogged, final boolean releaseThrows, final int failCreate,
                            final boolean failHeldOnStop)
    {
        this.releaseLogged = releaseLogged;
        this.releaseThrows = releaseThrows;
        this.failCreate = failCreate;
        this.failHeldOnStop = failHeldOnStop;
    }

    /**
     * @param releaseThrows whether release throws an Error (a plugin whose class is gone) after logging.
     * @return a factory whose adapter #1 hangs until the watchdog crashes it, and which logs each release.
     */
    public static NumberedFactory hanging(final boolean releaseThrows)
    {
        return new NumberedFactory(true, releaseThrows, 0, false);
    }

    /**
     * @param failCreate the number of the create call that throws (0 for none).
     * @return a factory whose adapter #1 holds its tasks until stopped, then fails them; release does nothing.
     */
    public static NumberedFactory holding(final int failCreate)
    {
        return new NumberedFactory(false, false, failCreate, true);
    }

    /** @return adapter number {@code n} as a hanging factory makes it, logging its stop to {@code log}. */
    public static AgentAdapter numbered(final int n, final Queue<String> log)
    {
        return new Numbered(n, log, new ConcurrentLinkedQueue<>(), false);
    }

    @Override
    public String type()
    {
        return "coder";
    }

    @Override
    public AgentSpec spec(final String id)
    {
        return AgentSpec.builder(id, "coder").capacity(1).build();
    }

    @Override
    public AgentAdapter create(final AgentSpec spec)
    {
        final int n = made.incrementAndGet();
        if (n == failCreate)
        {
            throw new IllegalStateException("no room for adapter #" + n);
        }
        log.add("create " + spec.id() + " #" + n);
        return new Numbered(n, log, held, failHeldOnStop);
    }

    @Override
    public void release(final AgentSpec spec, final AgentAdapter adapter)
    {
        if (!releaseLogged)
        {
            return;
        }
        log.add("release " + spec.id() + " #" + ((Numbered)adapter).n);
        if (releaseThrows)
        {
            throw new NoClassDefFoundError("the plugin's connection pool class is gone");
        }
    }

    /** @return how many log entries start with {@code prefix}. */
    public long count(final String prefix)
    {
        return log.stream().filter(e -> e.startsWith(prefix)).count();
    }

    /** Adapter #1 holds every task (so the watchdog crashes it); the others answer at once. Thread-safe. */
    private static final class Numbered implements AgentAdapter
    {
        final int n;
        private final Queue<String> log;
        private final Queue<Completion> held;
        private final boolean failHeldOnStop;

        Numbered(final int n, final Queue<String> log, final Queue<Completion> held, final boolean failHeldOnStop)
        {
            this.n = n;
            this.log = log;
            this.held = held;
            this.failHeldOnStop = failHeldOnStop;
        }

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        {
            if (n == 1)
            {
                held.add(completion);
            }
            else
            {
                completion.succeed("ok from #" + n);
            }
        }

        @Override
        public void stop()
        {
            log.add("stop #" + n);
            if (failHeldOnStop)
            {
                Completion c;
                while ((c = held.poll()) != null)
                {
                    c.fail(new IllegalStateException("stopped"));
                }
            }
        }
    }
}
