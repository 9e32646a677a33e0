package dev.ringmaster.predict;

import dev.ringmaster.testing.RecordingLogger;
import org.junit.jupiter.api.Test;

import java.io.DataInput;
import java.io.DataOutput;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pre-routing's contained faults are logged once per kind and source per interval, like the dispatcher's: a predictor
 * that throws on every arrival neither floods the log nor silences the faults of another kind that come after it.
 */
class PreRoutingFaultLogTest
{
    /** Throws on every arrival and every prediction. */
    private static final class Broken implements Predictor
    {
        @Override
        public String name()
        {
            return "broken";
        }

        @Override
        public void observe(final String type, final String contextKey, final long requiredSkills, final long nanos)
        {
            throw new IllegalStateException("observe bug");
        }

        @Override
        public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
        {
            throw new IllegalStateException("predict bug");
        }

        @Override
        public void writeModel(final DataOutput out)
        {
        }

        @Override
        public void readModel(final DataInput in)
        {
        }
    }

    @Test
    void aFaultRepeatedOnEveryArrivalLogsOneLineAndAFaultOfAnotherKindAfterItIsStillLogged()
    {
        final RecordingLogger log = new RecordingLogger();
        final PreRouting pre = new PreRouting(new Broken(), PreRouting.Settings.defaults(), null, null, log);
        for (int i = 0; i < 50; i++)
        {
            pre.observe("worker", "repo-" + i, 0, i);
        }
        pre.tick(1_000_000_000L, List.of(), null);
        assertThat(pre.faults()).isEqualTo(51);
        // before: the first ten observe faults were logged, then nothing ever again, the predict fault included
        assertThat(log.lines).as("logged lines").hasSize(2);
        assertThat(log.lines.get(0)).contains("predictor 'broken'", "observe", "1 in all");
        assertThat(log.lines.get(1)).contains("predictor 'broken'", "predict", "1 in all");
        assertThat(log.throwables).extracting(Throwable::getMessage).containsExactly("observe bug", "predict bug");
    }
}
