package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ringmaster.admin.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * POST /tasks through an acknowledged submitter (a journal in acknowledged durability): answered only once the
 * submitter acknowledges the task, or with its refusal; over real HTTP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcknowledgedSubmitTest
{
    private static final String AUTH = "Bearer t0ken-ack";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Held coder = new Held();
    /** The acknowledgement of each task the fake submitter handed to the dispatcher, for the test to complete. */
    private final LinkedBlockingQueue<CompletableFuture<Long>> acks = new LinkedBlockingQueue<>();
    private Dispatcher dispatcher;
    private AdminServer server;

    private void start(final TaskSubmitter submitter, final Duration commandWait)
    {
        dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(0).workers(2)
            .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), coder).build().start();
        server = AdminServer.builder(dispatcher).port(0).token("t0ken-ack").submitter(submitter)
            .commandWait(commandWait).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        coder.releaseAll();
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    /** Hands the task on, as a journal does, and acknowledges it only when the test completes its stage. */
    private TaskSubmitter heldAcknowledgements()
    {
        return (task, dispatch) ->
        {
            final SubmitStatus status = dispatch.apply(task);
            if (!status.accepted())
            {
                return CompletableFuture.failedFuture(new RejectedTaskException(task, status, status.reason()));
            }
            final CompletableFuture<Long> ack = new CompletableFuture<>();
            acks.add(ack);
            return ack;
        };
    }

    @Test
    void aTaskIsAnsweredOnlyOnceTheSubmitterAcknowledgesItAndIsFollowedToItsEnd() throws Exception
    {
        start(heldAcknowledgements(), Duration.ofSeconds(10));
        final AtomicBoolean acknowledged = new AtomicBoolean();
        final CompletableFuture<Boolean> answeredAfterAck = new CompletableFuture<>();
        final CompletableFuture<HttpResponse<String>> response = HTTP.sendAsync(post("{\"type\":\"coder\"}"),
            HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> answeredAfterAck.complete(acknowledged.get()));

        final CompletableFuture<Long> ack = acks.poll(10, TimeUnit.SECONDS);
        assertThat(ack).as("the endpoint submitted through the submitter").isNotNull();
        assertThat(coder.awaitHeld(1)).as("the task was handed to the dispatcher").isTrue();
        assertThatThrownBy(() -> response.get(1, TimeUnit.SECONDS)).as("no answer before the acknowledgement")
            .isInstanceOf(TimeoutException.class);

        acknowledged.set(true);
        ack.complete(42L);
        final HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
        assertThat(answeredAfterAck.get(10, TimeUnit.SECONDS)).as("answered after the acknowledgement").isTrue();
        final JsonNode json = JSON.readTree(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json.path("status").asText()).isEqualTo("ACCEPTED");
        final long id = json.path("task_id").asLong();

        coder.releaseAll();
        // the end is still kept for GET /tasks/{id}: the submitter handed the task on through the endpoint's own submit
        await(() -> get("/tasks/" + id).path("state").asText().equals("COMPLETED"));
    }

    @Test
    void aJournalThatFailedRefusesTheTaskWith503AndTheFixAndNothingRuns() throws Exception
    {
        start((task, dispatch) -> CompletableFuture.failedFuture(new RejectedTaskException(task,
            SubmitStatus.JOURNAL_FAILED, SubmitStatus.JOURNAL_FAILED.reason() + " (journal /j, writer failure: disk full)")),
            Duration.ofSeconds(10));
        final HttpResponse<String> r = HTTP.send(post("{\"type\":\"coder\"}"), HttpResponse.BodyHandlers.ofString());
        final JsonNode json = JSON.readTree(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(json.path("status").asText()).isEqualTo("JOURNAL_FAILED");
        assertThat(json.path("error").asText()).contains("the journal has stopped writing", "disk full");
        assertThat(json.path("fix").asText()).contains("journal's storage");
        assertThat(dispatcher.metrics().accepted()).isZero();
    }

    @Test
    void aJournalThatFailsAfterTheDispatcherTookTheTaskIsA503ThatSaysTheTaskMayRun() throws Exception
    {
        // the writer stopped between the journal's check and the submit: the task runs, unacknowledged
        start((task, dispatch) ->
        {
            dispatch.apply(task);
            return CompletableFuture.failedFuture(new RejectedTaskException(task, SubmitStatus.JOURNAL_FAILED,
                "journal /j, writer failure: disk full"));
        }, Duration.ofSeconds(10));
        final HttpResponse<String> r = HTTP.send(post("{\"type\":\"coder\"}"), HttpResponse.BodyHandlers.ofString());
        final JsonNode json = JSON.readTree(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(json.path("error").asText()).contains("may run").doesNotContain("not submitted");
        assertThat(json.path("fix").asText()).contains("GET /tasks/" + json.path("task_id").asLong());
        assertThat(coder.awaitHeld(1)).as("it does run").isTrue();
    }

    @Test
    void theDispatchersRefusalThroughTheSubmitterKeepsItsReasonAndStatus() throws Exception
    {
        start(heldAcknowledgements(), Duration.ofSeconds(10));
        final HttpResponse<String> r = HTTP.send(post("{\"type\":\"painter\"}"), HttpResponse.BodyHandlers.ofString());
        final JsonNode json = JSON.readTree(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json.path("status").asText()).isEqualTo("UNKNOWN_AGENT_TYPE");
        assertThat(json.path("error").asText()).contains("painter", "coder");
    }

    @Test
    void anAcknowledgementThatDoesNotComeInTimeIsA503ThatSaysTheTaskMayRun() throws Exception
    {
        start(heldAcknowledgements(), Duration.ofMillis(300));
        final HttpResponse<String> r = HTTP.send(post("{\"type\":\"coder\"}"), HttpResponse.BodyHandlers.ofString());
        final JsonNode json = JSON.readTree(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(json.path("task_id").isNumber()).isTrue();
        assertThat(json.path("error").asText()).contains("not acknowledged within 300 ms", "may still");
        assertThat(json.path("fix").asText()).contains("GET /tasks/" + json.path("task_id").asLong());
    }

    private HttpRequest post(final String body)
    {
        return HttpRequest.newBuilder(URI.create(server.url() + "/tasks")).timeout(Duration.ofSeconds(20))
            .header("Authorization", AUTH).header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode get(final String path) throws Exception
    {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", AUTH).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
