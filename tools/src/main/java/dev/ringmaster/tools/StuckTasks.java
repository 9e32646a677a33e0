package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.Priority;
import dev.ringmaster.spi.AgentView;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why serve's drain cannot finish: the tasks waiting for a type that is paused, or that has no agent left to take
 * them (all drained or removed), which no amount of waiting runs. Stateless; reads the dispatcher's figures on the
 * calling thread.
 */
final class StuckTasks
{
    private StuckTasks()
    {
    }

    /**
     * @return per type whose waiting tasks cannot run, e.g. "680 of type researcher, which is paused (...)", joined by
     *     "; "; empty when every waiting task has a type that serves.
     */
    static String causes(final Dispatcher dispatcher)
    {
        final Map<String, Integer> agents = new HashMap<>();
        for (final AgentView a : dispatcher.agents())
        {
            if (!a.draining()) // a draining agent takes no new task: it does not count as serving the type
            {
                agents.merge(a.spec().type(), 1, Integer::sum);
            }
        }
        final Map<String, Boolean> paused = dispatcher.types();
        final List<String> causes = new ArrayList<>();
        for (final Map.Entry<String, Map<Priority, Long>> e : dispatcher.queueDepthByType().entrySet())
        {
            final long waiting = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            final String type = e.getKey();
            if (waiting == 0)
            {
                continue;
            }
            if (Boolean.TRUE.equals(paused.get(type)))
            {
                causes.add(String.format(Locale.ROOT, "%,d of type %s, which is paused (resume it: 'ringmaster admin " +
                    "resume --type %s', or they are cancelled at shutdown)", waiting, type, type));
            }
            else if (agents.getOrDefault(type, 0) == 0)
            {
                causes.add(String.format(Locale.ROOT, "%,d of type %s, which has no agent (its agents were drained or " +
                    "removed: add one with 'ringmaster admin add-agent' or 'admin scale', or they are cancelled at " +
                    "shutdown)", waiting, type));
            }
        }
        return String.join("; ", causes);
    }

    /**
     * @param journalDir the journal, or null.
     * @return the error line of a drain that timed out with {@code outstanding} tasks, with their causes and, with a
     *     journal, that the cancelled ones stay open in it.
     */
    static String timedOut(final Dispatcher dispatcher, final int outstanding, final long seconds,
                           final Path journalDir)
    {
        final String causes = causes(dispatcher);
        return String.format(Locale.ROOT, "error: %,d task(s) still outstanding after %d s; cancelling them", outstanding,
            seconds) + (causes.isEmpty() ? "" : ": " + causes) + (journalDir == null ? "" :
            ". The shutdown's cancel does not end them in the journal: they stay open in " + journalDir +
                ", and 'ringmaster recover " + journalDir + "' or the next serve on it dispatches them again");
    }
}
