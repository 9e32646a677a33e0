package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.Task;
import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jetbrains.lincheck.datastructures.verifier.EpsilonVerifier;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;


/**
 * Lincheck: an agent's {@link Inbox}. The router puts, the owning worker takes the most urgent task, thieves (other
 * workers) steal the least urgent one their skills allow, a control command takes one by id; every put record is
 * claimed exactly once and the size never goes negative, whatever the interleaving.
 *
 * <p>Two checks. Once the router has filled the inbox, the claims are linearizable against a sorted set
 * ({@link UrgencyOrder}). While the router still puts, they are not, by design: a scan is no snapshot, so it can miss
 * a record put behind it and return a less urgent one (or nothing, for one pass); there the check is the invariants
 * alone (exactly once, size), after every operation and at the end.
 */
class InboxLincheckTest
{
    /** The records, in put order: index = task id; urgency is not put order; record 2 needs a skill. */
    static final TaskRecord[] RECORDS = {record(0, 2), record(1, 0), record(2, 3, 0b10), record(3, 1)};
    static final long ALL_SKILLS = ~0L;
    static final long NO_SKILLS = 0L;

    @Test
    void onceFilledTheOwnerTakesTheMostUrgentAndThievesTheLeastUrgentTheyCanRun()
    {
        filled().check(FilledInbox.class);
    }

    @Test
    void catchesAClaimThatReadsThenClears()
    {
        ModelChecks.assertFails(filled(), FilledReadThenClear.class);
    }

    @Test
    void whileTheRouterPutsEveryRecordIsClaimedExactlyOnce()
    {
        racingTheRouter().check(RouterRacingInbox.class);
    }

    @Test
    void catchesADoubleClaimWhileTheRouterPuts()
    {
        ModelChecks.assertFails(racingTheRouter(), RouterRacingReadThenClear.class);
    }

    private static ModelCheckingOptions filled()
    {
        return ModelChecks.modelChecking().invocationsPerIteration(200).sequentialSpecification(UrgencyOrder.class);
    }

    private static ModelCheckingOptions racingTheRouter()
    {
        return ModelChecks.modelChecking().invocationsPerIteration(200).verifier(EpsilonVerifier.class);
    }

    private static TaskRecord record(final int id, final int level, final long skills)
    {
        final TaskRecord r = new TaskRecord();
        r.task = Task.builder("coder").id(id).requiredSkillMask(skills).build();
        r.level = level;
        r.sequence = id;
        r.urgency = TaskRecord.urgencyOf(level, id);
        return r;
    }

    private static TaskRecord record(final int id, final int level)
    {
        return record(id, level, 0);
    }

    /** Which record a claim wants: the lowest rank wins, {@link Long#MAX_VALUE} rules a record out. */
    static final ToLongFunction<TaskRecord> MOST_URGENT = r -> r.urgency;

    static ToLongFunction<TaskRecord> leastUrgentFor(final long skillMask)
    {
        return r -> (r.task.requiredSkills() & ~skillMask) == 0 ? -r.urgency : Long.MAX_VALUE;
    }

    static ToLongFunction<TaskRecord> withId(final long taskId)
    {
        return r -> r.task.id() == taskId ? 0 : Long.MAX_VALUE;
    }

    /** @return the index of the best-ranked record among {@code candidates} (null entries are absent), -1 if none. */
    static int best(final IntFunction<TaskRecord> candidates, final ToLongFunction<TaskRecord> rank)
    {
        int found = -1;
        long foundRank = Long.MAX_VALUE;
        for (int i = 0; i < RECORDS.length; i++)
        {
            final TaskRecord r = candidates.apply(i);
            if (r != null && rank.applyAsLong(r) < foundRank)
            {
                found = i;
                foundRank = rank.applyAsLong(r);
            }
        }
        return found;
    }

    /** What the operations drive: the real inbox, or a broken copy of its claim. */
    interface Cells
    {
        void put(TaskRecord r);

        TaskRecord takeMostUrgent();

        TaskRecord stealLeastUrgent(long skillMask);

        TaskRecord take(long taskId);

        int size();
    }

    static Cells real()
    {
        final Inbox inbox = new Inbox(RECORDS.length);
        return new Cells()
        {
            @Override
            public void put(final TaskRecord r)
            {
                inbox.put(r);
            }

            @Override
            public TaskRecord takeMostUrgent()
            {
                return inbox.takeMostUrgent();
            }

            @Override
            public TaskRecord stealLeastUrgent(final long skillMask)
            {
                return inbox.stealLeastUrgent(skillMask);
            }

            @Override
            public TaskRecord take(final long taskId)
            {
                return inbox.take(taskId);
            }

            @Override
            public int size()
            {
                return inbox.size();
            }
        };
    }

    /**
     * The claiming operations and the exactly-once bookkeeping; the records {@code [0, put)} are in the inbox or
     * claimed. Operations return the claimed record's index, -1 for none.
     */
    public abstract static class Claims
    {
        final Cells cells;
        /** Router-owned: how many records were put. */
        int put;
        private final AtomicIntegerArray claimed = new AtomicIntegerArray(RECORDS.length);
        private volatile String broken;

