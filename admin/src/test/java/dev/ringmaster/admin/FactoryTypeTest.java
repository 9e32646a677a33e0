package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A type the embedder declared with an agent factory but no agents yet (serve's {@code agents: 0}) is a known type to
 * {@code POST /agents}, not a typo: over real HTTP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FactoryTypeTest
{
    private static final String AUTH = "Bearer t0ken-factory";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Held coder = new Held();
    private final Held reviewer = new Held();
    private Dispatcher dispatcher;
    private AdminServer server;

    @BeforeEach
    void start()
    {
        final AgentFactory reviewers = new AgentFactory()
        {
            @Override
            public String type()
            {
                return "reviewer";
            }

            @Override
            public AgentSpec spec(final String id)
            {
                return AgentSpec.builder(id, "reviewer").capacity(1).build();
            }

            @Override
            public AgentAdapter create(final AgentSpec spec)
            {
                return new Held();
            }
        };
        dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), coder)
            .agentFactory(reviewers)
            .build().start();
        server = AdminServer.builder(dispatcher).port(0).token("t0ken-factory")
            .adapters(spec -> spec.type().equals("reviewer") ? reviewer : new Held()).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        coder.releaseAll();
        reviewer.releaseAll();
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    @Test
    void anAgentOfATypeWithAFactoryButNoAgentsIsAddedWithoutNewType() throws Exception
    {
        final HttpResponse<String> added = post("{\"id\":\"reviewer-9\",\"type\":\"reviewer\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(dispatcher.types()).containsKey("reviewer");

        final HttpResponse<String> typo = post("{\"id\":\"x-1\",\"type\":\"reveiwer\"}");
        assertThat(typo.statusCode()).as("a type nobody declared is still a typo").isEqualTo(404);
        final JsonNode error = JSON.readTree(typo.body());
        assertThat(error.path("error").asText()).contains("unknown agent type 'reveiwer'").contains("reviewer");
        assertThat(error.path("fix").asText()).contains("\"new_type\": true").contains("--new-type");
    }

    private HttpResponse<String> post(final String body) throws Exception
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/agents"))
            .header("Authorization", AUTH).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
