package dev.ringmaster.metrics;

import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A fault that repeats is counted every time and logged once per interval, with the count of those not logged. */
class FaultLogTest
{
    @Test
    void aBurstOfFaultsLogsOneLineAndCountsThemAll()
    {
        final Recording log = new Recording();
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

    /** Keeps the formatted lines; single-threaded use by the test. */
    private static final class Recording extends LegacyAbstractLogger
    {
        final List<String> lines = new ArrayList<>();
        final List<Throwable> throwables = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName()
        {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(final Level level, final Marker marker, final String pattern,
                                                   final Object[] arguments, final Throwable throwable)
        {
            lines.add(org.slf4j.helpers.MessageFormatter.basicArrayFormat(pattern, arguments));
            throwables.add(throwable);
        }

        @Override
        public boolean isTraceEnabled()
        {
            return true;
        }

        @Override
        public boolean isDebugEnabled()
        {
            return true;
        }

        @Override
        public boolean isInfoEnabled()
        {
            return true;
        }

        @Override
        public boolean isWarnEnabled()
        {
            return true;
        }

        @Override
        public boolean isErrorEnabled()
        {
            return true;
        }
    }
}
