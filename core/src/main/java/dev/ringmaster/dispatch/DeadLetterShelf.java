package dev.ringmaster.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The dead letters an operator took off the list (requeued or purged), so that {@link Dispatcher#deadLetters()} no
 * longer shows them and a letter is requeued at most once; any thread, operator calls only (never the dispatch path,
 * so one monitor is acceptable here).
 *
 * <p>The engine's log stays append-only: this keeps the letters taken, by identity, and forgets those the log has
 * dropped, so it never holds more than the log does.
 */
final class DeadLetterShelf
{
    private final Supplier<List<DeadLetter>> log;
    private final Set<DeadLetter> taken = Collections.newSetFromMap(new IdentityHashMap<>());

    DeadLetterShelf(final Supplier<List<DeadLetter>> log)
    {
        this.log = log;
    }

    synchronized List<DeadLetter> shown()
    {
        final List<DeadLetter> all = log.get();
        final Set<DeadLetter> present = Collections.newSetFromMap(new IdentityHashMap<>());
        present.addAll(all);
        taken.retainAll(present);
        final List<DeadLetter> out = new ArrayList<>(all.size());
        for (final DeadLetter d : all)
        {
            if (!taken.contains(d))
            {
                out.add(d);
            }
        }
        return out;
    }

    synchronized int purge()
    {
        final List<DeadLetter> shown = shown();
        taken.addAll(shown);
        return shown.size();
    }

    /**
     * Takes every shown letter of the task off the list, then submits the newest one's task again; if the dispatcher
     * refuses it, the letters go back on the list, so a refused requeue loses nothing.
     */
    synchronized SubmitStatus requeue(final long taskId, final java.util.function.Function<DeadLetter, SubmitStatus> submit)
    {
        final List<DeadLetter> mine = new ArrayList<>();
        for (final DeadLetter d : shown())
        {
            if (d.task().id() == taskId)
            {
                mine.add(d);
            }
        }
        if (mine.isEmpty())
        {
            throw new IllegalArgumentException("no dead letter has task id " + taskId +
                " (requeued or purged already, or never dead-lettered)");
        }
        taken.addAll(mine);
        final SubmitStatus status = submit.apply(mine.get(mine.size() - 1));
        if (!status.accepted())
        {
            mine.forEach(taken::remove);
        }
        return status;
    }
}
