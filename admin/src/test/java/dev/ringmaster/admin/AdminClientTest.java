package dev.ringmaster.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AdminClient} checks the URL it is given when it is made, before any request, and says what to give. */
class AdminClientTest
{
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:99999", "http://127.0.0.1:65536", "http://localhost:0/"})
    void aPortOutOfRangeIsRefusedWhenTheClientIsMade(final String url)
    {
        assertThatThrownBy(() -> new AdminClient(url, null, Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("'" + url + "' has port " + url.replaceAll(".*:(\\d+)/?$", "$1") +
                ", out of range: give one such as http://127.0.0.1:7070 (a port from 1 to 65535)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:1", "http://127.0.0.1:65535", "http://localhost"})
    void aPortInRangeOrNoneIsTaken(final String url)
    {
        assertThat(new AdminClient(url, null, Duration.ofSeconds(1)).url()).isEqualTo(url);
    }
}
