package dev.ringmaster.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static dev.ringmaster.bench.harness.FakeSystems.millis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collection during a run stops the producer and the system alike, so a reader of a bad tail needs to know whether
 * one happened: the harness says so, per run. (That a run without one prints nothing is not asserted: the test JVM's
 * own young collections may fall in any run.)
 */
class GcPauseReportTest
{
    @Test
    void aCollectionDuringARunIsReportedWithTheSystemsName()
    {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final HarnessConfig config = new HarnessConfig(List.of(2_000.0), millis(20), millis(100), 1, 1,
            List.of("collecting"), false, 2_000, millis(200), millis(10), 1 << 12);
        final Supplier<SystemUnderTest> collecting = () -> new Collecting(FakeSystems.instant());
        final Harness harness = new Harness(config, Map.of("collecting", collecting), lines::add);

        harness.runOnce("collecting", collecting, 2_000, millis(20), millis(100));

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  collecting: ")
            .containsPattern("\\d+ GC pause\\(s\\), \\d+ ms in all, during the run"));

    }

    /** A system that asks for a collection as it starts, as a run that fills the young generation would get. */
    private static final class Collecting implements SystemUnderTest
    {
        private final SystemUnderTest inner;

        Collecting(final SystemUnderTest inner)
        {
            this.inner = inner;
        }

        @Override
        public void start(final LatencySlots slots, final int workers)
        {
            System.gc();
            inner.start(slots, workers);
        }

        @Override
        public boolean submit(final int slot)
        {
            return inner.submit(slot);
        }

        @Override
        public void stop(final boolean now)
        {
            inner.stop(now);
        }

        @Override
        public String threads(final int workers)
        {
            return inner.threads(workers);
        }
    }
}
