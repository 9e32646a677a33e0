package dev.ringmaster.delegation;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Broadcast: every agent of the type gets a copy, the first success wins, the other copies are cancelled. */
class BroadcastTest
{
    @Test
    void everyAgentOfTheTypeGetsACopyAndTheFirstSuccessWins() throws Exception
    {
        final Gate a = new Gate();
        final Gate b = new Gate();
        final Gate c = new Gate();
        final Gate other = new Gate();
        final Tally tally = new Tally();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").build(), a)
            .agent(AgentSpec.builder("b", "coder").build(), b)
            .agent(AgentSpec.builder("c", "coder").build(), c)
            .agent(AgentSpec.builder("x", "reviewer").build(), other)
            .strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally).build().start();
        final Broadcast broadcast = new Broadcast(d);

        final CompletableFuture<TaskResult> result =
            broadcast.submitAsync(Task.builder("coder").payload("fix it").build());
        for (final Gate g : List.of(a, b, c))
        {
            final Task copy = g.awaitStart();
            assertThat(copy).isNotNull();
            assertThat(copy.payload()).isEqualTo("fix it");
        }
        assertThat(a.started.get(0).targetAgent()).isEqualTo("a");
        assertThat(b.started.get(0).targetAgent()).isEqualTo("b");
        assertThat(c.started.get(0).targetAgent()).isEqualTo("c");
        assertThat(other.started).as("an agent of another type").isEmpty();
        assertThat(result).isNotDone();

