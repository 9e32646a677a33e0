package dev.ringmaster.dispatch.internal;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lincheck: {@link Lane#admit}/{@link Lane#release} behave like one counter bounded by the capacity, whatever the
 * interleaving of producers admitting and completers releasing: never more than {@code capacity} admissions held at a
 * level, and no admission refused while there is room.
 */
class LaneAdmissionLincheckTest
{
    static final int CAPACITY = 2;
    static final int LEVEL = 1;

    @Test
    void admissionIsABoundedCounter()
    {
        options().check(RealLane.class);
    }

    @Test
    void catchesAnAdmissionThatChecksThenIncrements()
    {
        ModelChecks.assertFails(options(), CheckThenAct.class);
    }

    @Test
    void catchesARefusalWhileThereIsRoom()
    {
        ModelChecks.assertFails(options(), IncrementThenUndo.class);
    }

    private static ModelCheckingOptions options()
    {
        return ModelChecks.modelChecking().sequentialSpecification(BoundedCounter.class);
    }

    /** The operations, on whatever admission a subclass supplies; a thread releases only admissions it holds. */
    public abstract static class Admissions
    {
        /** Admissions held per Lincheck thread; each slot is touched by its own thread only. */
        private final int[] held = new int[ModelChecks.MAX_THREADS];

        abstract boolean admit();

        abstract void release();

        @Operation
        public boolean admit(@Param(gen = ThreadIdGen.class) final int thread)
        {
            if (admit())
            {
                held[thread]++;
                return true;
            }
            return false;
        }

        /** @return false if this thread held nothing to give back. */
        @Operation
        public boolean release(@Param(gen = ThreadIdGen.class) final int thread)
        {
            if (held[thread] == 0)
            {
                return false;
            }
            held[thread]--;
            release();
            return true;
        }
    }

    /** The lane under test. */
    public static final class RealLane extends Admissions
    {
        private final Lane lane = new Lane("coder", CAPACITY, new AgentState[0], dev.ringmaster.dispatch.Binding.LATE);

        @Override
        boolean admit()
        {
            return lane.admit(LEVEL);
        }

        @Override
        void release()
        {
            lane.release(LEVEL);
        }
    }

    /** Deliberately broken: reads the count, then writes count + 1, so two producers can both take the last place. */
    public static final class CheckThenAct extends Admissions
    {
        private final AtomicInteger outstanding = new AtomicInteger();

        @Override
        boolean admit()
        {
            final int n = outstanding.get();
            if (n >= CAPACITY)
            {
                return false;
            }
            outstanding.set(n + 1);
            return true;
        }

        @Override
        void release()
        {
            outstanding.decrementAndGet();
        }
    }

    /** Deliberately broken the way {@code Lane.admit} once was: increments, then undoes if the level was full. */
    public static final class IncrementThenUndo extends Admissions
    {
        private final AtomicInteger outstanding = new AtomicInteger();

        @Override
        boolean admit()
        {
            if (outstanding.incrementAndGet() > CAPACITY)
            {
                outstanding.decrementAndGet();
                return false;
            }
            return true;
        }

        @Override
        void release()
        {
            outstanding.decrementAndGet();
        }
    }

    /** The specification: one counter, bounded by the capacity. */
    public static final class BoundedCounter
    {
        private int outstanding;
        private final int[] held = new int[ModelChecks.MAX_THREADS];

        public boolean admit(final int thread)
        {
            if (outstanding == CAPACITY)
            {
                return false;
            }
            outstanding++;
            held[thread]++;
            return true;
        }

        public boolean release(final int thread)
        {
            if (held[thread] == 0)
            {
                return false;
            }
            held[thread]--;
            outstanding--;
            return true;
        }
    }
}