        Claims(final Cells cells, final int prefilled)
        {
            this.cells = cells;
            while (put < prefilled)
            {
                cells.put(RECORDS[put++]);
            }
        }

        private int claimed(final TaskRecord r)
        {
            if (cells.size() < 0)
            {
                broken = "the size went negative: " + cells.size();
            }
            if (r == null)
            {
                return -1;
            }
            final int i = (int)r.task.id();
            if (claimed.incrementAndGet(i) > 1)
            {
                broken = "record " + i + " claimed twice";
            }
            return i;
        }

        @Operation(nonParallelGroup = "owner")
        public int takeMostUrgent()
        {
            return claimed(cells.takeMostUrgent());
        }

        @Operation
        public int steal(@Param(gen = BooleanGen.class) final boolean skilled)
        {
            return claimed(cells.stealLeastUrgent(skilled ? ALL_SKILLS : NO_SKILLS));
        }

        @Operation
        public int take(@Param(gen = IntGen.class, conf = "0:3") final int id)
        {
            return claimed(cells.take(id));
        }

        /** After the operations: what is left is taken, and then every put record was claimed exactly once. */
        @Validate
        public void everyRecordClaimedOnce()
        {
            while (claimed(cells.takeMostUrgent()) >= 0)
            {
                // drain
            }
            if (broken != null)
            {
                throw new IllegalStateException(broken);
            }
            for (int i = 0; i < RECORDS.length; i++)
            {
                if (claimed.get(i) != (i < put ? 1 : 0))
                {
                    throw new IllegalStateException("record " + i + " claimed " + claimed.get(i) + " times, " + put + " put");
                }
            }
            if (cells.size() != 0)
            {
                throw new IllegalStateException("size " + cells.size() + " once every record was claimed");
            }
        }
    }

    /** The router has put every record before the workers start. */
    public static class FilledInbox extends Claims
    {
        public FilledInbox()
        {
            this(real());
        }

        FilledInbox(final Cells cells)
        {
            super(cells, RECORDS.length);
        }
    }

    /** Two records in the inbox, and the router puts the other two while the workers claim. */
    public static class RouterRacingInbox extends Claims
    {
        public RouterRacingInbox()
        {
            this(real());
        }

        RouterRacingInbox(final Cells cells)
        {
            super(cells, 2);
        }

        /** @return the index of the record put, -1 once all are (the router never overfills an inbox). */
        @Operation(nonParallelGroup = "router")
        public int put()
        {
            if (put == RECORDS.length)
            {
                return -1;
            }
            cells.put(RECORDS[put]);
            return put++;
        }
    }

    public static final class FilledReadThenClear extends FilledInbox
    {
        public FilledReadThenClear()
        {
            super(new ReadThenClear());
        }
    }

    public static final class RouterRacingReadThenClear extends RouterRacingInbox
    {
        public RouterRacingReadThenClear()
        {
            super(new ReadThenClear());
        }
    }

    /**
     * Deliberately broken: finds its record like the inbox does, then clears the cell with a plain store instead of a
     * CAS, so two claimers that found the same record both get it.
     */
    static final class ReadThenClear implements Cells
    {
        private final AtomicReferenceArray<TaskRecord> cells = new AtomicReferenceArray<>(RECORDS.length);
        private final AtomicInteger size = new AtomicInteger();

        @Override
        public void put(final TaskRecord r)
        {
            int i = 0;
            while (cells.get(i) != null)
            {
                i++;
            }
            size.incrementAndGet();
            cells.set(i, r);
        }

        /** Claims the record the ranking prefers, with no CAS. */
        private TaskRecord claim(final ToLongFunction<TaskRecord> rank)
        {
            final int found = best(cells::get, rank);
            if (found < 0)
            {
                return null;
            }
            final TaskRecord r = cells.get(found);
            if (r != null)
            {
                cells.set(found, null); // the bug: another claimer may have read the same record since
                size.decrementAndGet();
            }
            return r;
        }

        @Override
        public TaskRecord takeMostUrgent()
        {
            return claim(MOST_URGENT);
        }

        @Override
        public TaskRecord stealLeastUrgent(final long skillMask)
        {
            return claim(leastUrgentFor(skillMask));
        }

        @Override
        public TaskRecord take(final long taskId)
        {
            return claim(withId(taskId));
        }

        @Override
        public int size()
        {
            return size.get();
        }
    }

    /** The specification once filled: a set of records ordered by urgency. */
    public static final class UrgencyOrder
    {
        private final boolean[] present = {true, true, true, true};

        private int claim(final ToLongFunction<TaskRecord> rank)
        {
            final int found = best(i -> present[i] ? RECORDS[i] : null, rank);
            if (found >= 0)
            {
                present[found] = false;
            }
            return found;
        }

        public int takeMostUrgent()
        {
            return claim(MOST_URGENT);
        }

        public int steal(final boolean skilled)
        {
            return claim(leastUrgentFor(skilled ? ALL_SKILLS : NO_SKILLS));
        }

        public int take(final int id)
        {
            return claim(withId(id));
        }
    }
}
