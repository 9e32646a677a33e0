package dev.ringmaster.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The dead letters an operator took off the list (requeued or purged), so that {@link Dispatcher#deadLetters()} no
 * longer shows them and a letter is requeued at most once; lock-free, any thread (operator calls only).
 *
 * <p>The engine's log stays append-only: this keeps the letters taken and forgets those the log has dropped, so it
 * never holds more than the log does. A letter is one event (its task, reason, attempt count, agent and time), so
 * record equality tells letters apart.
 */
final class DeadLetterShelf
{
    private final Supplier<List<DeadLetter>> log;
    private final Set<DeadLetter> taken = ConcurrentHashMap.newKeySet();

    DeadLetterShelf(final Supplier<List<DeadLetter>> log)
    {
        this.log = log;
    }

    List<DeadLetter> shown()
    {
        final List<DeadLetter> all = log.get();
        if (!taken.isEmpty())
        {
            taken.retainAll(Set.copyOf(all)); // forget what the bounded log dropped
        }
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

    int purge()
    {
        int purged = 0;
        for (final DeadLetter d : shown())
        {
            if (taken.add(d))
            {
                purged++;
            }
        }
        return purged;
    }

    /**
     * Claims the task's newest listed letter (so two requeues at once submit it once), takes its older ones off the
     * list too, then submits the task again; if the dispatcher refuses it, the letters go back on the list, so a
     * refused requeue loses nothing.
     */
    SubmitStatus requeue(final long taskId, final Function<DeadLetter, SubmitStatus> submit)
    {
        final List<DeadLetter> mine = new ArrayList<>();
        for (final DeadLetter d : shown())
        {
            if (d.task().id() == taskId)
            {
                mine.add(d);
            }
        }
        if (mine.isEmpty() || !taken.add(mine.get(mine.size() - 1)))
        {
            throw new IllegalArgumentException("no dead letter has task id " + taskId +
                " (requeued or purged already, or never dead-lettered)");
        }
        final List<DeadLetter> older = new ArrayList<>();
        for (final DeadLetter d : mine.subList(0, mine.size() - 1))
        {
            if (taken.add(d))
            {
                older.add(d);
            }
        }
        final SubmitStatus status = submit.apply(mine.get(mine.size() - 1));
        if (!status.accepted())
        {
            taken.remove(mine.get(mine.size() - 1));
            older.forEach(taken::remove);
        }
        return status;
    }
}
