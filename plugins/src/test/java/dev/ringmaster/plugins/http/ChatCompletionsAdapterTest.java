package dev.ringmaster.plugins.http;

import dev.ringmaster.testing.FakePool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.http.Attempts.Outcome;
import dev.ringmaster.plugins.http.LoopbackServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP adapter against a real server on loopback: answers, usage, timeouts, 429 and 5xx retries, malformed JSON,
 * and the API key that must never leak. Time is asserted only from below (a wait at least as long as asked).
 */
class ChatCompletionsAdapterTest
{
    static final String KEY = "sk-test-5ecret-0123456789abcdef";
    static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", KEY);
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoopbackServer server;

    @BeforeEach
    void start() throws Exception
    {
        server = new LoopbackServer();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private ChatCompletionsAdapter.Builder adapter()
    {
        return ChatCompletionsAdapter.builder(server.baseUrl(), "test-model").environment(ENV::get)
            .backoffBase(Duration.ofMillis(10));
    }

    @Test
    void aStringPayloadIsOneUserMessageAndUsageIsReported() throws Exception
    {
        server.answers(Answer.ok("4", 42));
        final Attempts.Recorder recorder = new Attempts.Recorder();

        final Outcome outcome = Attempts.run(adapter().tokenBudget(1_000).build(),
            Task.builder("llm").payload("What is 2 + 2?").build(), recorder);

        assertThat(outcome.error()).isNull();
        assertThat(outcome.result()).isEqualTo(new ChatReply("4", "stop", "test-model", 21, 21, 42));
        assertThat(outcome.tokens()).isEqualTo(42);
        assertThat(recorder.budget.get()).as("budget published after the answer").isEqualTo(958);
        assertThat(outcome.thread()).as("completed by the HttpClient's executor, not the caller")
            .isNotEqualTo(Thread.currentThread().getName());

        final LoopbackServer.Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
        final JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("model").asText()).isEqualTo("test-model");
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("What is 2 + 2?");
    }

    /** A chat request as a caller might model it. */
    record Chat(String model, List<Map<String, String>> messages, double temperature)
    {
    }

