package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.admin.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed's quality spread and context waste, as an operator scrapes and reads them from the endpoint. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SeedMetricsEndpointTest
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static AgentAdapter scoring(final double quality, final long used)
    {
        return (view, completion, telemetry) ->
        {
            telemetry.contextTokens(1_000, used);
            completion.succeed("ok", 10, quality);
        };
    }

    @Test
    void metricsAndStatusCarryQualitySpreadAndContextWastePerType() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin()).workers(1)
            .agent(AgentSpec.builder("weak", "coder").capacity(1).build(), scoring(0.2, 250))
            .agent(AgentSpec.builder("strong", "coder").capacity(1).build(), scoring(1.0, 250))
            .build().start();
        try (AdminServer server = AdminServer.builder(d).port(0).token("t").publicReads(true).start())
        {
            for (int i = 0; i < 60; i++)
            {
                d.submitOrThrow(Task.builder("coder").build());
            }
            await(() -> d.metrics().completed() == 60);

            final String metrics = get(server, "/metrics");
            assertThat(metrics).containsPattern("ringmaster_context_waste_ratio\\{type=\"coder\"} 0\\.75\\n")
                .containsPattern("ringmaster_quality_stddev\\{type=\"coder\"} 0\\.[34]\\d*\\n")
                .containsPattern("ringmaster_context_tokens_total\\{kind=\"loaded\",type=\"coder\"} 60000(\\.0)?\\n");

            final JsonNode status = new ObjectMapper().readTree(get(server, "/status"));
            assertThat(status.path("context_waste_ratio").asDouble()).isEqualTo(0.75);
            assertThat(status.path("quality").path("coder").path("stddev").asDouble()).isBetween(0.38, 0.42);
            assertThat(status.path("quality").path("coder").path("mean").asDouble()).isBetween(0.58, 0.62);
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    private static String get(final AdminServer server, final String path) throws Exception
    {
        final HttpRequest r = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json").GET().build();
        final HttpResponse<String> answer = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
