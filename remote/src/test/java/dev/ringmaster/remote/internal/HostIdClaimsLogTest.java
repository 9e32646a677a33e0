package dev.ringmaster.remote.internal;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.remote.RemoteSettings;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The INFO line about a new claim on a live host id is rate-limited per host id: a host id whose replicas keep making
 * claims must not hide the first claim on another host id.
 */
class HostIdClaimsLogTest
{
    private static final String CLAIM = "remote agents: host '{}' says HELLO from {} while a session of that host id";

    @Test
    void aClaimOnAnotherHostIdIsLoggedThoughTheFirstIdsLinesAreHeldBack() throws Exception
    {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final List<String> lines = new CopyOnWriteArrayList<>();
        try (AeronTransport transport = AeronTransport.start(RemoteSettings.loopback(), "claims-log-test"))
        {
            final HostIdClaims claims = new HostIdClaims(transport, ThrottledLogTest.recording(lines));
            final String endpoint = "127.0.0.1:" + port;
            final long now = System.nanoTime();
            final HostLink a = new HostLink("a", 1, endpoint, List.of(AgentSpec.builder("x@a", "work").build()), null,
                16, now);
            final HostLink b = new HostLink("b", 2, endpoint, List.of(AgentSpec.builder("x@b", "work").build()), null,
                16, now);
            final Wire wire = Wire.writer();
            claims.contend(a, new Messages.Hello(11, "a", endpoint, a.agents), now, wire);
            claims.contend(a, new Messages.Hello(12, "a", endpoint, a.agents), now, wire);
            claims.contend(b, new Messages.Hello(21, "b", endpoint, b.agents), now, wire);

            assertThat(lines.stream().filter(l -> l.startsWith("info: " + CLAIM)).count())
                .as("claim lines logged (the second claim on 'a' held back, the one on 'b' not): %s", lines)
                .isEqualTo(2);
            claims.release("a");
            claims.release("b");
        }
    }
}
