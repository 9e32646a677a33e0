package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task whose own timeout is shorter than the answer timeout is cancelled on the host soon after that timeout, not
 * at the answer deadline: the dispatcher gave the attempt up at the task's timeout, and the host must not hold the
 * hung call (and the agent's slot) for the rest of the answer timeout.
 */
class TaskTimeoutCancelTest
{
    @Test
    void aHungTaskIsCancelledOnTheHostSoonAfterItsOwnTimeoutNotAtTheAnswerDeadline() throws Exception
    {
        // an answer timeout far beyond the test: only the task's own timeout can free the host in time
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort())
            .withAnswerTimeout(Duration.ofMinutes(1));
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        final RemoteTesting.HangsOnce hangsOnce = new RemoteTesting.HangsOnce();
        // one task thread and capacity 1: while the hung task holds either, nothing else runs on this agent
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("stuck", settings, PayloadCodec.TEXT,
                 List.of(Map.entry(AgentSpec.builder("a@stuck", "work").build(), hangsOnce)), 1).start())
        {
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);

            final TaskResult hung = dispatcher.submitAsync(Task.builder("work").payload("hang")
                .timeout(Duration.ofMillis(300)).maxRetries(0).build()).get(10, TimeUnit.SECONDS);
            assertThat(hung.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(hung.reason()).as("core's timeout ends the attempt, as before").contains("timed out");

            Await.until("the host freed the timed-out task's slot", Duration.ofSeconds(5),
                () -> host.inFlight("a@stuck") == 0);
            // the slot is freed on the host's poller as it interrupts the task thread, which sees it a moment later
            Await.until("the hung task's thread interrupted", Duration.ofSeconds(5), hangsOnce.interrupted::get);
            final TaskResult next = dispatcher.submitAsync(Task.builder("work").payload("next").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(next.state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(next.result()).isEqualTo("ran next");
            assertThat(host.inFlight("a@stuck")).isZero();
            assertThat(fleet.stats().unanswered()).as("the host did not miss its answer deadline").isZero();
            // the remote side's release of the timed-out attempt is ignored, as the host's late answer would have been:
            // one ignored completion per timeout, no more
            assertThat(dispatcher.metrics().timeouts()).isEqualTo(1);
            assertThat(dispatcher.metrics().faults().ignoredCompletions()).isEqualTo(1);
            assertThat(fleet.stats().lateCompletions()).as("the interrupted task's failure was not sent").isZero();
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
