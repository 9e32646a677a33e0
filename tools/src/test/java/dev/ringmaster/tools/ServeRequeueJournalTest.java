package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.admin.AdminServer;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.Recovery;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead letter requeued over the endpoint of a serve with an acknowledged journal goes through the journal as a task
 * submitted there does: 202 once its acceptance is written and followed to its end, and refused (nothing runs) once
 * the journal stopped writing. Wired as serve wires it ({@code journal::submitAcknowledged}), over real HTTP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeRequeueJournalTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aRequeueIsJournaledBeforeItIsAcknowledgedAndRefusedWhenTheJournalCannotWrite() throws Exception
    {
        final AtomicBoolean broken = new AtomicBoolean(true);
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
        final Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED));
        final Dispatcher d = Dispatcher.builder().listener(journal.listener()).seed(7)
            .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), flaky).build().start();
        final AdminServer server = AdminServer.builder(d).port(0).token("t0ken-j").submitter(journal::submitAcknowledged)
            .start();
        try
        {
            final Task first = Task.builder("coder").id(100).maxRetries(0).payload("p").build();
            final Task second = Task.builder("coder").id(101).maxRetries(0).payload("q").build();
            assertThat(d.submit(first)).isEqualTo(SubmitStatus.ACCEPTED);
            assertThat(d.submit(second)).isEqualTo(SubmitStatus.ACCEPTED);
            until(() -> d.deadLetters().size() == 2);
            broken.set(false);

            final HttpResponse<String> requeued = post(server, "/dead-letters/100/requeue");
            assertThat(requeued.statusCode()).as(requeued.body()).isEqualTo(202);
            until(() -> get(server, "/tasks/100").path("state").asText().equals("COMPLETED"));
            assertThat(get(server, "/tasks/100").path("result").asText()).isEqualTo("fixed");

            journal.close(); // the writer stops: nothing more can be journaled
            final HttpResponse<String> refused = post(server, "/dead-letters/101/requeue");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(JSON.readTree(refused.body()).path("status").asText()).isEqualTo("JOURNAL_FAILED");
            assertThat(d.metrics().accepted()).as("the unjournaled requeue did not run").isEqualTo(3);
            assertThat(d.deadLetters()).extracting(l -> l.task().id()).containsExactly(101L);
        }
        finally
        {
            server.close();
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(10));
            journal.close();
        }
        // the requeue's acceptance and its end were written: nothing of task 100 is left open
        assertThat(Recovery.scan(dir, dev.ringmaster.journal.PayloadCodec.standard()).pending()).extracting(Task::id).doesNotContain(100L);
    }

    private static void until(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
            Thread.sleep(5);
        }
    }

    private static HttpResponse<String> post(final AdminServer server, final String path) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer t0ken-j").POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(final AdminServer server, final String path)
    {
        try
        {
            return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer t0ken-j").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        }
        catch (final Exception e)
        {
            throw new IllegalStateException(e);
        }
    }
}
