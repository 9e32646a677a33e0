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
        // due in the stall's first 290 ms: each waited at least 10 ms past its intended time
        assertThat(countAbove(corrected, millis(10))).as("corrected samples above 10 ms")
            .isBetween((long)(0.8 * RATE * (STALL - millis(10)) / 1e9), (long)(1.3 * dueDuringStall));
        // above 1 ms: the same tasks, plus whatever hiccups a shared machine adds to a 1 s run. The precise claim is
        // the 10 ms count above; this one only rules out a harness that counts every task of the window as late
        // (about 10,000), so its upper bound is far from the noise: 2,300 were seen under one parallel build, 5,446
        // with two builds and a test run on the two cores
        assertThat(countAbove(corrected, millis(1))).as("corrected samples above 1 ms")
            .isBetween((long)(0.85 * dueDuringStall), (long)(0.8 * RATE)); // of the 1 s window's 10,000
        assertThat(corrected.getMaxValue()).as("the stalled task itself").isGreaterThanOrEqualTo(STALL * 95 / 100);

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
