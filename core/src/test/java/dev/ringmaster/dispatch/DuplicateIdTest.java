package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A live task's id cannot be accepted twice: the same Task object, or another one built with its id. */
class DuplicateIdTest
{
    private static Dispatcher gated(final Gate gate)
    {
        return Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first())
            .build().start();
    }

    @Test
    void theSameTaskOrItsIdIsRefusedWhileLiveAndAcceptedAgainOnceFinished() throws Exception
    {
        final Gate gate = new Gate();
        final EventLog log = new EventLog();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first())
            .listener(log)
            .build().start();
        final Task task = Task.builder("worker").id(7).build();
        assertThat(d.submit(task)).isEqualTo(SubmitStatus.ACCEPTED);

        final SubmitStatus again = d.submit(task);
        assertThat(again).isEqualTo(SubmitStatus.DUPLICATE_ID);
        assertThat(again.reason()).contains("already accepted").contains("submit a new Task");
        assertThat(d.submit(Task.builder("worker").id(7).build())).isEqualTo(SubmitStatus.DUPLICATE_ID);
        assertThat(d.submitAsync(task)).failsWithin(Duration.ofSeconds(5))
            .withThrowableThat().withMessageContaining("already accepted");
        assertThat(d.submit(Task.builder("worker").id(8).build())).isEqualTo(SubmitStatus.ACCEPTED);

        assertThat(gate.releaseOne()).isTrue();
        assertThat(gate.releaseOne()).isTrue();
        awaitCompleted(log, 2);
        assertThat(d.submit(task)).as("finished, so its id is free again").isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(gate.releaseOne()).isTrue();
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(log.completed.get()).isEqualTo(3); // id 7 twice, one after the other, and id 8
    }

    @Test
    void aLiveIdIsADuplicateAlsoWhenItsQueueIsFull() throws Exception
    {
        // a user's trial: the refusal said QUEUE_FULL ("raise queueCapacity"), and the bounded submit waited its whole
        // time for room the duplicate would never be given
        final Gate gate = new Gate();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("solo", "worker").capacity(1).build(), gate)
            .strategy(TestStrategies.first()).prefetch(0).queueCapacity(1)
            .build().start();
        final Task running = Task.builder("worker").build();
        assertThat(d.submit(running)).isEqualTo(SubmitStatus.ACCEPTED);
        assertThat(d.submit(Task.builder("worker").build())).as("the one task admitted is live").isEqualTo(SubmitStatus.QUEUE_FULL);

        assertThat(d.submit(running)).isEqualTo(SubmitStatus.DUPLICATE_ID);
        assertThat(d.submit(running, Duration.ofMinutes(10))).as("refused at once, not after ten minutes")
            .isEqualTo(SubmitStatus.DUPLICATE_ID);

        assertThat(gate.releaseOne()).isTrue();
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void racingSubmissionsOfOneIdNeverAcceptTwo() throws Exception
    {
        final Gate gate = new Gate();
        final Dispatcher d = gated(gate);
        final int threads = 4;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        int acceptedInAll = 0;
        try
        {
            final java.util.SplittableRandom random = new java.util.SplittableRandom(20261129);
            for (int round = 0; round < 200; round++)
            {
                final long id = 1_000 + random.nextInt(1_000_000);
                final CyclicBarrier start = new CyclicBarrier(threads);
                final List<Future<SubmitStatus>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++)
                {
                    results.add(pool.submit(() ->
                    {
                        start.await(5, TimeUnit.SECONDS);
                        return d.submit(Task.builder("worker").id(id).build());
                    }));
                }
                int accepted = 0;
                for (final Future<SubmitStatus> f : results)
                {
                    final SubmitStatus s = f.get(10, TimeUnit.SECONDS);
                    assertThat(s).isIn(SubmitStatus.ACCEPTED, SubmitStatus.DUPLICATE_ID);
                    accepted += s == SubmitStatus.ACCEPTED ? 1 : 0;
                }
                assertThat(accepted).as("round %d, id %d", round, id).isLessThanOrEqualTo(1);
                acceptedInAll += accepted;
            }
            // both refused is allowed only for a dead heat; it must stay rare
            assertThat(acceptedInAll).isGreaterThan(150);
        }
        finally
        {
            pool.shutdownNow();
            // the gate holds every accepted task (so each id stays live through its round): let them all finish
            for (int i = 0; i < acceptedInAll; i++)
            {
                assertThat(gate.releaseOne()).isTrue();
            }
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    private static void awaitCompleted(final EventLog log, final int n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.completed.get() < n)
        {
            assertThat(System.nanoTime() - deadline).as("%d tasks completed in time", n).isNegative();
            Thread.sleep(1);
        }
    }
}
