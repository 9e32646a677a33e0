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
    }
}
