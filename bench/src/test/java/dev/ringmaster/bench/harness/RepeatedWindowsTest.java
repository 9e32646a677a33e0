package dev.ringmaster.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.ringmaster.bench.harness.FakeSystems.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bench --repeat}: windows run in interleaved rounds, and one window that caught a stall moves the maximum but
 * not the median percentiles, which is what makes ratios hold on a shared machine.
 */
class RepeatedWindowsTest
{
    @Test
    void aStallInOneWindowOfThreeLeavesTheMedianP99AndShowsInTheMaxAndPerWindow()
    {
        final List<String> started = new ArrayList<>();
        final AtomicInteger noisyWindows = new AtomicInteger();
        final Map<String, Supplier<SystemUnderTest>> systems = new LinkedHashMap<>();
        systems.put("steady", () ->
        {
            started.add("steady");
            return FakeSystems.instant();
        });
        systems.put("noisy", () ->
        {
            started.add("noisy");
            // the second window stalls 400 ms a fifth of the way in: its p99 is the stall, the other two have none
            // (beyond a loaded machine's own hiccups: 28 ms seen with two builds running on the two cores)
            return noisyWindows.incrementAndGet() == 2 ? FakeSystems.stallingOnce(millis(60), millis(400)) :
                FakeSystems.instant();
        });
        final HarnessConfig config = new HarnessConfig(List.of(5_000.0), millis(50), millis(300), 1, 1,
            List.copyOf(systems.keySet()), false, 5_000, millis(200), millis(10), 1 << 14);

        final HarnessReport report = new Harness(config, systems, line -> { }).run(3);

        // each round every system once, each round starting one later (the report asks for threads once more at the end)
        assertThat(started.subList(0, 6)).containsExactly("steady", "noisy", "noisy", "steady", "steady", "noisy");
        assertThat(report.runs()).extracting(RunResult::system).containsExactly("steady", "noisy");
        final RunResult noisy = report.runs().get(1);
        assertThat(noisy.windows()).hasSize(3);
        final double[] p99s = noisy.perWindow(w -> w.micros(99));
        assertThat(p99s[1]).as("the stalled window's p99").isGreaterThan(200_000);
        assertThat(p99s[0]).isLessThan(100_000);
        assertThat(p99s[2]).isLessThan(100_000);
        assertThat(noisy.micros(99)).as("median of the three").isEqualTo(Math.max(p99s[0], p99s[2]));
        assertThat(noisy.maxMicros()).as("the max keeps the stall").isGreaterThan(300_000);
        assertThat(noisy.corrected().getTotalCount()).as("the histogram pools every window")
            .isEqualTo(noisy.windows().stream().mapToLong(w -> w.corrected().getTotalCount()).sum());
        assertThat(noisy.achieved()).isEqualTo(RunResult.median(noisy.windows(), RunResult::achieved));
        assertThat(report.text()).contains("medians of 3 windows").contains("p99 per window");
    }

    @Test
    void oneWindowIsAPlainRunAndNoWindowIsRefused()
    {
        final Map<String, Supplier<SystemUnderTest>> systems = new LinkedHashMap<>();
        systems.put("steady", FakeSystems::instant);
        final HarnessConfig config = new HarnessConfig(List.of(5_000.0), millis(20), millis(100), 1, 1,
            List.copyOf(systems.keySet()), false, 5_000, millis(200), millis(10), 1 << 14);
        final Harness harness = new Harness(config, systems, line -> { });

        final RunResult single = harness.run(1).runs().get(0);

        assertThat(single.windows()).isEmpty();
        assertThat(single.perWindow(w -> w.micros(99))).containsExactly(single.micros(99));
        assertThatThrownBy(() -> harness.run(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 1");
    }

    @Test
    void theMaximumRateSearchRunsEachRateSeveralTimesAndOneStalledRunDoesNotEndIt()
    {
        // a p99 bound of 100 ms, which a loaded machine's own hiccups stay under, and a stall of 400 ms far past it
        final HarnessConfig config = new HarnessConfig(List.of(5_000.0), millis(20), millis(100), 1, 1,
            List.of("noisy"), true, 5_000, millis(200), millis(100), 1 << 14);
        final Harness harness = new Harness(config, Map.of(), line -> { });

        // the second run of the search stalls, past the p99 bound: alone it fails its rate
        final MaxResult once = harness.searchMax("noisy", stallingInRun(2), 1);
        assertThat(once.trials()).extracting(MaxResult.Trial::sustained).startsWith(true, false);
        assertThat(once.maxRate()).as("the search bisected below the unlucky rate").isLessThan(10_000);

        final MaxResult thrice = harness.searchMax("noisy", stallingInRun(2), 3);
        final MaxResult.Trial first = thrice.trials().get(0);
        assertThat(first.runs()).isEqualTo(3);
        assertThat(first.sustainedRuns()).as("two runs of three sustained 5k").isEqualTo(2);
        assertThat(first.sustained()).isTrue();
        assertThat(first.p99Micros()).as("the median run's p99, not the stall's").isLessThan(100_000);
        assertThat(thrice.maxRate()).as("short search: 5k, 10k, 20k all sustained").isEqualTo(20_000);
    }

    private static Supplier<SystemUnderTest> stallingInRun(final int run)
    {
        final AtomicInteger runs = new AtomicInteger();
        return () -> runs.incrementAndGet() == run ? FakeSystems.stallingOnce(millis(30), millis(400)) :
            FakeSystems.instant();
    }
}
