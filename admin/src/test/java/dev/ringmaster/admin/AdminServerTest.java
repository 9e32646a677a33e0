package dev.ringmaster.admin;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.ringmaster.admin.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin endpoint over real HTTP on loopback, against a real dispatcher whose agents hold their tasks. */
class AdminServerTest
{
    private static final String TOKEN = "s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Held coder1 = new Held();
    private final Held coder2 = new Held();
    private final Held reviewer1 = new Held();
    /** Adapters made for agents added over HTTP. */
    private final List<Held> created = new CopyOnWriteArrayList<>();
    private Dispatcher dispatcher;
    private AdminServer server;

    record Answer(int status, JsonNode json, HttpHeaders headers)
    {
        String error()
        {
            return json.path("error").asText();
        }
    }

    @BeforeEach
    void start()
    {
        dispatcher = Dispatcher.builder()
            .strategy(TestStrategies.leastLoaded())
            .prefetch(0)
            .workers(2)
            .agent(AgentSpec.builder("coder-1", "coder").capacity(2).skill("java", 0.9).build(), coder1)
            .agent(AgentSpec.builder("coder-2", "coder").capacity(2).build(), coder2)
            .agent(AgentSpec.builder("reviewer-1", "reviewer").capacity(1).build(), reviewer1)
            .build()
            .start();
        server = AdminServer.builder(dispatcher).port(0).token(TOKEN).adapters(spec ->
            {
                final Held adapter = new Held();
                created.add(adapter);
                return adapter;
            })
            .drainWait(Duration.ofMillis(300)).publicReads(true).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        coder1.releaseAll();
        coder2.releaseAll();
        reviewer1.releaseAll();
        created.forEach(Held::releaseAll);
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    // ---------------------------------------------------------------- reads

    @Test
    void everyReadRouteAnswersWithJson() throws Exception
    {
        dispatcher.submitOrThrow(Task.builder("coder").build());
        dispatcher.submitOrThrow(Task.builder("reviewer").maxRetries(0).payload("poison").build());
        assertThat(coder1.awaitHeld(1)).isTrue();
        await(() -> dispatcher.deadLetters().size() == 1);

        final Answer index = call("GET", "/", null, null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.json().path("routes").toString()).contains("GET /status", "POST /tasks/{id}/priority");
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));

        final Answer status = call("GET", "/status", null, null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("state").asText()).isEqualTo("running");
        assertThat(status.json().path("agents").asInt()).isEqualTo(3);
        assertThat(status.json().path("accepted").asLong()).isEqualTo(2);
        assertThat(status.json().path("outstanding").asLong()).isEqualTo(1);
        assertThat(status.json().path("dead_lettered").asLong()).isEqualTo(1);
        assertThat(status.json().path("types").path("coder").path("paused").asBoolean()).isFalse();
        assertThat(status.json().path("types").path("coder").path("agents").asInt()).isEqualTo(2);
        assertThat(status.json().has("throughput_per_s")).isTrue();
        assertThat(status.json().has("gini_by_count")).isTrue();
        assertThat(status.json().path("latency_ms").has("END_TO_END")).isTrue();

        final Answer depth = call("GET", "/queue-depth", null, null);
        assertThat(depth.status()).isEqualTo(200);
        assertThat(depth.json().path("by_priority").has("CRITICAL")).isTrue();
        assertThat(depth.json().path("by_type").path("coder").path("by_priority").has("LOW")).isTrue();
        assertThat(depth.json().path("total").asLong()).isZero();

        final Answer agents = call("GET", "/agents", null, null);
        assertThat(agents.status()).isEqualTo(200);
        assertThat(ids(agents.json().path("agents"))).containsExactly("coder-1", "coder-2", "reviewer-1");
        final JsonNode first = agents.json().path("agents").get(0);
        assertThat(first.path("in_flight").asInt()).isEqualTo(1);
        assertThat(first.path("load").asDouble()).isEqualTo(0.5);
        for (final String field : List.of("utilization", "overloaded", "draining", "completed", "failed", "tokens", "queued"))
        {
            assertThat(first.has(field)).as(field).isTrue();
        }

