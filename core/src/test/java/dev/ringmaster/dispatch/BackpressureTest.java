package dev.ringmaster.dispatch;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A full ring or a full queue rejects with the reason, and what was accepted before is not lost. */
class BackpressureTest
{
    @Test
    void aFullRingRejectsWithTheReasonAndLosesNothingAccepted() throws Exception
    {
        final CountDownLatch routerHeld = new CountDownLatch(1);
        final CountDownLatch routerBlocked = new CountDownLatch(1);
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "worker").capacity(4).build(), (t, c, tel) -> c.succeed("ok"))
            .strategy(TestStrategies.first())
            .ringSize(8)
            .listener(new DispatchListener()
            {
                @Override
                public void onAccepted(final TaskView task, final long nanos)
                {
                    // a slow listener stalls the router, which is how a ring fills in production
                    routerBlocked.countDown();
                    try
                    {
                        routerHeld.await(10, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
            })
            .listener(log)
            .build().start();

        // submitted from another thread: whichever thread routes (here that submitter, holding the routing role)
        // runs the listener, so this thread must not be the one stuck in it
        final var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> d.submit(Task.builder("worker").build()));
        assertThat(routerBlocked.await(5, TimeUnit.SECONDS)).isTrue();
        int accepted = 1;
        SubmitStatus status;
        // bounded: a ring that never fills must fail the assertion below, not loop until the queue is full
        while ((status = d.submit(Task.builder("worker").build())) == SubmitStatus.ACCEPTED && accepted < 64)
        {
            accepted++;
        }
        assertThat(status).isEqualTo(SubmitStatus.RING_FULL);
        assertThat(status.reason()).contains("ring is full").contains("ringSize");
        assertThat(accepted).isBetween(8, 9); // the ring's 8 slots, plus the event the router holds
        final var rejected = d.submitAsync(Task.builder("worker").build());
        assertThat(rejected).isCompletedExceptionally();

        routerHeld.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(log.completed.get()).isEqualTo(accepted);
        assertThat(log.duplicates).isEmpty();
    }

    /** @return a started dispatcher whose one agent runs a task only when the gate lets it, with no prefetch. */
    private static Dispatcher gatedWorker(final Gate gate, final int queueCapacity)
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("a", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first())
            .prefetch(0)
            .queueCapacity(queueCapacity)
            .build().start();
    }

    @Test
    void aFullPriorityQueueRejectsAndTheBoundedSubmitWaitsForRoom() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = gatedWorker(gate, 4);
        for (int i = 0; i < 4; i++)
        {
            assertThat(d.submit(Task.builder("worker").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        final SubmitStatus full = d.submit(Task.builder("worker").build());
        assertThat(full).isEqualTo(SubmitStatus.QUEUE_FULL);
        assertThat(full.reason()).contains("queue").contains("queueCapacity");
        // the bounded variant gives up after its wait when nothing frees
        assertThat(d.submit(Task.builder("worker").build(), Duration.ofMillis(50))).isEqualTo(SubmitStatus.QUEUE_FULL);

        // ...and succeeds once a task finishes and frees room: released only once the submit is seen waiting (parked
        // between its retries), so the test proves the wait rather than racing a fixed sleep against it
        final FutureTask<SubmitStatus> bounded =
            new FutureTask<>(() -> d.submit(Task.builder("worker").build(), Duration.ofSeconds(5)));
        final Thread submitter = new Thread(bounded, "bounded-submit");
        submitter.start();
        Await.until("the bounded submit waits for room", () -> submitter.getState() == Thread.State.TIMED_WAITING);
        assertThat(bounded.isDone()).isFalse();
        assertThat(gate.releaseOne()).isTrue();
        assertThat(bounded.get(5, TimeUnit.SECONDS)).isEqualTo(SubmitStatus.ACCEPTED);
        Await.joined(submitter);
        for (int i = 0; i < 4; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().completed()).isEqualTo(5);
    }

    @Test
    void theBoundedSubmitAsyncWaitsForRoomAndItsFutureFollowsTheTaskToItsEnd() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = gatedWorker(gate, 2);
        for (int i = 0; i < 2; i++)
        {
            assertThat(d.submit(Task.builder("worker").build())).isEqualTo(SubmitStatus.ACCEPTED);
        }
        assertThat(d.submit(Task.builder("worker").build())).isEqualTo(SubmitStatus.QUEUE_FULL);
        // gives up after its wait when nothing frees, its future failed with the refusal
        final var refused = d.submitAsync(Task.builder("worker").build(), Duration.ofMillis(50));
        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.handle((r, e) -> ((RejectedTaskException)e).status()).join()).isEqualTo(SubmitStatus.QUEUE_FULL);

        // released only once the submit is seen waiting (parked between its retries), as for the bounded submit
        final FutureTask<java.util.concurrent.CompletableFuture<TaskResult>> bounded =
            new FutureTask<>(() -> d.submitAsync(Task.builder("worker").build(), Duration.ofSeconds(5)));
        final Thread submitter = new Thread(bounded, "bounded-submit-async");
        submitter.start();
        Await.until("the bounded submit waits for room", () -> submitter.getState() == Thread.State.TIMED_WAITING);
        assertThat(bounded.isDone()).isFalse();
        assertThat(gate.releaseOne()).isTrue();
        final var end = bounded.get(5, TimeUnit.SECONDS);
        Await.joined(submitter);
        assertThat(end).isNotCompletedExceptionally();
        for (int i = 0; i < 2; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        assertThat(end.get(5, TimeUnit.SECONDS).state()).isEqualTo(TerminalState.COMPLETED);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void anInterruptedBoundedSubmitGivesUpAtOnceAndKeepsTheInterrupt() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = gatedWorker(gate, 2);
        int accepted = 0;
        while (accepted < 16 && d.submit(Task.builder("worker").build()).accepted())
        {
            accepted++; // fills the queue: the agent holds one task, the queue two
        }
        // a producer being shut down is interrupted; it must not burn a core until the wait's end, nor lose the
        // interrupt its own shutdown logic checks next
        final FutureTask<Object[]> interrupted = new FutureTask<>(() ->
        {
            Thread.currentThread().interrupt();
            final SubmitStatus status = d.submit(Task.builder("worker").build(), Duration.ofSeconds(60));
            return new Object[] {status, Thread.currentThread().isInterrupted()};
        });
        final Thread submitter = new Thread(interrupted, "interrupted-submit");
        submitter.start();
        final Object[] outcome = interrupted.get(10, TimeUnit.SECONDS);
        assertThat(outcome[0]).isEqualTo(SubmitStatus.QUEUE_FULL);
        assertThat(outcome[1]).as("interrupt status kept").isEqualTo(true);
        Await.joined(submitter);

        for (int i = 0; i < accepted; i++)
        {
            assertThat(gate.releaseOne()).isTrue();
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(d.metrics().completed()).isEqualTo(accepted); // the interrupted submit took nothing
    }
}
