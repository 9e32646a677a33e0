package dev.ringmaster.journal;

import dev.ringmaster.journal.internal.Utf8;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test
{
    @ParameterizedTest
    @ValueSource(strings = {"", "coder-3", "naïve café", "日本語のエージェント", "emoji \uD83D\uDE80 rocket", "mixed ß\u0800\uFFFF"})
    void encodesLikeTheJdkWithoutAllocatingAndReadsBack(final String s)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8);
        final int written = Utf8.put(buffer, 3, s);
        assertThat(written).isEqualTo(Utf8.encodedLength(s));
        assertThat(written - Integer.BYTES).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Utf8.get(buffer, 3, 3 + written)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {0})
    void nullIsAMinusOnePrefix(final int at)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8);
        assertThat(Utf8.put(buffer, at, null)).isEqualTo(Integer.BYTES);
        assertThat(buffer.getInt(at)).isEqualTo(Utf8.NULL_LENGTH);
        assertThat(Utf8.get(buffer, at, Integer.BYTES)).isNull();
    }
}
