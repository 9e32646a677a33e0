package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle methods do what Dispatcher's javadoc says, in the orders an embedder may call them. */
class LifecycleContractTest
{
    private static Dispatcher.Builder coders()
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("c1", "coder").build(), AgentAdapter.sync(t -> "done"))
            .strategy(TestStrategies.first());
    }

    @Test
    void awaitTerminationOnANeverStartedDispatcherTimesOutAndLeavesItStartable()
    {
        final Dispatcher d = coders().build();

        assertThat(d.awaitTermination(Duration.ofMillis(20))).as("nobody shut it down").isFalse();
        assertThat(d.state()).isEqualTo(DispatcherState.NEW);

        d.start();
        assertThat(d.submit(Task.builder("coder").build())).isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
    }

    @Test
    void closingANeverStartedDispatcherStillEndsIt()
    {
        final Dispatcher d = coders().build();

        d.close();

        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
        assertThat(d.awaitTermination(Duration.ofMillis(20))).isTrue();
    }

    /** Never answers (no timeout either); counts its stop() calls, which do not make it answer. */
    private static final class Hung implements AgentAdapter
    {
        final AtomicInteger stops = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AtomicReference<Completion> held = new AtomicReference<>();

        @Override
        public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
        {
            held.set(completion);
            started.incrementAndGet();
        }

        @Override
        public void stop()
        {
            stops.incrementAndGet();
        }
    }

    private record Ended(long id, TerminalState state, String reason)
    {
    }

    private static Dispatcher hungFleet(final Hung hung, final List<Ended> ended)
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("h1", "hang").capacity(1).build(), hung)
            .strategy(TestStrategies.first())
            .onResult((task, state, result, reason) -> ended.add(new Ended(task.task().id(), state, reason)))
            .build().start();
    }

    @Test
    void shutdownNowStopsTheAdaptersAndCancelsAnAttemptThatNeverAnswers() throws Exception
    {
        final Hung hung = new Hung();
        final List<Ended> ended = new CopyOnWriteArrayList<>();
        final Dispatcher d = hungFleet(hung, ended);
        final Task task = Task.builder("hang").build();
        assertThat(d.submit(task)).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("the attempt started", () -> hung.started.get() == 1);

        assertThat(d.shutdownNow()).as("nothing was waiting").isEmpty();

        assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
        assertThat(hung.stops).as("stop() calls").hasValue(1);
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).id()).isEqualTo(task.id());
        assertThat(ended.get(0).state()).isEqualTo(TerminalState.CANCELLED);
        assertThat(ended.get(0).reason()).startsWith(DispatchListener.SHUTDOWN_REASON_PREFIX);

        // the late answer is ignored: no second terminal state
        hung.held.get().succeed("too late");
        assertThat(ended).hasSize(1);
        assertThat(hung.stops).hasValue(1);
    }

    @Test
    void closeAfterShutdownNowDoesNotDrainAgain() throws Exception
    {
        final Hung hung = new Hung();
        final List<Ended> ended = new CopyOnWriteArrayList<>();
        final Dispatcher d = hungFleet(hung, ended);
        assertThat(d.submit(Task.builder("hang").build())).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("the attempt started", () -> hung.started.get() == 1);

        d.shutdownNow();
        final long t0 = System.nanoTime();
        d.close();

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(d.state()).isEqualTo(DispatcherState.TERMINATED);
        assertThat(hung.stops).hasValue(1);
        assertThat(ended).extracting(Ended::state).containsExactly(TerminalState.CANCELLED);
    }

    @Test
    void aDrainWaitsForAHungAttemptAndTheShutdownNowAfterItEndsIt() throws Exception
    {
        final Hung hung = new Hung();
        final List<Ended> ended = new CopyOnWriteArrayList<>();
        final Dispatcher d = hungFleet(hung, ended);
        assertThat(d.submit(Task.builder("hang").build())).isEqualTo(SubmitStatus.ACCEPTED);
        Await.until("the attempt started", () -> hung.started.get() == 1);

        assertThat(d.drain(Duration.ofMillis(200))).as("a drain never stops a running attempt").isFalse();
        assertThat(d.state()).isEqualTo(DispatcherState.DRAINING);
        assertThat(hung.stops).as("a drain stops no adapter before termination").hasValue(0);

        d.shutdownNow();
        assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(hung.stops).hasValue(1);
        assertThat(ended).extracting(Ended::state).containsExactly(TerminalState.CANCELLED);
        assertThat(ended.get(0).reason()).startsWith(DispatchListener.SHUTDOWN_REASON_PREFIX);
    }
}
