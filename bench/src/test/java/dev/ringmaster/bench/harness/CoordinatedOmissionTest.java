package dev.ringmaster.bench.harness;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.ringmaster.bench.harness.FakeSystems.millis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness corrects coordinated omission: a system that stalls its producer for 300 ms once, at 10k tasks/s,
 * delays the ~3,000 tasks that were due during the stall. Latency from the intended send time shows them all (from
 * 100 ms down to nothing); latency from the actual send time (what a closed-loop client measures) shows one.
 * No speed is asserted: the fake completes on the producer's own thread.
 */
class CoordinatedOmissionTest
{
    private static final double RATE = 10_000;
    /** Long against a shared machine's hiccups (a busy 2-core machine adds a few hundred late tasks to a 1 s run). */
    private static final long STALL = millis(300);

    @Test
    void aStallShowsInEveryTaskThatWasDueDuringIt()
    {
        final RunResult r = runWithStall();
        final Histogram corrected = r.corrected();
        final Histogram naive = r.naive();
        final double dueDuringStall = RATE * STALL / 1e9; // 3,000

        assertThat(r.clean()).isTrue();
        assertThat(corrected.getTotalCount()).as("every measured task recorded once").isEqualTo(r.completed());
        // the stall as it happened: the first task due in it waited all of it. On a busy machine the stalled thread
        // wakes late (a 300 ms park lasted about 450 ms at a load average of 11 on two cores), so the counts below
        // are taken against the stall the run saw, not the one it asked for
        final long stall = corrected.getMaxValue();
        assertThat(stall).as("the stalled task itself").isBetween(STALL * 95 / 100, STALL + millis(1_000));
        // due in the stall's first half: each waited at least half the stall past its intended time. Counted above
        // half the stall, not above 10 ms: a busy machine starves the producer for tens of milliseconds at a time
        // (4,390 tasks above 10 ms were seen under two parallel builds, against 3,000 due during the stall), hardly
        // for half the stall; a harness without the correction would count one task here
        final double dueInFirstHalf = RATE * stall / 2 / 1e9;
        assertThat(countAbove(corrected, stall / 2)).as("corrected samples above half the stall")
            .isBetween((long)(0.8 * dueInFirstHalf), (long)(1.3 * dueInFirstHalf));
        // due in the stall's first 290 ms: each waited at least 10 ms (hiccups only add to this count)
        assertThat(countAbove(corrected, millis(10))).as("corrected samples above 10 ms")
            .isGreaterThanOrEqualTo((long)(0.8 * RATE * (STALL - millis(10)) / 1e9));
        // above 1 ms: the same tasks, plus whatever hiccups a shared machine adds to a 1 s run. The precise claim is
        // the half-stall count above; this one only rules out a harness that counts every task of the window as late,
        // so its upper bound is far from the noise (with a 100 ms stall, 2,300 were seen under one parallel build and
        // 5,446 with two builds and a test run on the two cores)
        assertThat(countAbove(corrected, millis(1))).as("corrected samples above 1 ms")
            .isBetween((long)(0.85 * dueDuringStall), (long)(0.95 * r.completed()));

        // naive: only the task whose submit stalled was slow; the backlog is sent late and completes at once
        assertThat(countAbove(naive, millis(10))).as("naive samples above 10 ms").isBetween(1L, 3L);
    }

    @Test
    void withoutAStallNothingIsLate()
    {
        final Harness harness = harness(FakeSystems::instant);
        final RunResult r = harness.runOnce("instant", FakeSystems::instant, RATE, millis(100), millis(500));

        assertThat(r.clean()).isTrue();
        assertThat(r.corrected().getTotalCount()).isBetween(4_900L, 5_100L);
        // the lower bound leaves room for a producer descheduled on a busy machine (8,435/s was seen under two builds);
        // a harness that miscounted the window or the completions would be off by far more
        assertThat(r.achieved()).as("achieved rate of a system that keeps up").isBetween(0.75 * RATE, 1.1 * RATE);
    }

    private static RunResult runWithStall()
    {
        final Supplier<SystemUnderTest> stalling = () -> FakeSystems.stallingOnce(millis(600), STALL);
        // warm-up 0.1 s + 1 s window: the stall starts ~0.5 s into the window
        return harness(stalling).runOnce("stall", stalling, RATE, millis(100), millis(1_000));
    }

    static Harness harness(final Supplier<SystemUnderTest> system)
    {
        final HarnessConfig config = new HarnessConfig(List.of(RATE), millis(100), millis(1_000), 1, 1,
            List.of("fake"), false, RATE, millis(200), millis(10), 1 << 14);
        return new Harness(config, Map.of("fake", system), line -> { });
    }

    private static long countAbove(final Histogram h, final long nanos)
    {
        return h.getTotalCount() - h.getCountBetweenValues(0, nanos);
    }
}
