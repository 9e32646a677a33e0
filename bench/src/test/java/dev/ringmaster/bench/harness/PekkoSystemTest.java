package dev.ringmaster.bench.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.ringmaster.bench.harness.FakeSystems.millis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pekko peer as the harness drives it: every submitted task completes exactly once, also when every slot's
 * message is reused; a graceful stop runs everything submitted before it; after either stop nothing completes any
 * more and no Pekko thread is left (the harness starts a system per run); and a short harness run through it is
 * clean. Every wait has a deadline (and each test a timeout); no speed is asserted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PekkoSystemTest
{
    private static final int WORKERS = 2;
    private static final int SLOTS = 1_024;
    private static final long DEADLINE = TimeUnit.SECONDS.toNanos(30);

    /** Every task, from now on for an hour, is measured (counted in the histograms); fresh for each test. */
    private final LatencySlots slots = measuredSlots();
    /** The test's system, if it started one. */
    private PekkoSystem system;

    /** Stops a system a failed test left running (stopping again is harmless), so its threads fail no other test. */
    @AfterEach
    void stopWhatIsLeft()
    {
        if (system != null)
        {
            system.stop(true);
        }
    }

    @Test
    void everyTaskCompletesExactlyOnceAcrossRoundsThatReuseEverySlot()
    {
        final int rounds = 8;
        start();
        for (int round = 0; round < rounds; round++)
        {
            submitEverySlot();
            assertThat(awaitAllFree()).as("every slot completed in round %d", round).isTrue();
        }
        system.stop(false);
        // each round completed every slot at least once; as many completions as submissions: none twice
        assertThat(slots.naive().getTotalCount()).isEqualTo((long)rounds * SLOTS);
        assertNoPekkoThreadLeft();
    }

    @Test
    void gracefulStopRunsEverythingSubmittedBeforeIt()
    {
        start();
        submitEverySlot();

        system.stop(false);

        assertThat(slots.allFree()).as("every task submitted before stop(false) completed").isTrue();
        assertThat(slots.naive().getTotalCount()).isEqualTo(SLOTS);
        assertNoPekkoThreadLeft();
    }

    @Test
    void stopNowReturnsAndNothingCompletesAfterIt()
    {
        start();
        submitEverySlot();

        system.stop(true);
        final int freeAtStop = freeSlots();
        LockSupport.parkNanos(millis(200));

        assertThat(freeSlots()).as("slots freed after stop(true) returned").isEqualTo(freeAtStop);
        assertNoPekkoThreadLeft();
    }

    @Test
    void aShortHarnessRunIsClean()
    {
        final double rate = 2_000;
        final HarnessConfig config = new HarnessConfig(List.of(rate), millis(100), millis(300), 1, WORKERS,
            List.of(Systems.PEKKO), false, rate, millis(200), millis(10), SLOTS);
        final Harness harness = new Harness(config, Map.of(Systems.PEKKO, PekkoSystem::new), line -> { });

        final RunResult r = harness.runOnce(Systems.PEKKO, PekkoSystem::new, rate, millis(100), millis(300));

        assertThat(r.clean()).as("nothing unfinished or refused: %s", r).isTrue();
        assertThat(r.completed()).as("measured tasks: 0.3 s at 2k/s").isBetween(590L, 610L);
        assertThat(r.corrected().getTotalCount()).isEqualTo(r.completed());
        assertNoPekkoThreadLeft();
    }

    private static LatencySlots measuredSlots()
    {
        final LatencySlots s = new LatencySlots(SLOTS);
        final long now = System.nanoTime();
        s.measureWindow(now, now + TimeUnit.HOURS.toNanos(1));
        return s;
    }

    private void start()
    {
        system = new PekkoSystem();
        system.start(slots, WORKERS);
    }

    /** Submits one task per slot, as a producer does: occupy, then hand the slot over. */
    private void submitEverySlot()
    {
        for (int i = 0; i < slots.count(); i++)
        {
            final long now = System.nanoTime();
            slots.occupy(i, now, now);
            assertThat(system.submit(i)).isTrue();
        }
    }

    /** @return true once every slot is free, false if the deadline passed first. */
    private boolean awaitAllFree()
    {
        final long deadline = System.nanoTime() + DEADLINE;
        while (!slots.allFree() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(millis(1));
        }
        return slots.allFree();
    }

    private int freeSlots()
    {
        int free = 0;
        for (int i = 0; i < slots.count(); i++)
        {
            free += slots.isFree(i) ? 1 : 0;
        }
        return free;
    }

    /** The stopped system's threads end (they are daemons, but a leak would pile up over a suite's runs). */
    private static void assertNoPekkoThreadLeft()
    {
        final long deadline = System.nanoTime() + DEADLINE;
        List<String> left;
        // one listing for the loop and the assertion: listing twice once found none, then one (a pool thread started
        // while the system terminated), and failed the test 0.1 s into its 30 s deadline
        while (!(left = pekkoThreads()).isEmpty() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(millis(10));
        }
        assertThat(left).as("threads of a stopped ActorSystem").isEmpty();
    }

    private static List<String> pekkoThreads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(n -> n.startsWith(PekkoSystem.NAME)).toList();
    }
}
