package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.admin.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last minute's throughput and latency, tasks per priority and tenant, as an operator scrapes and reads them; and
 * every change handed to the embedder's change sink (the serve command journals it), a failing sink contained.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OperatorFiguresEndpointTest
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsAndStatusHaveTheLastMinuteAndTasksByPriorityAndTenant() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin()).workers(1)
            .agent(AgentSpec.builder("coder-1", "coder").capacity(2).build(), (t, c, tel) -> c.succeed("ok"))
            .build().start();
        try (AdminServer server = AdminServer.builder(d).port(0).token("t").publicReads(true).start())
        {
            for (int i = 0; i < 30; i++)
            {
                d.submitOrThrow(Task.builder("coder").priority(i < 10 ? Priority.HIGH : Priority.LOW)
                    .tenant(i % 3 == 0 ? null : "team-" + (i % 3)).build());
            }
            await(() -> d.metrics().completed() == 30);

            final String metrics = get(server, "/metrics");
            assertThat(metrics)
                .containsPattern("ringmaster_tasks_by_priority_total\\{priority=\"high\",state=\"completed\"} 10(\\.0)?\\n")
                .containsPattern("ringmaster_tasks_by_priority_total\\{priority=\"low\",state=\"accepted\"} 20(\\.0)?\\n")
                .containsPattern("ringmaster_tasks_by_tenant_total\\{state=\"completed\",tenant=\"team-1\"} 10(\\.0)?\\n")
                .containsPattern("ringmaster_tasks_by_tenant_total\\{state=\"accepted\",tenant=\"\\(none\\)\"} 10(\\.0)?\\n")
                .containsPattern("ringmaster_throughput_recent [0-9.E]+\\n")
                .containsPattern("ringmaster_stage_latency_recent_seconds\\{quantile=\"0.99\",stage=\"end_to_end\"} ");

            final JsonNode status = new ObjectMapper().readTree(get(server, "/status"));
            final JsonNode recent = status.path("recent");
            // the dispatcher is younger than a minute: the window is its age, and holds every task
            assertThat(recent.path("window_s").asDouble()).isPositive().isLessThan(60);
            assertThat(recent.path("completed").asLong()).isEqualTo(30);
            assertThat(recent.path("throughput_per_s").asDouble()).isPositive();
            assertThat(recent.path("latency_ms").path("END_TO_END").path("count").asLong()).isEqualTo(30);
            assertThat(status.path("tasks_by_priority").path("HIGH").path("completed").asLong()).isEqualTo(10);
            assertThat(status.path("tasks_by_priority").path("LOW").path("outstanding").asLong()).isZero();
            assertThat(status.path("tasks_by_tenant").path("team-2").path("accepted").asLong()).isEqualTo(10);
            assertThat(status.path("tasks_by_tenant").path("(none)").path("completed").asLong()).isEqualTo(10);
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    @Test
    void everyChangeReachesTheChangeSinkAndAFailingSinkCostsOnlyItsRecord() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin())
            .agent(AgentSpec.builder("coder-1", "coder").build(), (t, c, tel) -> c.succeed("ok"))
            .build().start();
        final List<AdminChange> seen = new CopyOnWriteArrayList<>();
        try (AdminServer server = AdminServer.builder(d).port(0).token("t").changes(change ->
        {
            seen.add(change);
            if (change.path().contains("resume"))
            {
                throw new AssertionError("a sink that fails, with an Error");
            }
        }).start())
        {
            assertThat(post(server, "/types/coder/pause")).isEqualTo(200);
            assertThat(post(server, "/types/nobody/pause")).isEqualTo(404);
            assertThat(post(server, "/types/coder/resume")).as("answered although the sink threw").isEqualTo(200);
            get(server, "/status"); // a read: not a change
            assertThat(d.types()).containsEntry("coder", false);

            assertThat(seen).extracting(AdminChange::what).containsExactly("POST /types/coder/pause",
                "POST /types/nobody/pause", "POST /types/coder/resume");
            final AdminChange first = seen.get(0);
            assertThat(first.from()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.outcome()).isEqualTo("done");
            assertThat(seen.get(1).outcome()).contains("unknown agent type 'nobody'");
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    private static int post(final AdminServer server, final String path) throws Exception
    {
        final HttpRequest r = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer t").POST(HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String get(final AdminServer server, final String path) throws Exception
    {
        final HttpRequest r = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json").header("Authorization", "Bearer t").GET().build();
        final HttpResponse<String> answer = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
