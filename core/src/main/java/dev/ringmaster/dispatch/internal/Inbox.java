package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Task;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An agent's short inbox of assigned, not yet started tasks: written only by the router, taken from by the owning
 * worker (most urgent first) and by thieves (least urgent first), each claim a CAS on one cell.
 *
 * <p>The router never puts more tasks than the agent's capacity plus prefetch, which is the number of cells, so a put
 * always finds an empty cell. Scans are O(cells), a handful by design (late binding keeps inboxes short).
 */
final class Inbox
{
    private final AtomicReferenceArray<TaskRecord> cells;
    private final AtomicInteger size = new AtomicInteger();
    /**
     * Where the router's next put starts looking, just past its last one (router only). Why: the owner takes the most
     * urgent task, which within a level is the oldest, so the cells free up in the order they were filled; a put that
     * always scanned from cell 0 read most of a full inbox's cells, lines the taking worker keeps writing (an eighth
     * of the router's samples at saturation), where this one usually finds the next cell free.
     */
    private int nextPut;

    Inbox(final int cells)
    {
        this.cells = new AtomicReferenceArray<>(cells);
    }

    int size()
    {
        return size.get();
    }

    /**
     * @return true if a task with this id waits here now (a racy scan, for rare control commands). The task is read
     *     once: a record read from a cell may be claimed, run and recycled (its task cleared) while this looks at it.
     */
    boolean contains(final long taskId)
    {
        for (int i = 0, n = cells.length(); i < n; i++)
        {
            final TaskRecord r = cells.get(i);
            final Task task = r == null ? null : r.task;
            if (task != null && task.id() == taskId)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the task with this id, claimed, or null if it is not here (any thread; the CAS decides races). */
    TaskRecord take(final long taskId)
    {
        for (int i = 0, n = cells.length(); i < n; i++)
        {
            final TaskRecord r = cells.get(i);
            final Task task = r == null ? null : r.task;
            if (task != null && task.id() == taskId && cells.compareAndSet(i, r, null))
            {
                size.decrementAndGet();
                if (r.task == task)
                {
                    return r;
                }
                giveBack(r); // recycled for another task between the read and the claim
            }
        }
        return null;
    }

    /**
     * Puts back a record claimed for a task it no longer holds: between a thief's scan and its claim, the record was
     * taken, run, recycled and put here again for another task, which the scan's checks (skills, target, avoidance)
     * were not about. Its agent still counts it, so a cell is free for it: the router never puts more than the
     * agent's capacity plus prefetch, the number of cells, and this record is one of them (the router's own
     * {@link #put} relies on the same count).
     */
    private void giveBack(final TaskRecord r)
    {
        size.incrementAndGet(); // first, as put does: a taker that sees the record has seen the count
        while (true)
        {
            for (int i = 0, n = cells.length(); i < n; i++)
            {
                if (cells.get(i) == null && cells.compareAndSet(i, null, r))
                {
                    return;
                }
            }
            Thread.onSpinWait(); // every cell taken by a put racing this one: one frees as soon as its owner takes it
        }
    }

    /**
     * Router only, which is the only thread that puts: a record seen in a cell cannot have been recycled and put back
     * meanwhile, so the CAS claims the very task whose TTL was read. @return a task whose TTL passed by
     * {@code nowNanos}, claimed, or null.
     */
    TaskRecord takeExpired(final long nowNanos)
    {
        for (int i = 0, n = cells.length(); i < n; i++)
        {
            final TaskRecord r = cells.get(i);
            if (r != null && r.expiredAt(nowNanos) && cells.compareAndSet(i, r, null))
            {
                size.decrementAndGet();
                return r;
            }
        }
        return null;
    }

    /** Router only. */
    void put(final TaskRecord record)
    {
        final AtomicReferenceArray<TaskRecord> cells = this.cells;
        // size first: a taker that sees the record has already seen the count that includes it, so size never dips below 0
        size.incrementAndGet();
        final int n = cells.length();
        int i = nextPut;
        for (int k = 0; k < n; k++)
        {
            // a compare-and-set, not a store: a thief giving a record back (giveBack) may fill a free cell too, and a
            // store after the null check could overwrite it, losing its task; it publishes the record's fields as the
            // volatile store did
            if (cells.get(i) == null && cells.compareAndSet(i, null, record))
            {
                nextPut = i + 1 == n ? 0 : i + 1;
                return;
            }
            i = i + 1 == n ? 0 : i + 1;
        }
        size.decrementAndGet();
        throw new IllegalStateException("inbox overflow: router assigned more than capacity + prefetch");
    }

    /** @return the most urgent task, claimed, or null if empty. */
    TaskRecord takeMostUrgent()
    {
        final AtomicReferenceArray<TaskRecord> cells = this.cells;
        while (size.get() > 0)
        {
            int best = -1;
            TaskRecord bestRecord = null;
            for (int i = 0, n = cells.length(); i < n; i++)
            {
                final TaskRecord r = cells.get(i);
                if (r != null && (bestRecord == null || r.urgency < bestRecord.urgency))
                {
                    best = i;
                    bestRecord = r;
                }
            }
            if (bestRecord == null)
            {
                return null;
            }
            if (cells.compareAndSet(best, bestRecord, null))
            {
                size.decrementAndGet();
                return bestRecord;
            }
        }
        return null;
    }

    /**
     * @param skillMask the thief's skills.
     * @return the least urgent task whose required skills the thief has and that is addressed to no agent, claimed, or
     *     null.
     */
    TaskRecord stealLeastUrgent(final long skillMask)
    {
        return stealLeastUrgent(skillMask, null, null, null);
    }

    /**
     * As {@link #stealLeastUrgent(long)}, among the tasks {@code guard} lets move from {@code victim} to {@code thief}
     * (any, if it is null); a guard that throws lets the task move.
     */
    TaskRecord stealLeastUrgent(final long skillMask, final dev.ringmaster.spi.StealGuard guard,
                                final dev.ringmaster.spi.AgentView victim, final dev.ringmaster.spi.AgentView thief)
    {
        final AtomicReferenceArray<TaskRecord> cells = this.cells;
        while (size.get() > 0)
        {
            int best = -1;
            TaskRecord bestRecord = null;
            Task bestTask = null;
            for (int i = 0, n = cells.length(); i < n; i++)
            {
                final TaskRecord r = cells.get(i);
                // the task read once: the owner may take, run and recycle the record (clearing it) meanwhile
                final Task task = r == null ? null : r.task;
                if (task != null && (task.requiredSkills() & ~skillMask) == 0 && mayRunOn(task, thief) &&
                    (bestRecord == null || r.urgency > bestRecord.urgency) && movable(guard, r, victim, thief))
                {
                    best = i;
                    bestRecord = r;
                    bestTask = task;
                }
            }
            if (bestRecord == null)
            {
                return null;
            }
            if (cells.compareAndSet(best, bestRecord, null))
            {
                size.decrementAndGet();
                // after the claim the record's fields are its current occupant's: the checks above were about it
                // only if it still holds the task they read; a record recycled for another task meanwhile is kept
                // if the thief may run that one too, and given back only if not (rare twice over)
                final Task now = bestRecord.task;
                if (now == bestTask || now != null && (now.requiredSkills() & ~skillMask) == 0 && mayRunOn(now, thief) &&
                    movable(guard, bestRecord, victim, thief))
                {
                    return bestRecord;
                }
                giveBack(bestRecord);
            }
        }
        return null;
    }

    /**
     * @return whether the task may run on {@code thief} (null: any agent) at all: a task addressed to an agent runs
     *     there only, and one that avoids an agent never runs on it, as routing would have decided.
     */
    static boolean mayRunOn(final Task task, final dev.ringmaster.spi.AgentView thief)
    {
        return task.targetAgent() == null && (thief == null || !thief.id().equals(task.avoidAgent()));
    }

    /** @return whether {@code guard} (null: none) lets the task move from victim to thief; a guard that throws does. */
    static boolean movable(final dev.ringmaster.spi.StealGuard guard, final TaskRecord r,
                           final dev.ringmaster.spi.AgentView victim, final dev.ringmaster.spi.AgentView thief)
    {
        if (guard == null)
        {
            return true;
        }
        try
        {
            return guard.mayMove(r, victim, thief);
        }
        catch (final Throwable t) // embedding code: a fault leaves stealing as it is without a guard
        {
            return true;
        }
    }
}
