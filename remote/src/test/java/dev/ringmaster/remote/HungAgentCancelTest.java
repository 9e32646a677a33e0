package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt the dispatcher gives up at its answer deadline is cancelled on the host too: the hung task gives its slot
 * back, so a host's capacity does not leak one slot per hang.
 */
class HungAgentCancelTest
{
    @Test
    void aHungSynchronousTaskIsInterruptedAtTheAnswerDeadlineAndTheHostRunsTheNextTask() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort())
            .withAnswerTimeout(Duration.ofMillis(300));
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        final RemoteTesting.HangsOnce hangsOnce = new RemoteTesting.HangsOnce();
        // one task thread: while the hung task holds it, nothing else runs on this host
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("stuck", settings, PayloadCodec.TEXT,
                 List.of(Map.entry(AgentSpec.builder("a@stuck", "work").build(), hangsOnce)), 1).start())
        {
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);
            assertThat(host.inFlight("a@stuck")).isZero();

            final TaskResult hung = dispatcher.submitAsync(Task.builder("work").payload("hang").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(hung.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(hung.reason()).contains("did not answer");

            Await.until("the host freed the hung task's slot", () -> host.inFlight("a@stuck") == 0);
            // the slot is freed before the call is interrupted (HostedAttempt.cancel): the flag may come a moment later
            Await.until("the hung task's thread interrupted", Duration.ofSeconds(10), hangsOnce.interrupted::get);
            final TaskResult next = dispatcher.submitAsync(Task.builder("work").payload("next").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(next.state()).isEqualTo(TerminalState.COMPLETED);
            assertThat(next.result()).isEqualTo("ran next");
            assertThat(host.inFlight("a@stuck")).isZero();
            assertThat(fleet.stats().lateCompletions()).as("the interrupted task's failure was not sent").isZero();
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }

    @Test
    void anAsynchronousTaskCancelledAtTheAnswerDeadlineFreesItsSlotAndItsLateAnswerIsNotSent() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort())
            .withAnswerTimeout(Duration.ofMillis(300));
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        final RemoteTesting.HoldsFirst holdsFirst = new RemoteTesting.HoldsFirst();
        final AtomicReference<Completion> held = holdsFirst.held;
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("slow", settings, PayloadCodec.TEXT,
                 List.of(Map.entry(AgentSpec.builder("a@slow", "work").capacity(2).build(), holdsFirst)), 0).start())
        {
            assertThat(fleet.awaitHosts(1, Duration.ofSeconds(20))).isTrue();
            Await.until("the remote agent added", () -> dispatcher.agents().size() == 2);

            final TaskResult hung = dispatcher.submitAsync(Task.builder("work").payload("hold").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(hung.state()).isEqualTo(TerminalState.DEAD_LETTERED);
            assertThat(held.get()).isNotNull();
            Await.until("the host freed the cancelled task's slot", () -> host.inFlight("a@slow") == 0);

            // the agent answers after all: the host keeps it to itself. Sent, it would reach the dispatcher before
            // the next task's answer (one publication, in order) and count as late there
            held.get().succeed("too late");
            final TaskResult next = dispatcher.submitAsync(Task.builder("work").payload("next").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(next.result()).isEqualTo("ran next");
            assertThat(fleet.stats().lateCompletions()).isZero();
            assertThat(host.inFlight("a@slow")).isZero();
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