    @Test
    void aMapOrRecordWithMessagesIsPassedThrough() throws Exception
    {
        final ChatCompletionsAdapter adapter = adapter().build();
        final List<Map<String, String>> messages = List.of(Map.of("role", "system", "content", "be brief"),
            Map.of("role", "user", "content", "hi"));

        assertThat(Attempts.run(adapter, Task.builder("llm").payload(Map.of("messages", messages, "temperature", 0.2))
            .build()).error()).isNull();
        assertThat(Attempts.run(adapter, Task.builder("llm").payload(new Chat("other-model", messages, 0.5))
            .build()).error()).isNull();

        final JsonNode fromMap = JSON.readTree(server.received().get(0).body());
        assertThat(fromMap.path("model").asText()).isEqualTo("test-model");
        assertThat(fromMap.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(fromMap.path("messages")).hasSize(2);
        final JsonNode fromRecord = JSON.readTree(server.received().get(1).body());
        assertThat(fromRecord.path("model").asText()).as("the payload's model wins").isEqualTo("other-model");
        assertThat(fromRecord.path("messages").path(1).path("content").asText()).isEqualTo("hi");
    }

    @Test
    void aPayloadWithoutMessagesFailsTheAttemptClearly()
    {
        final ChatCompletionsAdapter adapter = adapter().build();
        final Task task = Task.builder("llm").payload(Map.of("prompt", "hi")).build();

        assertThatThrownBy(() -> adapter.execute(FakePool.view(task), new Attempts.Recorder(), new Attempts.Recorder()))
            .isInstanceOf(ChatCompletionsException.class)
            .hasMessageContaining("payload of task " + task.id())
            .hasMessageContaining("has no non-empty 'messages' list")
            .hasMessageContaining("give a String");
        assertThat(server.calls()).isZero();
    }

    @Test
    void aSlowAnswerFailsWithTheTimeoutAndTheUrl() throws Exception
    {
        server.answers(Answer.ok("late", 1).delayed(3_000));

        final Outcome withTaskTimeout = Attempts.run(adapter().build(),
            Task.builder("llm").payload("hi").timeout(Duration.ofMillis(200)).build());
        final Outcome withDefault = Attempts.run(adapter().defaultTimeout(Duration.ofMillis(300)).build(),
            Task.builder("llm").payload("hi").build());

        assertThat(withTaskTimeout.error()).isInstanceOf(ChatCompletionsException.class);
        assertThat(withTaskTimeout.message()).isEqualTo("timed out after 200 ms calling " + server.url());
        assertThat(withTaskTimeout.elapsedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(withDefault.message()).isEqualTo("timed out after 300 ms calling " + server.url());
    }

    @Test
    void a429IsRetriedAfterTheSecondsInRetryAfter() throws Exception
    {
        server.answers(Answer.status(429, "{\"error\":{\"message\":\"slow down\"}}").header("Retry-After", "1"),
            Answer.ok("done", 7));

        final Outcome outcome = Attempts.run(adapter().build(), Task.builder("llm").payload("hi").build());

        assertThat(outcome.error()).isNull();
        assertThat(outcome.tokens()).isEqualTo(7);
        assertThat(server.calls()).isEqualTo(2);
        final List<LoopbackServer.Received> r = server.received();
        assertThat(r.get(1).nanos() - r.get(0).nanos()).as("waited at least the second Retry-After asked for")
            .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void a429WithAnHttpDateIsRetriedAfterThatDate() throws Exception
    {
        // three seconds ahead, in whole seconds: at least two seconds away when formatted, so still more than one when
        // the adapter reads it on a loaded machine (two seconds ahead failed once with builds on both cores)
        final String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
        server.answers(Answer.status(429, "").header("Retry-After", inThreeSeconds), Answer.ok("done", 7));

        final Outcome outcome = Attempts.run(adapter().build(), Task.builder("llm").payload("hi").build());

        assertThat(outcome.error()).isNull();
        final List<LoopbackServer.Received> r = server.received();
        assertThat(r.get(1).nanos() - r.get(0).nanos()).as("dates have whole seconds, so at least one second")
            .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aRetryAfterBeyondTheDeadlineFailsAtOnceSayingSo() throws Exception
    {
        server.answers(Answer.status(429, "").header("Retry-After", "20"), Answer.ok("never", 1));

        final Outcome outcome = Attempts.run(adapter().build(),
            Task.builder("llm").payload("hi").timeout(Duration.ofSeconds(5)).build());

        assertThat(outcome.message()).contains("HTTP 429 from " + server.url())
            .contains("asks to wait 20000 ms (Retry-After: 20)").contains("of the attempt's 5000 ms timeout");
        assertThat(server.calls()).isEqualTo(1);
    }

    @Test
    void a500ThenSuccessSucceeds() throws Exception
    {
        server.answers(Answer.status(500, "{\"error\":\"oops\"}"), Answer.ok("fine", 3));

        final Outcome outcome = Attempts.run(adapter().build(), Task.builder("llm").payload("hi").build());

        assertThat(outcome.error()).isNull();
        assertThat(((ChatReply)outcome.result()).content()).isEqualTo("fine");
        assertThat(server.calls()).isEqualTo(2);
    }

    @Test
    void aPersistent500FailsNamingTheStatusAndTheUrl() throws Exception
    {
        server.answers(Answer.status(503, "{\"error\":\"overloaded\"}"));
        final Attempts.Recorder recorder = new Attempts.Recorder();

        final Outcome outcome = Attempts.run(adapter().maxRetries(2).build(), Task.builder("llm").payload("hi").build(),
            recorder);

        assertThat(outcome.error()).isInstanceOf(ChatCompletionsException.class);
        assertThat(((ChatCompletionsException)outcome.error()).status()).isEqualTo(503);
        assertThat(outcome.message()).startsWith("HTTP 503 from " + server.url() + " after 3 call(s)")
            .contains("overloaded");
        assertThat(server.calls()).isEqualTo(3);
        assertThat(recorder.completions.get()).isEqualTo(1);
    }

    @Test
    void otherClientErrorsAreNotRetried() throws Exception
    {
        server.answers(Answer.status(401, "{\"error\":\"bad key\"}"));

        final Outcome outcome = Attempts.run(adapter().build(), Task.builder("llm").payload("hi").build());

        assertThat(outcome.message()).startsWith("HTTP 401 from " + server.url())
            .contains("check the API key in environment variable OPENAI_API_KEY");
        assertThat(server.calls()).isEqualTo(1);
    }

    @Test
    void malformedJsonFailsClearly() throws Exception
    {
        server.answers(new Answer(200, Map.of(), "{\"choices\": [ {\"message\": ", 0));

        final Outcome outcome = Attempts.run(adapter().build(), Task.builder("llm").payload("hi").build());

        assertThat(outcome.message()).startsWith("malformed JSON from " + server.url() + " (HTTP 200)");
    }

    @Test
    void wellFormedJsonThatIsNotAChatCompletionFailsClearly() throws Exception
    {
        server.answers(new Answer(200, Map.of(), "{\"hello\": \"world\"}", 0));

        final Outcome outcome = Attempts.run(adapter().build(), Task.builder("llm").payload("hi").build());

        assertThat(outcome.message()).startsWith("no choices[0].message in the answer from " + server.url());
    }

    @Test
    void aRefusedConnectionFailsNamingTheUrl() throws Exception
    {
        final String url = server.baseUrl();
        server.close();

        final Outcome outcome = Attempts.run(ChatCompletionsAdapter.builder(url, "m").environment(ENV::get).build(),
            Task.builder("llm").payload("hi").build());

        assertThat(outcome.message()).startsWith("could not call " + url + ChatCompletionsAdapter.PATH);
    }

    @Test
    void theKeyNeverReachesMessagesResultsOrLogs() throws Exception
    {
        // a hostile server echoes what it was sent: the failure messages quote its answers
        server.answer(r -> r.body().contains("\"echo-500\"") ? Answer.status(500, "you sent " + r.authorization()) :
            r.body().contains("\"echo-401\"") ? Answer.status(401, "{\"error\":\"bad key " + r.authorization() + "\"}") :
                r.body().contains("\"echo-json\"") ? new Answer(200, Map.of(), "{" + r.authorization(), 0) :
                    Answer.ok("ok", 1));
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream logs = new ByteArrayOutputStream();
        final Outcome[] outcomes = new Outcome[4];
        final ChatCompletionsAdapter adapter = adapter().maxRetries(1).build();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try
        {
            outcomes[0] = Attempts.run(adapter, Task.builder("llm").payload("echo-500").build());
            outcomes[1] = Attempts.run(adapter, Task.builder("llm").payload("echo-401").build());
            outcomes[2] = Attempts.run(adapter, Task.builder("llm").payload("echo-json").build());
            outcomes[3] = Attempts.run(adapter, Task.builder("llm").payload("fine").build());
        }
        finally
        {
            System.setErr(stderr);
        }

        assertThat(server.received()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + KEY));
        assertThat(logs.toString(StandardCharsets.UTF_8)).as("the retry was logged").contains("HTTP 500")
            .doesNotContain(KEY);
        for (int i = 0; i < 3; i++)
        {
            assertThat(outcomes[i].error()).isNotNull();
            assertThat(outcomes[i].error().toString()).doesNotContain(KEY).contains("[redacted]");
        }
        assertThat(outcomes[3].result().toString()).doesNotContain(KEY);
        assertThat(adapter.toString()).doesNotContain(KEY).contains("OPENAI_API_KEY");
    }

    @Test
    void withoutAKeyNoAuthorizationIsSent() throws Exception
    {
        final Outcome outcome = Attempts.run(ChatCompletionsAdapter.builder(server.baseUrl() + "/v1/", "m")
            .environment(name -> null).build(), Task.builder("llm").payload("hi").build());

        assertThat(outcome.error()).isNull();
        assertThat(server.received().get(0).authorization()).isNull();
        assertThat(server.received().get(0).path()).as("a trailing /v1/ in the base URL is tolerated")
            .isEqualTo("/v1/chat/completions");
    }

    @Test
    void badSettingsAreClearErrors()
    {
        assertThatThrownBy(() -> ChatCompletionsAdapter.builder("localhost:8000", "m"))
            .hasMessageContaining("must be an http or https URL");
        assertThatThrownBy(() -> ChatCompletionsAdapter.builder("http://user:" + KEY + "@host", "m"))
            .hasMessageContaining("must not carry credentials").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> ChatCompletionsAdapter.builder("http://localhost", " "))
            .hasMessageContaining("model must name the model");
    }
}
