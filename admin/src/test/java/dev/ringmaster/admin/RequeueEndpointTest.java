package dev.ringmaster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ringmaster.admin.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * POST /dead-letters/{id}/requeue: the requeued task is followed to its new end by GET /tasks/{id}, as a submitted
 * one, and with an acknowledged submitter (a journal in acknowledged durability) the 202 waits for its
 * acknowledgement, and a failed journal refuses it; over real HTTP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequeueEndpointTest
{
    private static final String AUTH = "Bearer t0ken-requeue";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** While set, the agent fails every attempt (a downstream outage); then it answers "fixed". */
    private final AtomicBoolean broken = new AtomicBoolean(true);
    /** The tasks the submitter was handed, and their acknowledgements, for the test to complete. */
    private final List<Task> handed = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<CompletableFuture<Long>> acks = new LinkedBlockingQueue<>();
    private Dispatcher dispatcher;
    private AdminServer server;

    private void start(final TaskSubmitter submitter)
    {
        start(submitter, Duration.ofSeconds(10));
    }

    private void start(final TaskSubmitter submitter, final Duration commandWait)
    {
        final AgentAdapter flaky = (view, completion, telemetry) ->
        {
            if (broken.get())
            {
                completion.fail(new IllegalStateException("downstream is down (test)"));
            }
            else
            {
                completion.succeed("fixed");
            }
        };
        dispatcher = Dispatcher.builder().strategy(TestStrategies.leastLoaded())
            .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), flaky).build().start();
        final AdminServer.Builder b = AdminServer.builder(dispatcher).port(0).token("t0ken-requeue")
            .commandWait(commandWait);
        server = (submitter == null ? b : b.submitter(submitter)).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        dispatcher.shutdownNow();
        dispatcher.awaitTermination(Duration.ofSeconds(5));
    }

    /** Dead-letters a task that reached the dispatcher in-process (serve's workload does), @return its id. */
    private long deadLetter() throws Exception
    {
        final Task task = Task.builder("coder").maxRetries(0).payload("p").build();
        assertThat(dispatcher.submit(task)).isEqualTo(SubmitStatus.ACCEPTED);
        await(() -> dispatcher.deadLetters().size() == 1);
        broken.set(false);
        return task.id();
    }

    @Test
    void aRequeuedTaskThatCompletesIsFollowedToItsEndAsTheHintSays() throws Exception
    {
        start(null);
        final long id = deadLetter();

        final HttpResponse<String> r = post("/dead-letters/" + id + "/requeue");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).path("note").asText()).contains("GET /tasks/" + id);

        await(() -> get("/tasks/" + id).path("state").asText().equals("COMPLETED"));
        final JsonNode done = get("/tasks/" + id);
        assertThat(done.path("result").asText()).isEqualTo("fixed");
        assertThat(done.path("agent").asText()).isEqualTo("coder-1");
    }

    @Test
    void onAnAcknowledgedSubmitterTheRequeueIsAnsweredOnlyOnceAcknowledged() throws Exception
    {
        start((task, dispatch) ->
        {
            handed.add(task);
            final SubmitStatus status = dispatch.apply(task);
            if (!status.accepted())
            {
                return CompletableFuture.failedFuture(new RejectedTaskException(task, status, status.reason()));
            }
            final CompletableFuture<Long> ack = new CompletableFuture<>();
            acks.add(ack);
            return ack;
        });
        final long id = deadLetter();

        final CompletableFuture<HttpResponse<String>> response = HTTP.sendAsync(request("/dead-letters/" + id +
            "/requeue"), HttpResponse.BodyHandlers.ofString());
        final CompletableFuture<Long> ack = acks.poll(10, TimeUnit.SECONDS);
        assertThat(ack).as("the requeue went through the submitter, as POST /tasks does").isNotNull();
        assertThat(handed).extracting(Task::id).containsExactly(id);
        assertThatThrownBy(() -> response.get(1, TimeUnit.SECONDS)).as("no answer before the acknowledgement")
            .isInstanceOf(TimeoutException.class);

        ack.complete(7L);
        final HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        await(() -> get("/tasks/" + id).path("state").asText().equals("COMPLETED"));
    }

    /**
     * The journal took the requeue but did not acknowledge it within the command wait: the answer must speak of the
     * requeue, not tell the client to submit the task again (POST /tasks's wording), since the letter is off the list
     * and the requeued task may run.
     */
    @Test
    void aRequeueWhoseAcknowledgementDoesNotComeInTimeIsA503ThatNamesTheRequeue() throws Exception
    {
        start((task, dispatch) ->
        {
            final SubmitStatus status = dispatch.apply(task);
            if (!status.accepted())
            {
                return CompletableFuture.failedFuture(new RejectedTaskException(task, status, status.reason()));
            }
            final CompletableFuture<Long> ack = new CompletableFuture<>();
            acks.add(ack);
            return ack;
        }, Duration.ofMillis(300));
        final long id = deadLetter();

        final HttpResponse<String> r = post("/dead-letters/" + id + "/requeue");
        final JsonNode json = JSON.readTree(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(json.path("task_id").asLong()).isEqualTo(id);
        assertThat(json.path("error").asText()).contains("requeue of dead letter " + id, "not acknowledged within " +
            "300 ms", "may run").doesNotContain("submit it again");
        assertThat(json.path("fix").asText()).contains("GET /tasks/" + id, "do not requeue it again",
            "GET /dead-letters");
        await(() -> get("/tasks/" + id).path("state").asText().equals("COMPLETED"));
    }

    @Test
    void aFailedJournalRefusesTheRequeueRunsNothingAndKeepsTheLetter() throws Exception
    {
        start((task, dispatch) -> CompletableFuture.failedFuture(new RejectedTaskException(task,
            SubmitStatus.JOURNAL_FAILED, SubmitStatus.JOURNAL_FAILED.reason() + " (journal /j, writer failure: disk full)")));
        final long id = deadLetter();

        final HttpResponse<String> r = post("/dead-letters/" + id + "/requeue");
        final JsonNode json = JSON.readTree(r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(json.path("status").asText()).isEqualTo("JOURNAL_FAILED");
        assertThat(json.path("error").asText()).contains("disk full");
        assertThat(json.path("fix").asText()).contains("journal's storage", "the dead letter stays listed");
        assertThat(dispatcher.metrics().accepted()).as("nothing ran unjournaled").isEqualTo(1);
        assertThat(dispatcher.deadLetters()).extracting(l -> l.task().id()).containsExactly(id);
    }

    @Test
    void anUnknownIdIsStillA404ThroughTheSubmitter() throws Exception
    {
        start((task, dispatch) -> CompletableFuture.completedFuture(dispatch.apply(task)));
        final HttpResponse<String> r = post("/dead-letters/424242/requeue");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("fix").asText()).contains("GET /dead-letters");
    }

    private HttpRequest request(final String path)
    {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
            .header("Authorization", AUTH).header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private HttpResponse<String> post(final String path) throws Exception
    {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(final String path) throws Exception
    {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", AUTH).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
