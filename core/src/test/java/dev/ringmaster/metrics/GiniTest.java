package dev.ringmaster.metrics;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GiniTest
{
    @Test
    void knownDistributions()
    {
        assertThat(Gini.of(new long[]{5, 5, 5, 5})).isEqualTo(0.0);
        // one of four agents does everything: (n-1)/n
        assertThat(Gini.of(new long[]{0, 0, 0, 100})).isCloseTo(0.75, within(1e-12));
        // the seed's example: 60% / 30% / 10% / 0 / 0 of the work
        assertThat(Gini.of(new long[]{60, 30, 10, 0, 0})).isCloseTo(0.6, within(1e-12));
        assertThat(Gini.of(new long[]{7})).isEqualTo(0.0);
        assertThat(Gini.of(new long[]{0, 0})).isEqualTo(0.0);
    }

    @Property
    void staysInRangeAndIgnoresOrderAndScale(@ForAll @Size(min = 2, max = 50) final List<@LongRange(min = 0, max = 1_000_000) Long> work)
    {
        final long[] values = work.stream().mapToLong(Long::longValue).toArray();
        final double g = Gini.of(values);
        assertThat(g).isBetween(0.0, 1.0 - 1.0 / values.length + 1e-9);
        final long[] reversed = new long[values.length];
        final long[] doubled = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            reversed[i] = values[values.length - 1 - i];
            doubled[i] = values[i] * 2;
        }
        assertThat(Gini.of(reversed)).isCloseTo(g, within(1e-9));
        assertThat(Gini.of(doubled)).isCloseTo(g, within(1e-9));
    }
}
