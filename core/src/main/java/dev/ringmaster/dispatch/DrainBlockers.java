package dev.ringmaster.dispatch;

import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why a {@link Dispatcher#drain} cannot finish: the accepted tasks waiting for a type that is paused, or that has no
 * agent to take them, which no amount of waiting runs (a drain cannot dead-letter them early: a remote host may join
 * meanwhile, or an operator resume the type). Stateless and thread-safe; reads the dispatcher's figures (approximate
 * while tasks flow) on the calling thread.
 */
public final class DrainBlockers
{
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private DrainBlockers()
    {
    }

    /** Why a type's waiting tasks cannot run now. */
    public enum Cause
    {
        /** The type is paused: {@link Dispatcher#resumeType} runs them. */
        PAUSED,
        /** No agent of the type takes new tasks (none left, or all draining): {@link Dispatcher#addAgent} runs them. */
        NO_AGENT
    }

    /** The {@code tasks} waiting for {@code type} that cannot run now, and why; immutable, any thread. */
    public record Blocker(String type, Cause cause, long tasks)
    {
    }

    /**
     * @return one entry per type whose waiting tasks cannot run now, in no particular order; empty when every waiting
     *     task has a type that serves. For a caller that words the causes and fixes itself (a command line, say).
     */
    public static List<Blocker> of(final Dispatcher dispatcher)
    {
        final Map<String, Integer> agents = new HashMap<>();
        for (final AgentView a : dispatcher.agents())
        {
            if (!a.draining()) // a draining agent takes no new task: it does not serve the type
            {
                agents.merge(a.spec().type(), 1, Integer::sum);
            }
        }
        final Map<String, Boolean> paused = dispatcher.types();
        final List<Blocker> blockers = new ArrayList<>();
        for (final Map.Entry<String, Map<Priority, Long>> e : dispatcher.queueDepthByType().entrySet())
        {
            final long waiting = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            final String type = e.getKey();
            if (waiting > 0 && Boolean.TRUE.equals(paused.get(type)))
            {
                blockers.add(new Blocker(type, Cause.PAUSED, waiting));
            }
            else if (waiting > 0 && agents.getOrDefault(type, 0) == 0)
            {
                blockers.add(new Blocker(type, Cause.NO_AGENT, waiting));
            }
        }
        return blockers;
    }

    /**
     * @return one entry per type whose waiting tasks cannot run now, with its count and the fix, e.g. "paused type
     *     researcher: 680 task(s) (resume it with resumeType("researcher"), or shutdownNow cancels them)", joined by
     *     "; "; empty when every waiting task has a type that serves.
     */
    public static String causes(final Dispatcher dispatcher)
    {
        final List<String> causes = new ArrayList<>();
        for (final Blocker b : of(dispatcher))
        {
            causes.add(b.cause() == Cause.PAUSED ?
                String.format(Locale.ROOT, "paused type %s: %,d task(s) (resume it with resumeType(\"%s\"), " +
                    "or shutdownNow cancels them)", b.type(), b.tasks(), b.type()) :
                String.format(Locale.ROOT, "no agent of type %s: %,d task(s) (add one with addAgent, or " +
                    "shutdownNow cancels them)", b.type(), b.tasks()));
        }
        return String.join("; ", causes);
    }

    /**
     * @return the warning for a drain that returned false after {@code timeout}: how many tasks are outstanding, the
     *     ones that cannot run now by cause ({@link #causes}), and what holds the rest.
     */
    public static String timedOut(final Dispatcher dispatcher, final Duration timeout)
    {
        final long outstanding = dispatcher.outstanding();
        final DispatcherState state = dispatcher.state();
        if (outstanding == 0)
        {
            return String.format(Locale.ROOT, "drain did not finish within %,d ms, though every task has ended: a " +
                "dispatcher thread is still inside a call (an attempt given up at its timeout, or a callback), or an " +
                "adapter's stop() has not returned (state %s); call shutdownNow, which stops the adapters (a stop() may " +
                "be what lets a hung call return), then awaitTermination", timeout.toMillis(), state);
        }
        final String causes = causes(dispatcher);
        return String.format(Locale.ROOT, "drain did not finish within %,d ms: %,d task(s) still outstanding; ", timeout.toMillis(),
            outstanding) + (causes.isEmpty() ? "" : "these cannot run now: " + causes + ". ") +
            "Tasks of a type that serves are queued, retrying or running (an attempt with no timeout whose adapter " +
            "never answers holds the drain); " + (state == DispatcherState.DRAINING ? "the dispatcher stays DRAINING: " +
            "fix the causes and drain again, or call shutdownNow to cancel what has not started" : "the dispatcher is " +
            state + ": shutdownNow has cancelled what had not started, and awaitTermination waits for the rest");
    }

    /** Logs {@link #timedOut} as a warning; @return false, what the drain returns. */
    static boolean logTimedOut(final Dispatcher dispatcher, final Duration timeout)
    {
        LOG.warn("{}", timedOut(dispatcher, timeout));
        return false;
    }
}