        assertThat(b.succeedNext("from b")).isTrue();
        final TaskResult winner = result.get(5, TimeUnit.SECONDS);
        assertThat(winner.agentId()).isEqualTo("b");
        assertThat(winner.result()).isEqualTo("from b");
        // a and c were already running: they cannot be preempted, so they finish and are ignored
        Await.until("both running losers are reported", () -> broadcast.losersRunning() == 2);
        a.releaseAll("from a");
        c.releaseAll("from c");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(result.get(5, TimeUnit.SECONDS).result()).isEqualTo("from b");
        assertThat(broadcast.copiesSent()).isEqualTo(3);
        assertThat(broadcast.losersCancelled()).isZero();
        tally.assertConserved();
        assertThat(tally.accepted).hasSize(3);
        assertThat(tally.count("COMPLETED")).isEqualTo(3);
    }

    @Test
    void copiesStillWaitingAreCancelledWhenAnotherWins() throws Exception
    {
        final Gate a = new Gate();
        final Gate b = new Gate();
        final Tally tally = new Tally();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").capacity(1).build(), a)
            .agent(AgentSpec.builder("b", "coder").capacity(1).build(), b)
            .agent(AgentSpec.builder("c", "coder").capacity(1).build(), AgentAdapter.sync(t -> "from c"))
            .strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally).build().start();
        // occupy a and b, so that their copies wait centrally behind these
        final CompletableFuture<TaskResult> blockA = d.submitAsync(Task.builder("coder").targetAgent("a").build());
        final CompletableFuture<TaskResult> blockB = d.submitAsync(Task.builder("coder").targetAgent("b").build());
        assertThat(a.awaitStart()).isNotNull();
        assertThat(b.awaitStart()).isNotNull();
        final Broadcast broadcast = new Broadcast(d);

        final TaskResult winner = broadcast.submitAsync(Task.builder("coder").build()).get(5, TimeUnit.SECONDS);

        assertThat(winner.agentId()).isEqualTo("c");
        Await.until("both waiting copies are cancelled", () -> broadcast.losersCancelled() == 2);
        a.releaseAll("blocker");
        b.releaseAll("blocker");
        assertThat(blockA.get(5, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(blockB.get(5, TimeUnit.SECONDS).completed()).isTrue();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(a.started).as("the copy for a never started").hasSize(1);
        assertThat(b.started).as("the copy for b never started").hasSize(1);
        tally.assertConserved();
        assertThat(tally.count("CANCELLED")).isEqualTo(2);
        assertThat(tally.count("COMPLETED")).isEqualTo(3);
    }

    @Test
    void whenEveryCopyFailsTheStageFailsWithEveryReason() throws Exception
    {
        final Tally tally = new Tally();
        final Dispatcher.Builder builder = Dispatcher.builder()
            .strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally);
        for (final String id : List.of("a", "b", "c"))
        {
            builder.agent(AgentSpec.builder(id, "coder").build(), AgentAdapter.sync(t ->
            {
                throw new IllegalStateException(id + " broke");
            }));
        }
        final Dispatcher d = builder.build().start();
        final Broadcast broadcast = new Broadcast(d);

        final Throwable failure = catchThrowable(() ->
            broadcast.submitAsync(Task.builder("coder").maxRetries(0).build()).get(5, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(DelegationException.class);
        final DelegationException e = (DelegationException)failure.getCause();
        assertThat(e.reasons()).hasSize(3);
        final List<String> expected = new ArrayList<>();
        for (final String id : List.of("a", "b", "c"))
        {
            expected.add(id + " broke");
            assertThat(e.reasons()).anySatisfy(r -> assertThat(r).contains("agent '" + id + "'")
                .contains("DEAD_LETTERED").contains(id + " broke"));
        }
        assertThat(e.getMessage()).contains("broadcast").contains(expected);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.count("DEAD_LETTERED")).isEqualTo(3);
    }

    @Test
    void noAgentOfTheTypeIsARejectionThatSaysSo() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.leastLoaded()).build().start();
        final Broadcast broadcast = new Broadcast(d);

        final Throwable unknown = catchThrowable(() ->
            broadcast.submitAsync(Task.builder("painter").build()).get(5, TimeUnit.SECONDS));
        final Throwable avoided = catchThrowable(() ->
            broadcast.submitAsync(Task.builder("coder").avoidAgent("a").build()).get(5, TimeUnit.SECONDS));

        assertThat(unknown.getCause()).isInstanceOf(RejectedTaskException.class).hasMessageContaining("painter");
        assertThat(((RejectedTaskException)unknown.getCause()).status()).isEqualTo(SubmitStatus.UNKNOWN_AGENT_TYPE);
        assertThat(avoided.getCause()).isInstanceOf(RejectedTaskException.class).hasMessageContaining("avoiding 'a'");
        assertThat(broadcast.copiesSent()).isZero();
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aStoppedDispatcherIsOneRefusalNotOnePerCopy() throws Exception
    {
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .agent(AgentSpec.builder("b", "coder").build(), AgentAdapter.sync(t -> "ok"))
            .strategy(TestStrategies.leastLoaded()).build().start();
        final Broadcast broadcast = new Broadcast(d);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();

        // one refusal naming the state, not a DelegationException that repeated the same refusal once per copy
        final Throwable stopped = catchThrowable(() ->
            broadcast.submitAsync(Task.builder("coder").build()).get(5, TimeUnit.SECONDS));
        assertThat(stopped.getCause()).isInstanceOf(RejectedTaskException.class).hasMessageContaining("TERMINATED");
        assertThat(((RejectedTaskException)stopped.getCause()).status()).isEqualTo(SubmitStatus.NOT_RUNNING);
        assertThat(broadcast.copiesSent()).isZero();
    }

    @Test
    void cancellingTheStageCancelsTheCopiesStillWaiting() throws Exception
    {
        final Gate a = new Gate();
        final Gate b = new Gate();
        final Tally tally = new Tally();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "coder").build(), a)
            .agent(AgentSpec.builder("b", "coder").build(), b)
            .strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally).build().start();
        d.submit(Task.builder("coder").targetAgent("a").build());
        d.submit(Task.builder("coder").targetAgent("b").build());
        assertThat(a.awaitStart()).isNotNull();
        assertThat(b.awaitStart()).isNotNull();
        final Broadcast broadcast = new Broadcast(d);
        final CompletableFuture<TaskResult> result = broadcast.submitAsync(Task.builder("coder").build());
        Await.until("both copies are accepted", () -> tally.accepted.size() == 4);

        result.cancel(true);

        Await.until("both waiting copies are cancelled", () -> broadcast.losersCancelled() == 2);
        a.releaseAll("blocker");
        b.releaseAll("blocker");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.count("CANCELLED")).isEqualTo(2);
    }
}
