package dev.ringmaster.admin;

import dev.ringmaster.admin.internal.HostCheck;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.admin.AdminServerTest.bearer;
import static dev.ringmaster.admin.AdminServerTest.call;
import static dev.ringmaster.admin.AdminServerTest.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read the endpoint: the token by default, probes without it, and only clients that name a loopback host
 * (DNS rebinding). Each test starts its own endpoint over one idle dispatcher; single-threaded.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminAccessTest
{
    private static final String TOKEN = "s3cret-token";

    private Dispatcher dispatcher;

    @BeforeEach
    void start()
    {
        dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), AgentAdapter.sync(t -> "ok"))
            .build().start();
    }

    @AfterEach
    void stop()
    {
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    @Test
    void listensOnLoopbackOnlyAtTheBoundPort()
    {
        try (AdminServer server = AdminServer.builder(dispatcher).port(0).token(TOKEN).start())
        {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(server.port()).isPositive();
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
        }
    }

    @Test
    void withPublicReadsReadsNeedNoToken() throws Exception
    {
        try (AdminServer open = AdminServer.builder(dispatcher).port(0).token(TOKEN).publicReads(true).start())
        {
            assertThat(call(open, "GET", "/status", null, null).status()).isEqualTo(200);
            assertThat(call(open, "GET", "/status", null, "Bearer wrong").status()).isEqualTo(200);
        }
    }

    @Test
    void byDefaultReadsNeedTheTokenButProbesDoNot() throws Exception
    {
        try (AdminServer closed = AdminServer.builder(dispatcher).port(0).token(TOKEN).start())
        {
            assertThat(call(closed, "GET", "/status", null, null).status()).isEqualTo(401);
            assertThat(call(closed, "GET", "/agents", null, "Bearer wrong").status()).isEqualTo(401);
            assertThat(call(closed, "GET", "/status", null, bearer()).status()).isEqualTo(200);
            assertThat(raw(closed, "GET", "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(raw(closed, "GET", "/metrics", bearer()).statusCode()).isEqualTo(200);
            assertThat(call(closed, "GET", "/health", null, null).status()).isEqualTo(200);
            assertThat(call(closed, "GET", "/ready", null, null).status()).isEqualTo(200);
        }
    }

    @Test
    void aForeignHostHeaderIsRefusedAndHeadAnswersWithoutABody() throws Exception
    {
        try (AdminServer open = AdminServer.builder(dispatcher).port(0).token(TOKEN).publicReads(true).start())
        {
            // the JDK client will not send a Host of our choosing: speak HTTP/1.1 on a socket, as a rebinding page's
            // browser would
            try (Socket socket = new Socket(open.address().getAddress(), open.port()))
            {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /status HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 421").contains("evil.example").contains("\"fix\"");
            }
            final HttpResponse<String> head = raw(open, "HEAD", "/status", null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
        assertThat(HostCheck.isLoopback("localhost:7070")).isTrue();
        assertThat(HostCheck.isLoopback("[::1]:7070")).isTrue();
        assertThat(HostCheck.isLoopback("127.0.0.1")).isTrue();
        assertThat(HostCheck.isLoopback("127.0.0.1.evil.example")).isFalse();
    }
}