        final Answer distribution = call("GET", "/distribution", null, null);
        assertThat(distribution.status()).isEqualTo(200);
        assertThat(distribution.json().has("gini_by_count")).isTrue();
        assertThat(distribution.json().has("gini_by_tokens")).isTrue();
        assertThat(distribution.json().path("agents").size()).isEqualTo(3);

        final Answer dead = call("GET", "/dead-letters", null, null);
        assertThat(dead.status()).isEqualTo(200);
        assertThat(dead.json().path("dead_letters").size()).isEqualTo(1);
        assertThat(dead.json().path("dead_letters").get(0).path("reason").asText()).contains("poison task (test)");
        assertThat(dead.json().path("dead_letters").get(0).path("last_agent").asText()).isEqualTo("reviewer-1");
        assertThat(call("GET", "/dead-letters?limit=0", null, null).json().path("shown").asInt()).isZero();

        final Answer types = call("GET", "/types", null, null);
        assertThat(types.status()).isEqualTo(200);
        assertThat(types.json().path("reviewer").path("paused").asBoolean()).isFalse();
    }

    @Test
    void overloadedAgentsAreFlagged() throws Exception
    {
        for (int i = 0; i < 5; i++)
        {
            dispatcher.submitOrThrow(Task.builder("coder").build());
        }
        assertThat(coder1.awaitHeld(2)).isTrue();
        assertThat(coder2.awaitHeld(2)).isTrue();

        final Answer agents = call("GET", "/agents", null, null);

        assertThat(agents.json().path("overloaded").toString()).contains("coder-1", "coder-2").doesNotContain("reviewer-1");
        assertThat(call("GET", "/status", null, null).json().path("overloaded").size()).isEqualTo(2);
        assertThat(call("GET", "/queue-depth", null, null).json().path("by_type").path("coder").path("total").asLong())
            .isEqualTo(1);
    }

    @Test
    void agentDetailsAddARemoteAgentsHostAndConnectionAndAFailingHookCostsOnlyItsFields() throws Exception
    {
        try (AdminServer remote = AdminServer.builder(dispatcher).port(0).token(TOKEN).publicReads(true)
            .agentDetails(id -> switch (id)
            {
                case "coder-1" -> java.util.Map.of("host", "gpu-1", "connection", "connected");
                case "coder-2" -> throw new IllegalStateException("hook broke");
                default -> java.util.Map.of();
            }).start())
        {
            final Answer agents = call(remote, "GET", "/agents", null, null);
            assertThat(agents.status()).isEqualTo(200);
            final JsonNode list = agents.json().path("agents");
            JsonNode coder1Node = null;
            JsonNode coder2Node = null;
            JsonNode reviewerNode = null;
            for (final JsonNode a : list)
            {
                switch (a.path("id").asText())
                {
                    case "coder-1" -> coder1Node = a;
                    case "coder-2" -> coder2Node = a;
                    default -> reviewerNode = a;
                }
            }
            assertThat(coder1Node.path("host").asText()).isEqualTo("gpu-1");
            assertThat(coder1Node.path("connection").asText()).isEqualTo("connected");
            assertThat(coder2Node.path("details_error").asText()).contains("hook broke");
            assertThat(coder2Node.path("capacity").asInt()).isEqualTo(2);
            assertThat(reviewerNode.has("host")).isFalse();
        }
    }

    // ---------------------------------------------------------------- authorization

    @ParameterizedTest(name = "Authorization: {0}")
    @ValueSource(strings = {"<none>", "Bearer wrong", "Bearer s3cret-token-and-more", "Bearer s3cret-toke",
        "Basic czNjcmV0LXRva2Vu", "s3cret-token", "Bearer "})
    void aMissingOrWrongTokenGets401AndChangesNothing(final String authorization) throws Exception
    {
        final String auth = authorization.equals("<none>") ? null : authorization;
        dispatcher.pauseType("reviewer").get(5, TimeUnit.SECONDS);
        final Task waiting = Task.builder("reviewer").priority(Priority.LOW).build();
        dispatcher.submitOrThrow(waiting);
        await(() -> depth("reviewer", Priority.LOW) == 1);

        final List<Answer> answers = List.of(
            call("POST", "/types/coder/pause", null, auth),
            call("POST", "/types/reviewer/resume", null, auth),
            call("POST", "/agents/coder-1/drain", null, auth),
            call("DELETE", "/agents/coder-2", null, auth),
            call("POST", "/agents", "{\"id\":\"coder-9\",\"type\":\"coder\"}", auth),
            call("POST", "/tasks/" + waiting.id() + "/priority", "{\"priority\":\"CRITICAL\"}", auth),
            // an unknown type or agent is not revealed either: the token is checked first
            call("POST", "/types/nope/pause", null, auth),
            call("POST", "/agents/nope/drain", null, auth));

        for (final Answer a : answers)
        {
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.error()).contains("token");
            assertThat(a.json().path("fix").asText()).contains("Authorization: Bearer");
            assertThat(a.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        Await.routerPass(dispatcher); // anything wrongly queued to the router has been applied by now
        assertThat(dispatcher.types()).containsEntry("coder", false).containsEntry("reviewer", true);
        assertThat(dispatcher.agents()).extracting(AgentView::id).containsExactly("coder-1", "coder-2", "reviewer-1");
        assertThat(depth("reviewer", Priority.LOW)).isEqualTo(1);
        assertThat(depth("reviewer", Priority.CRITICAL)).isZero();
    }

    @Test
    void metricsArePrometheusTextWithRingmasterSeries() throws Exception
    {
        dispatcher.submitOrThrow(Task.builder("reviewer").build());
        await(() -> reviewer1.held() == 1);
        reviewer1.releaseAll();
        await(() -> dispatcher.metrics().completed() == 1);
        final HttpResponse<String> m = raw(server, "GET", "/metrics", null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(m.body())
            .contains("# TYPE ringmaster_tasks_total counter")
            .containsPattern("ringmaster_tasks_total\\{state=\"completed\"} 1(\\.0)?\\n")
            .contains("ringmaster_queue_depth{priority=\"medium\",type=\"coder\"}")
            .contains("ringmaster_agent_load{agent=\"coder-1\",type=\"coder\"}")
            .contains("ringmaster_stage_latency_seconds{quantile=\"0.99\",stage=\"end_to_end\"}")
            .contains("ringmaster_gini{by=\"count\"}");
        for (final String line : m.body().split("\n"))
        {
            // every sample line is 'name{labels} value': a stray line would make Prometheus reject the scrape
            assertThat(line).matches("(#.*|ringmaster_[a-z_]+(\\{.*})? [-+0-9.eENaInf]+|)");
        }
    }

    @Test
    void readyTurns503WhenATypeIsPausedAndNamesWhy() throws Exception
    {
        assertThat(call("GET", "/ready", null, null).json().path("ready").asBoolean()).isTrue();
        dispatcher.pauseType("reviewer").get(5, TimeUnit.SECONDS);
        final Answer ready = call("GET", "/ready", null, null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("problems").toString()).contains("agent type 'reviewer' is paused");
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
    }

    @Test
    void readyTurns503WhileTheLastAgentOfATypeDrains() throws Exception
    {
        dispatcher.submitOrThrow(Task.builder("reviewer").build());
        await(() -> reviewer1.held() == 1);
        // reviewer-1 holds its task, so its drain goes on until the task ends: meanwhile it takes no new task
        final var drained = dispatcher.removeAgent("reviewer-1");
        await(() -> dispatcher.agents().stream().anyMatch(a -> a.id().equals("reviewer-1") && a.draining()));

        final Answer ready = call("GET", "/ready", null, null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("problems").toString()).contains("agent type 'reviewer' has no agent that can take a task");
        reviewer1.releaseAll();
        drained.get(5, TimeUnit.SECONDS);
    }

    static HttpResponse<String> raw(final AdminServer target, final String method, final String path,
                                            final String authorization) throws IOException, InterruptedException
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.url() + path))
            .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null)
        {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- fleet changes

    @Test
    void pauseAndResumeChangeTheTypeAsTheJavaApiWould() throws Exception
    {
        final Answer paused = call("POST", "/types/coder/pause", null, bearer());
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().path("paused").asBoolean()).isTrue();
        assertThat(dispatcher.types()).containsEntry("coder", true).containsEntry("reviewer", false);

        for (int i = 0; i < 3; i++)
        {
            dispatcher.submitOrThrow(Task.builder("coder").build());
        }
        await(() -> call("GET", "/queue-depth", null, null).json().path("by_type").path("coder").path("total").asLong() == 3);
        assertThat(coder1.held() + coder2.held()).isZero();
        assertThat(call("GET", "/status", null, null).json().path("types").path("coder").path("paused").asBoolean()).isTrue();

        final Answer resumed = call("POST", "/types/coder/resume", null, bearer());
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().path("paused").asBoolean()).isFalse();
        assertThat(resumed.json().path("waiting").asInt()).isEqualTo(3);
        assertThat(dispatcher.types()).containsEntry("coder", false);
        await(() -> coder1.held() + coder2.held() == 3);
    }

    @Test
    void drainingAnIdleAgentRemovesItAtOnce() throws Exception
    {
        final Answer a = call("POST", "/agents/coder-2/drain", null, bearer());

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("removed").asBoolean()).isTrue();
        assertThat(dispatcher.agents()).extracting(AgentView::id).containsExactly("coder-1", "reviewer-1");
        assertThat(ids(call("GET", "/agents", null, null).json().path("agents"))).containsExactly("coder-1", "reviewer-1");
    }

    @Test
    void drainingABusyAgentAnswers202ThenTheAgentLeavesOnceItsTasksFinish() throws Exception
    {
        dispatcher.submitOrThrow(Task.builder("coder").build());
        assertThat(coder1.awaitHeld(1)).isTrue();

        final Answer a = call("DELETE", "/agents/coder-1?wait=0.1", null, bearer());

        assertThat(a.status()).isEqualTo(202);
        assertThat(a.json().path("removed").asBoolean()).isFalse();
        assertThat(a.json().path("note").asText()).contains("draining");
        final JsonNode listed = call("GET", "/agents", null, null).json().path("agents").get(0);
        assertThat(listed.path("id").asText()).isEqualTo("coder-1");
        assertThat(listed.path("draining").asBoolean()).isTrue();
        // a drained agent gets nothing new: a fresh task goes to the other coder
        dispatcher.submitOrThrow(Task.builder("coder").build());
        assertThat(coder2.awaitHeld(1)).isTrue();

        final Answer again = call("POST", "/agents/coder-1/drain", null, bearer());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).contains("already being removed");

        coder1.releaseAll();
        await(() -> dispatcher.agents().stream().noneMatch(v -> v.id().equals("coder-1")));
        await(() -> ids(call("GET", "/agents", null, null).json().path("agents")).equals(List.of("coder-2", "reviewer-1")));
        assertThat(dispatcher.metrics().completed()).isEqualTo(1);
    }

    @Test
    void addingAnAgentFromJsonUsesTheEmbeddersAdapters() throws Exception
    {
        final Answer a = call("POST", "/agents",
            "{\"id\":\"coder-9\",\"type\":\"coder\",\"capacity\":3,\"weight\":2,\"speed\":2.5,\"skills\":{\"rust\":0.7}}",
            bearer());

        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().path("id").asText()).isEqualTo("coder-9");
        final AgentView added = dispatcher.agents().get(3);
        assertThat(added.id()).isEqualTo("coder-9");
        assertThat(added.capacity()).isEqualTo(3);
        assertThat(added.weight()).isEqualTo(2);
        assertThat(added.speed()).isEqualTo(2.5);
        assertThat(added.spec().proficiency()).containsEntry("rust", 0.7);
        // only coder-9 has rust: a rust task reaches it
        assertThat(dispatcher.submit(Task.builder("coder").requiredSkills("rust").build())).isEqualTo(SubmitStatus.ACCEPTED);
        await(() -> dispatcher.agents().get(3).inFlight() == 1);

        final Answer typo = call("POST", "/agents", "{\"id\":\"tester-1\",\"type\":\"tester\"}", bearer());
        assertThat(typo.status()).as("an unknown type is refused unless asked for").isEqualTo(404);
        assertThat(typo.error()).contains("unknown agent type 'tester'");
        final Answer newType = call("POST", "/agents", "{\"id\":\"tester-1\",\"type\":\"tester\",\"new_type\":true}",
            bearer());
        assertThat(newType.status()).isEqualTo(201);
        assertThat(dispatcher.types()).containsKey("tester");

        final Answer duplicate = call("POST", "/agents", "{\"id\":\"coder-1\",\"type\":\"coder\"}", bearer());
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.error()).contains("duplicate agent id 'coder-1'");
    }

    @Test
    void aBadAgentSpecIs400AndAddsNothing() throws Exception
    {
        final String[] pairs = {
            "{\"id\":\"x\",", "not valid JSON",
            "[1,2]", "one JSON object",
            "{\"id\":\"x\"}", "\"type\"",
            "{\"id\":\"x\",\"type\":\"coder\",\"capacity\":0}", "capacity",
            "{\"id\":\"x\",\"type\":\"coder\",\"capacity\":1.5}", "whole number",
            "{\"id\":\"x\",\"type\":\"coder\",\"skills\":{\"java\":1.5}}", "[0, 1]",
            "{\"id\":\"x\",\"type\":\"coder\",\"speed\":0}", "speed of agent 'x' must be a finite number > 0",
            "{\"id\":\"x\",\"type\":\"coder\",\"speed\":\"fast\"}", "\"speed\" must be a number",
            "{\"id\":\"x\",\"type\":\"coder\",\"colour\":\"red\"}", "unknown field 'colour'",
            "{\"id\":\"bad\\nid\",\"type\":\"coder\"}", "agent id 'bad\\nid' is not a valid name",
            "{\"id\":\"x\",\"type\":\"co der\"}", "agent type 'co der' is not a valid name"};
        final Map<String, String> bodies = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2)
        {
            bodies.put(pairs[i], pairs[i + 1]);
        }
        for (final Map.Entry<String, String> e : bodies.entrySet())
        {
            final Answer a = call("POST", "/agents", e.getKey(), bearer());
            assertThat(a.status()).as(e.getKey()).isEqualTo(400);
            assertThat(a.error()).as(e.getKey()).contains(e.getValue());
            assertThat(a.json().path("fix").asText()).as(e.getKey()).isNotBlank();
        }
        assertThat(dispatcher.agents()).hasSize(3);
    }

    /** An operator trial's empty POST /tasks got the reprioritize route's example as its fix. */
    @Test
    void anEmptyAmbiguousOrBadlyNamedTaskBodyIs400WithAFixForThatRoute() throws Exception
    {
        final Answer empty = call("POST", "/tasks", "", bearer());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.error()).contains("one JSON object");
        assertThat(empty.json().path("fix").asText()).contains("\"type\"").doesNotContain("priority");
        final Answer twice = call("POST", "/tasks", "{\"type\":\"coder\",\"type\":\"reviewer\"}", bearer());
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.error()).contains("Duplicate field 'type'");
        for (final String tenant : new String[]{"", "a b", "x".repeat(129)})
        {
            final Answer bad = call("POST", "/tasks", "{\"type\":\"coder\",\"tenant\":\"" + tenant + "\"}", bearer());
            assertThat(bad.status()).as("tenant '%s'", tenant).isEqualTo(400);
            assertThat(bad.error()).contains("is not a valid name");
            assertThat(bad.json().path("fix").asText()).contains("leave \"tenant\" out");
        }
        assertThat(dispatcher.metrics().accepted()).isZero();
    }

    @Test
    void withoutAnAdapterSupplierAddingIs501() throws Exception
    {
        try (AdminServer bare = AdminServer.builder(dispatcher).port(0).token(TOKEN).start())
        {
            final Answer a = call(bare, "POST", "/agents", "{\"id\":\"coder-9\",\"type\":\"coder\"}", bearer());
            assertThat(a.status()).isEqualTo(501);
            assertThat(a.json().path("fix").asText()).contains("adapters(");
        }
        assertThat(dispatcher.agents()).hasSize(3);
    }

    @Test
    void reprioritizingMovesAWaitingTaskAndExplainsTheOtherOutcomes() throws Exception
    {
        dispatcher.pauseType("coder").get(5, TimeUnit.SECONDS);
        final Task low = Task.builder("coder").priority(Priority.LOW).build();
        dispatcher.submitOrThrow(low);
        await(() -> depth("coder", Priority.LOW) == 1);

        final Answer moved = call("POST", "/tasks/" + low.id() + "/priority", "{\"priority\":\"critical\"}", bearer());
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().path("outcome").asText()).isEqualTo("MOVED");
        assertThat(moved.json().path("reason").asText()).isNotBlank();
        assertThat(depth("coder", Priority.LOW)).isZero();
        assertThat(depth("coder", Priority.CRITICAL)).isEqualTo(1);

        final Answer missing = call("POST", "/tasks/987654321/priority", "{\"priority\":\"HIGH\"}", bearer());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("outcome").asText()).isEqualTo("NOT_FOUND");
        assertThat(missing.error()).contains("987654321");

        dispatcher.resumeType("coder").get(5, TimeUnit.SECONDS);
        assertThat(coder1.awaitHeld(1)).isTrue();
        final Answer running = call("POST", "/tasks/" + low.id() + "/priority", "{\"priority\":\"LOW\"}", bearer());
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.json().path("outcome").asText()).isEqualTo("ALREADY_RUNNING");
        assertThat(running.json().path("reason").asText()).contains("already running");

        final Answer badPriority = call("POST", "/tasks/" + low.id() + "/priority", "{\"priority\":\"URGENT\"}", bearer());
        assertThat(badPriority.status()).isEqualTo(400);
        assertThat(badPriority.error()).contains("URGENT");
        assertThat(badPriority.json().path("fix").asText()).contains("CRITICAL", "HIGH", "MEDIUM", "LOW");
        assertThat(call("POST", "/tasks/abc/priority", "{\"priority\":\"HIGH\"}", bearer()).status()).isEqualTo(400);
        assertThat(call("POST", "/tasks/1/priority", "{}", bearer()).status()).isEqualTo(400);
        assertThat(call("POST", "/tasks/1/priority", null, bearer()).status()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void anUnknownTypeOrAgentIs404NamingTheKnownOnes() throws Exception
    {
        for (final String verb : List.of("pause", "resume"))
        {
            final Answer a = call("POST", "/types/codr/" + verb, null, bearer());
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.error()).contains("'codr'", "coder", "reviewer");
        }
        final Answer drain = call("POST", "/agents/ghost/drain", null, bearer());
        assertThat(drain.status()).isEqualTo(404);
        assertThat(drain.error()).contains("'ghost'", "coder-1", "coder-2", "reviewer-1");
        assertThat(call("DELETE", "/agents/ghost", null, bearer()).status()).isEqualTo(404);
        assertThat(dispatcher.types()).containsEntry("coder", false);
    }

    @Test
    void anUnknownRouteIs404AndAWrongMethodIs405() throws Exception
    {
        final Answer unknown = call("GET", "/nope", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("fix").asText()).contains("GET /");

        final Answer getPause = call("GET", "/types/coder/pause", null, null);
        assertThat(getPause.status()).isEqualTo(405);
        assertThat(getPause.headers().firstValue("Allow")).hasValue("POST");
        assertThat(call("PUT", "/status", "{}", bearer()).status()).isEqualTo(405);
        assertThat(call("DELETE", "/agents", null, bearer()).status()).isEqualTo(405);
        assertThat(call("POST", "/types/coder/stop", null, bearer()).status()).isEqualTo(404);
        assertThat(dispatcher.types()).containsEntry("coder", false);
    }

    @Test
    void aStoppedDispatcherAnswersReadsAndRefusesChangesWith409() throws Exception
    {
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));

        assertThat(call("GET", "/status", null, null).json().path("state").asText()).isEqualTo("terminated");
        final Answer a = call("POST", "/types/coder/pause", null, bearer());
        assertThat(a.status()).isEqualTo(409);
        assertThat(a.error()).contains("the dispatcher is not running (it is terminated)");
    }

    static String bearer()
    {
        return "Bearer " + TOKEN;
    }

    private long depth(final String type, final Priority p)
    {
        return dispatcher.queueDepthByType().get(type).get(p);
    }

    private static List<String> ids(final JsonNode agents)
    {
        return java.util.stream.StreamSupport.stream(agents.spliterator(), false).map(a -> a.path("id").asText()).toList();
    }

    private Answer call(final String method, final String path, final String body, final String authorization)
        throws IOException, InterruptedException
    {
        return call(server, method, path, body, authorization);
    }

    static Answer call(final AdminServer target, final String method, final String path, final String body,
                               final String authorization) throws IOException, InterruptedException
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.url() + path))
            .timeout(Duration.ofSeconds(10)).header("Accept", "application/json") // as the CLI: JSON, not the page
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null)
        {
            b.header("Authorization", authorization);
        }
        final HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r.headers());
    }
}
