package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.admin.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delegating a task over HTTP and following it, cancelling, requeueing and purging dead letters, scaling a type
 * through its factory, and the audit of every change: over real HTTP against a dispatcher whose agents hold tasks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskOperationsTest
{
    private static final String TOKEN = "t0ken-ops";
    private static final String AUTH = "Bearer " + TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Held coder1 = new Held();
    private final Held reviewer1 = new Held();
    /** Adapters the coder factory made, and those it released. */
    private final List<Held> made = new CopyOnWriteArrayList<>();
    private final List<AgentAdapter> released = new CopyOnWriteArrayList<>();
    /** When set, the coder factory throws it instead of making an agent, as a broken plugin may. */
    private volatile Error factoryFails;
    private Dispatcher dispatcher;
    private AdminServer server;

    record Answer(int status, JsonNode json)
    {
    }

    @BeforeEach
    void start()
    {
        final AgentFactory coders = new AgentFactory()
        {
            @Override
            public String type()
            {
                return "coder";
            }

            @Override
            public AgentSpec spec(final String id)
            {
                return AgentSpec.builder(id, "coder").capacity(1).build();
            }

            @Override
            public AgentAdapter create(final AgentSpec spec)
            {
                if (factoryFails != null)
                {
                    throw factoryFails;
                }
                final Held h = new Held();
                made.add(h);
                return h;
            }

            @Override
            public void release(final AgentSpec spec, final AgentAdapter adapter)
            {
                released.add(adapter);
            }
        };
        dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(0).workers(2)
            .agent(AgentSpec.builder("coder-1", "coder").capacity(1).skill("java", 0.9).build(), coder1)
            .agent(AgentSpec.builder("reviewer-1", "reviewer").capacity(1).build(), reviewer1)
            .agentFactory(coders)
            .build().start();
        server = AdminServer.builder(dispatcher).port(0).token(TOKEN).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        coder1.releaseAll();
        reviewer1.releaseAll();
        made.forEach(Held::releaseAll);
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    @Test
    void aDelegatedTaskIsFollowedToItsAnswer() throws Exception
    {
        final Answer refused = call("POST", "/tasks", "{\"type\":\"coder\"}", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(dispatcher.metrics().accepted()).as("a call without the token submits nothing").isZero();

        final Answer submitted = call("POST", "/tasks", "{\"type\":\"coder\",\"priority\":\"high\",\"skills\":[\"java\"]," +
            "\"tenant\":\"team-a\",\"ttl_s\":30,\"payload\":\"fix the build\"}", AUTH);
        assertThat(submitted.status()).as(submitted.json().toString()).isEqualTo(202);
        assertThat(submitted.json().path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(submitted.json().path("priority").asText()).isEqualTo("HIGH");
        final long id = submitted.json().path("task_id").asLong();
        assertThat(coder1.awaitHeld(1)).isTrue();

        final Answer running = call("GET", "/tasks/" + id, null, AUTH);
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.json().path("state").asText()).isEqualTo("assigned");
        assertThat(running.json().path("agent").asText()).isEqualTo("coder-1");

        coder1.releaseAll();
        await(() -> call("GET", "/tasks/" + id, null, AUTH).json().path("state").asText().equals("COMPLETED"));
        final Answer done = call("GET", "/tasks/" + id, null, AUTH);
        assertThat(done.json().path("result").asText()).isEqualTo("released");
        assertThat(done.json().path("agent").asText()).isEqualTo("coder-1");
        assertThat(done.json().path("tokens").asLong()).isEqualTo(100);

        final Answer unknown = call("GET", "/tasks/987654321", null, AUTH);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("fix").asText()).contains("GET /dead-letters");
    }

    @Test
    void aRefusedOrMalformedTaskGetsTheReasonAndTheFix() throws Exception
    {
        final Answer unknownType = call("POST", "/tasks", "{\"type\":\"painter\"}", AUTH);
        assertThat(unknownType.status()).isEqualTo(422);
        assertThat(unknownType.json().path("status").asText()).isEqualTo("UNKNOWN_AGENT_TYPE");
        assertThat(unknownType.json().path("error").asText()).contains("painter", "coder", "reviewer");

        final Answer noSkill = call("POST", "/tasks", "{\"type\":\"reviewer\",\"skills\":[\"cobol\"]}", AUTH);
        assertThat(noSkill.status()).isEqualTo(422);
        assertThat(noSkill.json().path("status").asText()).isEqualTo("NO_CAPABLE_AGENT");

        assertRefused(call("POST", "/tasks", "{\"priority\":\"HIGH\"}", AUTH), "\"type\"", "send e.g.");
        assertRefused(call("POST", "/tasks", "{\"type\":\"coder\",\"colour\":\"red\"}", AUTH), "unknown field 'colour'", "use only");
        assertRefused(call("POST", "/tasks", "{\"type\":\"coder\",\"ttl_s\":-1}", AUTH), "\"ttl_s\"", "\"ttl_s\": 30");
        assertRefused(call("POST", "/tasks", "{\"type\":\"coder\",\"ttl_s\":0}", AUTH), "(0, 86400], got 0",
            "leave the field out for none");
        assertRefused(call("POST", "/tasks", "{\"type\":\"coder\",\"payload\":{\"a\":1}}", AUTH), "\"payload\" must be a string",
            "encoded as a string");
        assertRefused(call("POST", "/tasks", "{\"type\":\"coder\",\"priority\":\"urgent\"}", AUTH), "unknown priority 'urgent'",
            "CRITICAL");
        assertRefused(call("POST", "/tasks", "not json", AUTH), "not valid JSON", "one JSON object");
        assertRefused(call("GET", "/tasks/abc", null, AUTH), "'abc' is not a whole number", "POST /tasks");
        assertThat(dispatcher.metrics().accepted()).isZero();
    }

    @Test
    void aWaitingTaskIsCancelledAndARunningOneIsNot() throws Exception
    {
        final long running = submit("{\"type\":\"coder\"}");
        assertThat(coder1.awaitHeld(1)).isTrue();
        final long waiting = submit("{\"type\":\"coder\"}");
        assertThat(call("GET", "/tasks/" + waiting, null, AUTH).json().path("state").asText()).isEqualTo("waiting");

        final Answer cancelled = call("POST", "/tasks/" + waiting + "/cancel", null, AUTH);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("outcome").asText()).isEqualTo("CANCELLED");
        await(() -> call("GET", "/tasks/" + waiting, null, AUTH).json().path("state").asText().equals("CANCELLED"));

        final Answer notCancelled = call("DELETE", "/tasks/" + running, null, AUTH);
        assertThat(notCancelled.status()).isEqualTo(409);
        assertThat(notCancelled.json().path("error").asText()).contains("already running");
        assertThat(call("POST", "/tasks/123456789/cancel", null, AUTH).status()).isEqualTo(404);
        assertThat(call("POST", "/tasks/" + running + "/cancel", null, null).status()).isEqualTo(401);
    }

    @Test
    void aDeadLetterIsRequeuedWithItsIdAndThePurgeEmptiesTheList() throws Exception
    {
        final long id = submit("{\"type\":\"reviewer\",\"max_retries\":0,\"payload\":\"poison\"}");
        await(() -> call("GET", "/tasks/" + id, null, AUTH).json().path("state").asText().equals("DEAD_LETTERED"));
        assertThat(call("GET", "/dead-letters", null, AUTH).json().path("kept").asInt()).isEqualTo(1);

        final Answer requeued = call("POST", "/dead-letters/" + id + "/requeue", null, AUTH);
        assertThat(requeued.status()).as(requeued.json().toString()).isEqualTo(202);
        // the poison fails again: a second end for a second acceptance, and it is listed once more
        await(() -> dispatcher.metrics().deadLettered() == 2);
        assertThat(dispatcher.metrics().accepted()).isEqualTo(2);
        assertThat(call("GET", "/tasks/" + id, null, AUTH).json().path("state").asText()).isEqualTo("DEAD_LETTERED");

        final Answer twice = call("POST", "/dead-letters/424242/requeue", null, AUTH);
        assertThat(twice.status()).isEqualTo(404);
        assertThat(twice.json().path("fix").asText()).contains("GET /dead-letters");

        assertThat(call("DELETE", "/dead-letters", null, null).status()).isEqualTo(401);
        final Answer purged = call("DELETE", "/dead-letters", null, AUTH);
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.json().path("purged").asInt()).isEqualTo(1);
        assertThat(call("GET", "/dead-letters", null, AUTH).json().path("kept").asInt()).isZero();
    }

    @Test
    void aDeadLetterOfATaskSubmittedInProcessIsRequeuedAndFollowedToItsEnd() throws Exception
    {
        // serve's workload and workflow steps reach the dispatcher in-process, not over POST /tasks
        dispatcher.submitAsync(dev.ringmaster.model.Task.builder("reviewer").id(7).maxRetries(0).payload("poison").build());
        await(() -> call("GET", "/dead-letters", null, AUTH).json().path("kept").asInt() == 1);

        final Answer requeued = call("POST", "/dead-letters/7/requeue", null, AUTH);
        assertThat(requeued.status()).as(requeued.json().toString()).isEqualTo(202);
        await(() -> dispatcher.metrics().deadLettered() == 2);
        final Answer after = call("GET", "/tasks/7", null, AUTH);
        assertThat(after.status()).as(after.json().toString()).isEqualTo(200);
    }

    @Test
    void cancellingAFinishedTaskSaysItIsNotLiveItsEndAndWhereToLook() throws Exception
    {
        final long id = submit("{\"type\":\"coder\"}");
        assertThat(coder1.awaitHeld(1)).isTrue();
        coder1.releaseAll();
        await(() -> call("GET", "/tasks/" + id, null, AUTH).json().path("state").asText().equals("COMPLETED"));

        final Answer finished = call("POST", "/tasks/" + id + "/cancel", null, AUTH);
        assertThat(finished.status()).as(finished.json().toString()).isEqualTo(404);
        assertThat(finished.json().path("state").asText()).isEqualTo("COMPLETED");
        assertThat(finished.json().path("error").asText()).contains("not live", "already ended COMPLETED");
        assertThat(finished.json().path("fix").asText()).contains("GET /tasks/" + id);

        final Answer unknown = call("POST", "/tasks/123456789/cancel", null, AUTH);
        assertThat(unknown.status()).as(unknown.json().toString()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).contains("not live", "finished already or an unknown id");
        assertThat(unknown.json().path("fix").asText()).contains("GET /tasks/123456789", "audit");
    }

    @Test
    void aTypeIsScaledUpAndDownThroughItsFactory() throws Exception
    {
        final Answer up = call("POST", "/types/coder/scale", "{\"agents\":3}", AUTH);
        assertThat(up.status()).as(up.json().toString()).isEqualTo(200);
        assertThat(up.json().path("before").asInt()).isEqualTo(1);
        assertThat(up.json().path("added").toString()).contains("coder-2", "coder-3");
        assertThat(coders()).containsExactly("coder-1", "coder-2", "coder-3");
        assertThat(made).hasSize(2);

        final Answer down = call("POST", "/types/coder/scale", "{\"agents\":1}", AUTH);
        assertThat(down.status()).as(down.json().toString()).isEqualTo(200);
        assertThat(down.json().path("draining")).hasSize(2);
        await(() -> coders().size() == 1);
        await(() -> released.size() == 2);
        assertThat(coders()).as("the newest idle agents leave first").containsExactly("coder-1");

        final Answer noFactory = call("POST", "/types/reviewer/scale", "{\"agents\":2}", AUTH);
        assertThat(noFactory.status()).isEqualTo(409);
        assertThat(noFactory.json().path("error").asText()).contains("has no agent factory");
        assertThat(noFactory.json().path("fix").asText()).contains("agentFactory", "POST /agents");
        assertThat(call("POST", "/types/painter/scale", "{\"agents\":2}", AUTH).status()).isEqualTo(404);
        assertRefused(call("POST", "/types/coder/scale", "{\"agents\":-1}", AUTH), "\"agents\"", "{\"agents\": 6}");
        assertThat(call("POST", "/types/coder/scale", "{\"agents\":5}", null).status()).isEqualTo(401);
        assertThat(coders()).hasSize(1);
    }

    @Test
    void aFactoryThatThrowsAnErrorIsAnsweredWithTheReasonNotLeftWithoutAnAnswer() throws Exception
    {
        factoryFails = new AssertionError("factory assert");

        final Answer up = call("POST", "/types/coder/scale", "{\"agents\":2}", AUTH);

        assertThat(up.status()).as(up.json().toString()).isEqualTo(502);
        assertThat(up.json().path("error").asText()).contains("could not make agent 'coder-2'", "factory assert");
        assertThat(coders()).containsExactly("coder-1");
        factoryFails = null;
        assertThat(call("POST", "/types/coder/scale", "{\"agents\":2}", AUTH).status()).as("the server goes on")
            .isEqualTo(200);
    }

    @Test
    void everyChangeIsAuditedWithWhatWhenAndFromWhere() throws Exception
    {
        call("POST", "/types/coder/pause", null, AUTH);
        call("POST", "/types/coder/resume", null, "Bearer wrong");
        call("GET", "/status", null, AUTH);
        final Answer submitted = call("POST", "/tasks", "{\"type\":\"coder\",\"payload\":\"x\"}", AUTH);
        assertThat(submitted.status()).isEqualTo(202);

        final Answer audit = call("GET", "/audit", null, AUTH);
        assertThat(audit.status()).isEqualTo(200);
        final JsonNode changes = audit.json().path("changes");
        assertThat(changes).as("reads are not changes").hasSize(3);
        // an operator following a submission from the audit needs its id (it was only in the HTTP answer)
        assertThat(changes.get(2).path("outcome").asText())
            .isEqualTo("done: task " + submitted.json().path("task_id").asLong());
        assertThat(changes.get(0).path("path").asText()).isEqualTo("/types/coder/pause");
        assertThat(changes.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(changes.get(0).path("from").asText()).startsWith("127.0.0.1:");
        assertThat(changes.get(0).path("at").asText()).isNotBlank();
        assertThat(changes.get(1).path("status").asInt()).isEqualTo(401);
        assertThat(changes.get(1).path("outcome").asText()).contains("refused");
    }

    private List<String> coders()
    {
        return dispatcher.agents().stream().filter(a -> a.spec().type().equals("coder")).map(AgentView::id).toList();
    }

    private long submit(final String body) throws Exception
    {
        final Answer a = call("POST", "/tasks", body, AUTH);
        assertThat(a.status()).as(a.json().toString()).isEqualTo(202);
        return a.json().path("task_id").asLong();
    }

    private static void assertRefused(final Answer a, final String error, final String fix)
    {
        assertThat(a.status()).as(a.json().toString()).isEqualTo(400);
        assertThat(a.json().path("error").asText()).contains(error);
        assertThat(a.json().path("fix").asText()).contains(fix);
    }

    private Answer call(final String method, final String path, final String body, final String authorization)
        throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(10)).header("Accept", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null)
        {
            b.header("Authorization", authorization);
        }
        final HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }
}
