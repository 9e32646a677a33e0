package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link Inbox} whose records are recycled as fast as they are run, as the pool does at saturation: a thief that
 * read a record from a cell may claim it after its owner took it, ran it, and the router put it back for another task.
 * The thief must neither fail on the cleared record (a NullPointerException in {@code Worker.steal} under JMH's
 * {@code SubmitToCompletionThroughput}, a user's trial) nor keep a task its checks were not about: here a thief without
 * skills must never get a task that requires one. Every task is claimed exactly once. Seeded; a failure replays with
 * the seed in its message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InboxRecycleStressTest
{
    private static final int CELLS = 4;
    private static final int TASKS = 300_000;
    private static final long SKILL = 0b1;

    @Test
    void aThiefNeverFailsOnARecycledRecordNorKeepsATaskItsChecksWereNotAbout() throws Exception
    {
        final long seed = 0x5EEDL;
        final Inbox inbox = new Inbox(CELLS);
        final Semaphore room = new Semaphore(CELLS); // the router's accounting: at most CELLS records live
        final ConcurrentLinkedQueue<TaskRecord> free = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < CELLS + 2; i++)
        {
            free.add(new TaskRecord());
        }
        final Task[] tasks = new Task[TASKS];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < TASKS; i++)
        {
            tasks[i] = Task.builder("coder").id(i).requiredSkillMask(random.nextInt(2) == 0 ? SKILL : 0).build();
        }
        final boolean[] claimed = new boolean[TASKS];
        final AtomicLong claims = new AtomicLong();
        final AtomicLong stolen = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        final Thread router = thread("router", failure, () ->
        {
            for (int i = 0; i < TASKS; i++)
            {
                room.acquire();
                TaskRecord r;
                while ((r = free.poll()) == null)
                {
                    Thread.onSpinWait();
                }
                r.task = tasks[i];
                r.sequence = i;
                r.urgency = TaskRecord.urgencyOf(i & 3, i);
                inbox.put(r);
            }
        });
        final Thread owner = thread("owner", failure, () ->
        {
            // until every task is claimed: the size may read 0 while a thief gives a record back
            while (claims.get() < TASKS && failure.get() == null)
            {
                final TaskRecord r = inbox.takeMostUrgent();
                if (r != null)
                {
                    finish(r, claimed, claims, free, room);
                }
            }
        });
        final Thread thief = thread("thief", failure, () ->
        {
            while (claims.get() < TASKS && failure.get() == null)
            {
                final TaskRecord r = inbox.stealLeastUrgent(0L);
                if (r != null)
                {
                    assertThat(r.task.requiredSkills()).as("seed %x: a task the thief's skills do not cover", seed)
                        .isZero();
                    stolen.incrementAndGet();
                    finish(r, claimed, claims, free, room);
                }
            }
        });
        router.join(TimeUnit.SECONDS.toMillis(45));
        assertThat(router.isAlive()).as("the router put every task").isFalse();
        owner.join(TimeUnit.SECONDS.toMillis(5));
        thief.join(TimeUnit.SECONDS.toMillis(5));

        assertThat(failure.get()).as("seed %x", seed).isNull();
        assertThat(claims.get()).as("every task claimed exactly once").isEqualTo(TASKS);
        assertThat(stolen.get()).as("the thief took part").isPositive();
        assertThat(inbox.size()).isZero();
    }

    /** Runs the task (nothing to do) and recycles its record, as a completion's fold does. */
    private static void finish(final TaskRecord r, final boolean[] claimed, final AtomicLong claims,
                               final ConcurrentLinkedQueue<TaskRecord> free, final Semaphore room)
    {
        final int id = (int)r.task.id();
        synchronized (claimed)
        {
            assertThat(claimed[id]).as("task %d claimed twice", id).isFalse();
            claimed[id] = true;
        }
        claims.incrementAndGet();
        r.clear();
        free.add(r);
        room.release();
    }

    private static Thread thread(final String name, final AtomicReference<Throwable> failure, final Body body)
    {
        final Thread t = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable e)
            {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A thread's work, which may throw. */
    @FunctionalInterface
    private interface Body
    {
        void run() throws Exception;
    }
}
