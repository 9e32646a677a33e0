package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a browser and slow clients meet at the admin endpoint: the dashboard page, and a pool they cannot exhaust. */
class AdminEndpointTest
{
    private static final String TOKEN = "t0ken";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Dispatcher dispatcher;
    private AdminServer shared;

    @BeforeEach
    void start()
    {
        dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("coder-1", "coder").build(), (t, c, tel) -> c.succeed("ok")).build().start();
        shared = AdminServer.builder(dispatcher).port(0).token(TOKEN).publicReads(true).start();
    }

    @AfterEach
    void stop()
    {
        shared.close();
        dispatcher.shutdownNow();
    }

    private static JsonNode json(final AdminServer target, final String path, final String authorization) throws Exception
    {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(target.url() + path))
            .header("Authorization", authorization).header("Accept", "application/json")
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void aBrowserGetsTheSelfContainedDashboardAndAProgramTheJsonIndex() throws Exception
    {
        try (AdminServer closed = AdminServer.builder(dispatcher).port(0).token(TOKEN).start())
        {
            final HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(closed.url() + "/"))
                .header("Accept", "text/html,application/xhtml+xml").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("the page itself needs no token: it asks for one").isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
            assertThat(page.body()).contains("<table id=\"queues\"", "<table id=\"agents\"", "<table id=\"dead\"",
                "sessionStorage", "/pause", "/resume", "/drain");
            // nothing from another host: no absolute URL in a src, href or fetch
            assertThat(page.body()).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("fetch(\"http");
            assertThat(json(closed, "/", "Bearer " + TOKEN).path("routes").isArray()).isTrue();
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(closed.url() + "/")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void clientsThatNeverFinishTheirHeadersDoNotBlockOthers() throws Exception
    {
        final List<java.net.Socket> slow = new ArrayList<>();
        try
        {
            for (int i = 0; i < 16; i++)
            {
                final java.net.Socket socket = new java.net.Socket(shared.address().getAddress(), shared.port());
                // half a request: each holds a server thread reading headers until the read timeout closes it
                socket.getOutputStream().write("GET /status HTTP/1.1\r\nHost: localhost\r\n".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            // well inside the 5 s read timeout: with a pool the slow clients could fill, this would wait for it
            final HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(shared.url() + "/status"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
        }
        finally
        {
            for (final java.net.Socket socket : slow)
            {
                socket.close();
            }
        }
    }
}
