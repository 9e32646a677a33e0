package dev.ringmaster.metrics;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The last minute's latencies and counts, with a clock the test moves. */
class RecentWindowTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void latenciesOlderThanAMinuteLeaveTheWindowButStayInTheTotal()
    {
        final AtomicLong clock = new AtomicLong(5 * SECOND);
        final Histogram recorded = new Histogram(3_600_000_000_000L, 3);
        final HistogramAccumulator acc = new HistogramAccumulator(recycle ->
        {
            final Histogram out = recycle != null ? recycle : new Histogram(3_600_000_000_000L, 3);
            out.reset();
            out.add(recorded);
            recorded.reset();
            return out;
        }, clock::get);
        // a slow first half-minute (10 ms), then a fast minute (1 ms)
        for (int s = 0; s < 30; s++)
        {
            recorded.recordValueWithCount(10_000_000, 100);
            acc.cumulative();
            clock.addAndGet(SECOND);
        }
        assertThat(acc.recent().getValueAtPercentile(50)).isCloseTo(10_000_000, within(100_000L));
        for (int s = 0; s < 60; s++)
        {
            recorded.recordValueWithCount(1_000_000, 100);
            acc.cumulative();
            clock.addAndGet(SECOND);
        }
        final Histogram recent = acc.recent();
        assertThat(recent.getTotalCount()).as("the last 60 one-second slots").isEqualTo(59 * 100);
        assertThat(recent.getMaxValue()).isCloseTo(1_000_000, within(10_000L));
        final Histogram total = acc.cumulative();
        assertThat(total.getTotalCount()).isEqualTo(90 * 100);
        assertThat(total.getMaxValue()).isCloseTo(10_000_000, within(10_000L));
    }

    @Test
    void theWindowsMaxIsNeverAboveTheMaxSinceStart()
    {
        final Histogram recorded = new Histogram(3_600_000_000_000L, 3);
        final HistogramAccumulator acc = new HistogramAccumulator(recycle ->
        {
            final Histogram out = recorded.copy();
            recorded.reset();
            return out;
        }, () -> 0L);
        // the window's slots keep two digits, the total three: the same value tops a wider bucket in the window
        recorded.recordValue(1_234_567);
        final Histogram recent = acc.recent();
        final Histogram total = acc.cumulative();
        assertThat(recent.getMaxValue()).as("the cause").isGreaterThan(total.getMaxValue());

        final LatencySummary window = LatencySummary.ofWindow(recent, total);
        assertThat(window.maxNanos()).isEqualTo(LatencySummary.of(total).maxNanos())
            .isGreaterThanOrEqualTo(1_234_567);
        assertThat(window.count()).isEqualTo(1);
    }

    @Test
    void aSlotFromAMinuteAgoIsClearedBeforeItIsReused()
    {
        final AtomicLong clock = new AtomicLong(0);
        final Histogram recorded = new Histogram(3_600_000_000_000L, 3);
        final HistogramAccumulator acc = new HistogramAccumulator(recycle ->
        {
            final Histogram out = recorded.copy();
            recorded.reset();
            return out;
        }, clock::get);
        recorded.recordValue(5_000);
        acc.cumulative();
        clock.addAndGet(60 * SECOND); // the same slot, a minute later
        recorded.recordValue(7_000);
        final Histogram recent = acc.recent();
        assertThat(recent.getTotalCount()).isEqualTo(1);
        assertThat(recent.getMinValue()).isCloseTo(7_000, within(100L));
    }

    @Test
    void countsOverTheWindowStartAtTheSampleAMinuteOld()
    {
        final CounterWindow w = new CounterWindow(1);
        final long[] delta = new long[1];
        w.startAt(0);
        assertThat(w.sample(SECOND / 2, new long[] {7}, delta)).as("counted before the first read").isEqualTo(SECOND / 2);
        assertThat(delta[0]).isEqualTo(7);
        w.startAt(SECOND / 2); // once there is a sample, not again
        assertThat(w.sample(SECOND / 2, new long[] {7}, delta)).isEqualTo(SECOND / 2);
        // 10 tasks a second for 2 minutes, then 100 a second for 30 s, sampled every second
        long count = 0;
        long now = 0;
        long span = 0;
        for (int s = 1; s <= 150; s++)
        {
            now = s * SECOND;
            count += s <= 120 ? 10 : 100;
            span = w.sample(now, new long[] {count}, delta);
        }
        assertThat(span).isEqualTo(60 * SECOND);
        assertThat(delta[0]).isEqualTo(30 * 10 + 30 * 100);
        final RecentWindow recent = new RecentWindow(span, 0, delta[0], 0, 0, java.util.Map.of());
        assertThat(recent.completedPerSecond()).isCloseTo(55.0, within(1e-9));
        // nobody read for 5 minutes: the window is the time since the last sample, and says so
        span = w.sample(now + 300 * SECOND, new long[] {count + 600}, delta);
        assertThat(span).isEqualTo(300 * SECOND);
        assertThat(delta[0]).isEqualTo(600);
    }
}
