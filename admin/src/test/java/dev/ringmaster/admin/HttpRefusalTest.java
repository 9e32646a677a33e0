package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal over HTTP is worded for an HTTP client: the status's own reason speaks to embedders ("use the bounded
 * blocking submit", "raise queueCapacity"), which a client of the endpoint cannot act on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpRefusalTest
{
    private static final String TOKEN = "t0ken-refusals";

    @Test
    void aFullQueueIsA429WordedForAnHttpClient() throws Exception
    {
        try (Dispatcher small = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).queueCapacity(1)
                .agent(AgentSpec.builder("w-1", "worker").capacity(1).build(), AgentAdapter.sync(t -> "ok"))
                .build().start();
             AdminServer endpoint = AdminServer.builder(small).port(0).token(TOKEN).start())
        {
            final AdminClient client = new AdminClient(endpoint.url(), TOKEN, Duration.ofSeconds(10));
            small.pauseType("worker").get(5, TimeUnit.SECONDS);
            final var task = JsonNodeFactory.instance.objectNode().put("type", "worker");
            assertThat(client.post("/tasks", task).status()).isEqualTo(202);

            final AdminClient.Response full = client.post("/tasks", task);

            assertThat(full.status()).isEqualTo(429);
            assertThat(full.error()).contains("QUEUE_FULL", "queue for its priority is full")
                .doesNotContain("queueCapacity", "blocking submit");
            assertThat(full.fix()).contains("retry after a second");
            small.resumeType("worker").get(5, TimeUnit.SECONDS);
        }
    }
}
