package dev.ringmaster.dispatch.internal;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.Completion;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;


/**
 * Lincheck: the completion claim of a {@link Slot}. An adapter's {@code succeed}/{@code fail} (from any thread, and a
 * buggy adapter may call them more than once) race with the router's timeout ({@link Slot#abandon}). Exactly one of
 * them owns the outcome; the slot is freed exactly once (by the owning completion, or after a timeout by the late
 * completion, whenever it comes); a second completion, or one after the timeout, is ignored and counted, never thrown
 * into the adapter.
 */
class SlotCompletionLincheckTest
{
    @Test
    void exactlyOneOfTheCompletionsAndTheTimeoutOwnsTheOutcome()
    {
        options().check(RealSlot.class);
    }

    @Test
    void catchesAClaimThatReadsThenWrites()
    {
        ModelChecks.assertFails(options(), ReadThenWriteClaim.class);
    }

    private static ModelCheckingOptions options()
    {
        return ModelChecks.modelChecking().invocationsPerIteration(50).sequentialSpecification(FirstWins.class);
    }

    /**
     * The operations and the checks, on a started attempt that a subclass supplies. Lincheck calls the operations from
     * its threads, then {@link #validate} once they have all returned.
     */
    public abstract static class Race
    {
        /** One cause for every failure: a stack trace per call would cost more than the rest of the test. */
        private static final Exception CAUSE = new IllegalStateException("model unavailable");

        private final AtomicInteger completions = new AtomicInteger();
        private boolean routerOwns;

        /** The router's watchdog: @return true if it took the attempt away from the adapter. */
        abstract boolean abandon();

        abstract Completion completion();

        /** @return attempts handed back to the router by a completion. */
        abstract int delivered();

        /** @return how many times the slot was given back to its agent. */
        abstract int freed();

        abstract long ignored();

        /** @return the outcome written into the task record (TaskRecord.OUTCOME_*). */
        abstract int recordOutcome();

        @Operation(nonParallelGroup = "router")
        public boolean timeOut()
        {
            final boolean owns = abandon();
            routerOwns |= owns;
            return owns;
        }

        @Operation
        public void succeed()
        {
            completions.incrementAndGet();
            completion().succeed("answer", 12, 0.9);
        }

        @Operation
        public void fail()
        {
            completions.incrementAndGet();
            completion().fail(CAUSE);
        }

        @Validate
        public void validate()
        {
            final int completed = completions.get();
            final int delivered = delivered();
            check((routerOwns ? 1 : 0) + delivered == 1,
                "one owner: router " + routerOwns + ", completions delivered " + delivered);
            check(freed() == (completed > 0 ? 1 : 0), "slot freed " + freed() + " times after " + completed + " completions");
            // every completion but the owning one is ignored and counted: all of them once the router owned the outcome
            final int expectedIgnored = routerOwns ? completed : Math.max(0, completed - 1);
            check(ignored() == expectedIgnored, ignored() + " completions ignored of " + completed + ", router owns " +
                routerOwns);
            check(!routerOwns || recordOutcome() == TaskRecord.OUTCOME_NONE,
                "a completion wrote outcome " + recordOutcome() + " into a record the router owns");
        }

        private static void check(final boolean ok, final String what)
        {
            if (!ok)
            {
                throw new IllegalStateException(what);
            }
        }
    }

    /** A started attempt in a real slot of a one-slot agent, timed out the way the router's watchdog does it. */
    public static final class RealSlot extends Race
    {
        // immutable, or never changed by these operations: shared
        private static final Task TASK = Task.builder("coder").build();
        private static final AgentSpec SPEC = AgentSpec.builder("a1", "coder").build();
        private static final AgentAdapter ADAPTER = (task, completion, telemetry) -> { };
        private final Signals signals = new Signals(4, 0); // no routing role attached: completions just queue
        private final AgentState agent = new AgentState(0, SPEC, ADAPTER, 0, 0, signals);
        private final TaskRecord record = new TaskRecord();
        private final Slot slot;
        private final Completion handle;

        public RealSlot()
        {
            record.task = TASK;
            slot = agent.acquireSlot();
            handle = slot.start(record, 0);
        }

        @Override
        boolean abandon()
        {
            // as Router.watchdog: the observed state is the one the CAS checks
            final long s = slot.stateVolatile();
            return Slot.phase(s) == Slot.RUNNING && slot.record != null && slot.abandon(s);
        }

        @Override
        Completion completion()
        {
            return handle; // what the adapter is given
        }

        @Override
        int delivered()
        {
            int n = 0;
            while (signals.poll() != null)
            {
                n++;
            }
            return n;
        }

        @Override
        int freed()
        {
            return 1 - agent.running();
        }

        @Override
        long ignored()
        {
            return signals.ignoredCompletions.get();
        }

        @Override
        int recordOutcome()
        {
            return record.outcome;
        }
    }

    /**
     * Deliberately broken: the slot's protocol with a claim that reads the phase and then writes it (no CAS), so two
     * completions, or a completion and the timeout, can both believe they own the attempt.
     */
    public static final class ReadThenWriteClaim extends Race implements Completion
    {
        private static final int RUNNING = 0;
        private static final int COMPLETED = 1;
        private static final int ABANDONED = 2;
        private static final int FREE = 3;

        private volatile int phase = RUNNING;
        private final AtomicInteger delivered = new AtomicInteger();
        private final AtomicInteger freed = new AtomicInteger();
        private final AtomicInteger ignored = new AtomicInteger();
        private volatile int outcome = TaskRecord.OUTCOME_NONE;

        @Override
        boolean abandon()
        {
            if (phase != RUNNING)
            {
                return false;
            }
            phase = ABANDONED;
            return true;
        }

        @Override
        public void succeed(final Object result, final long tokensUsed, final double quality)
        {
            complete(TaskRecord.OUTCOME_SUCCEEDED);
        }

        @Override
        public void fail(final Throwable cause)
        {
            complete(TaskRecord.OUTCOME_FAILED);
        }

        private void complete(final int result)
        {
            final int seen = phase;
            if (seen == RUNNING)
            {
                phase = COMPLETED;
                outcome = result;
                delivered.incrementAndGet();
                freed.incrementAndGet();
            }
            else if (seen == ABANDONED)
            {
                phase = FREE;
                freed.incrementAndGet();
                ignored.incrementAndGet();
            }
            else
            {
                ignored.incrementAndGet();
            }
        }

        @Override
        Completion completion()
        {
            return this;
        }

        @Override
        int delivered()
        {
            return delivered.get();
        }

        @Override
        int freed()
        {
            return freed.get();
        }

        @Override
        long ignored()
        {
            return ignored.get();
        }

        @Override
        int recordOutcome()
        {
            return outcome;
        }
    }

    /** The specification: whoever comes first owns the attempt; the router learns it from its timeout's answer. */
    public static final class FirstWins
    {
        private boolean decided;

        public boolean timeOut()
        {
            final boolean owns = !decided;
            decided = true;
            return owns;
        }

        public void succeed()
        {
            decided = true;
        }

        public void fail()
        {
            decided = true;
        }
    }
}
