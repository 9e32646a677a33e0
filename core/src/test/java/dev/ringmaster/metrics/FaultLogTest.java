package dev.ringmaster.metrics;

import dev.ringmaster.testing.RecordingLogger;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** A fault that repeats is counted every time and logged once per interval, with the count of those not logged. */
class FaultLogTest
{
    @Test
    void aBurstOfFaultsLogsOneLineAndCountsThemAll()
    {
        final RecordingLogger log = new RecordingLogger();
        final FaultLog faults = new FaultLog(log, "routing strategy 'x'");
        for (int i = 0; i < 10_000; i++)
        {
            faults.report("threw", new IllegalStateException("boom " + i));
        }
        assertThat(faults.total()).isEqualTo(10_000);
        // the interval is 10 s: a burst far shorter than that logs only its first fault
        assertThat(log.lines).hasSize(1);
        assertThat(log.lines.get(0)).contains("routing strategy 'x'", "threw", "1 in all");
        assertThat(log.throwables).singleElement().extracting(Throwable::getMessage).isEqualTo("boom 0");
        assertThat(log.levels).containsExactly(org.slf4j.event.Level.ERROR);
    }

    /** A slow decision may be a GC pause's doing, not the strategy's: WARN, so an ERROR alert does not fire on it. */
    @Test
    void warningsAreLoggedAtWarnAndRateLimitedTheSameWay()
    {
        final RecordingLogger log = new RecordingLogger();
        final FaultLog slow = FaultLog.warnings(log, "routing strategy 'p2c'");
        for (int i = 0; i < 100; i++)
        {
            slow.report("took 1500 us to decide on one task", null);
        }
        assertThat(slow.total()).isEqualTo(100);
        assertThat(log.levels).containsExactly(org.slf4j.event.Level.WARN);
        assertThat(log.lines.get(0)).contains("routing strategy 'p2c'", "took 1500 us");
    }
}
