package dev.ringmaster.admin;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
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

/** /metrics stops exporting an agent's series once it left the fleet: no NaN counters, no series kept for good. */
class AgentMetricsDepartureTest
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aRemovedAgentsSeriesLeaveMetricsAndComeBackWithAnAgentOfItsId() throws Exception
    {
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.roundRobin()).workers(1)
            .agent(AgentSpec.builder("coder-1", "coder").build(), (t, c, tel) -> c.succeed("ok"))
            .agent(AgentSpec.builder("coder-3", "coder").build(), (t, c, tel) -> c.succeed("ok"))
            .build().start();
        try (AdminServer server = AdminServer.builder(d).port(0).token("t").publicReads(true).start())
        {
            for (int i = 0; i < 10; i++)
            {
                d.submitOrThrow(Task.builder("coder").build());
            }
            await(() -> d.metrics().completed() == 10);
            assertThat(get(server)).contains("ringmaster_agent_completed_total{agent=\"coder-3\",type=\"coder\"}");

            d.removeAgent("coder-3").get(10, TimeUnit.SECONDS);
            await(() -> d.metrics().agents().stream().noneMatch(a -> a.id().equals("coder-3")));
            final String after = get(server);
            assertThat(after).doesNotContain("agent=\"coder-3\"").doesNotContainPattern("ringmaster_agent_\\S+ NaN")
                .containsPattern("ringmaster_agent_completed_total\\{agent=\"coder-1\",type=\"coder\"} \\d");

            d.addAgent(AgentSpec.builder("coder-3", "coder").build(), (t, c, tel) -> c.succeed("ok"))
                .get(10, TimeUnit.SECONDS);
            await(() -> get(server).contains("ringmaster_agent_in_flight{agent=\"coder-3\",type=\"coder\"} 0"));
        }
        finally
        {
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
        }
    }

    private static String get(final AdminServer server) throws Exception
    {
        final HttpRequest r = HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).GET().build();
        final HttpResponse<String> answer = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
