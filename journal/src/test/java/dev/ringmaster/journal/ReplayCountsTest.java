package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.journal.replay.AgentReplay;
import dev.ringmaster.journal.replay.Replay;
import dev.ringmaster.journal.replay.ReplayReport;
import dev.ringmaster.journal.replay.UtilizationBucket;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.FakePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures an analyst reads off {@code ringmaster replay} add up, and agree with recovery's. */
class ReplayCountsTest
{
    @TempDir
    Path dir;

    @Test
    void aTaskRecoveryDispatchedAgainIsOneAcceptedTaskSoTheTaskCountsAddUp()
    {
        final Task leftOpen = Task.builder("coder").id(40).payload("left open").build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            // a run killed after accepting task 40 and before finishing it
            journal.listener().onAccepted(FakePool.view(leftOpen, 1_000, 1), 1_000);
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            d.submit(Task.builder("coder").id(41).payload("new").build(), Duration.ofSeconds(5));
            assertThat(RecoveryPlan.rejected(plan.redispatch(journal, d, Duration.ofSeconds(5)))).isZero();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            d.close();
        }
        final ReplayReport report = replay(1_000);
        final RecoveryPlan after = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(report.count(EventType.ACCEPTED)).as("records: task 40 twice").isEqualTo(3);
        assertThat(report.acceptedTasks()).as("tasks 40 and 41, as recovery counts them")
            .isEqualTo(2).isEqualTo(after.accepted());
        assertThat(report.count(EventType.COMPLETED)).isEqualTo(2);
        assertThat(report.openTasks()).isZero();
    }

    /**
     * A task recovered after a crash ends, in replay's end to end, from its first acceptance: counted from its
     * acceptance by recovery, an outage of seconds read as sub-second (a user's trial: 24 s of waiting showed as a p99
     * of 1.4 s). The two runs' monotonic clocks do not compare, so it is the wall clock's span.
     */
    @Test
    void aRecoveredTasksEndToEndSpansTheOutage() throws Exception
    {
        final Task leftOpen = Task.builder("coder").id(50).payload("left open").build();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final long now = System.nanoTime();
            journal.listener().onAccepted(FakePool.view(leftOpen, now, 1), now);
        }
        Thread.sleep(400); // the outage: the gap between the crashed run and the recovering one
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            assertThat(RecoveryPlan.rejected(plan.redispatch(journal, d, Duration.ofSeconds(5)))).isZero();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
            d.close();
        }
        final ReplayReport report = replay(1_000);
        assertThat(report.count(EventType.COMPLETED)).isEqualTo(1);
        assertThat(report.stages().get("END_TO_END").maxNanos()).as("from the first acceptance")
            .isGreaterThanOrEqualTo(400_000_000L);
    }

    /** An agent given a task it never finished (a run killed early) is in the distribution, with 0 completed. */
    @Test
    void anAgentThatWasAssignedButFinishedNothingCountsInTheGini()
    {
        final FakePool pool = new FakePool(2);
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final dev.ringmaster.spi.DispatchListener l = journal.listener();
            final dev.ringmaster.spi.TaskView done = FakePool.view(Task.builder("coder").id(1).build(), 1_000, 1);
            final dev.ringmaster.spi.TaskView open = FakePool.view(Task.builder("coder").id(2).build(), 1_000, 2);
            l.onAccepted(done, 1_000);
            l.onAccepted(open, 1_000);
            l.onAssigned(done, pool.agent(0), "least-connections", Double.NaN, Double.NaN, 2_000);
            l.onAssigned(open, pool.agent(1), "least-connections", Double.NaN, Double.NaN, 2_000);
            l.onStarted(done, pool.agent(0), 3_000);
            l.onCompleted(done, pool.agent(0), 0, 4_000);
        }
        final ReplayReport report = replay(1_000);
        assertThat(report.agents()).extracting(AgentReplay::agentId)
            .containsExactly(pool.agent(0).id(), pool.agent(1).id());
        assertThat(report.giniByCount()).as("one agent did all of it: not 'perfectly even'").isGreaterThan(0.4);
    }

    /**
     * A task that waited in the ingress ring before the router took it in: end to end counts from when submit accepted
     * it, queue wait from when the router took it in, as the dispatcher's own stages do (replay's end to end used to
     * start at the router, a demo's p99 of 425 ms replaying as 269 ms).
     */
    @Test
    void endToEndCountsFromSubmitAndQueueWaitFromWhenTheRouterTookTheTaskIn()
    {
        final dev.ringmaster.spi.TaskView task = FakePool.view(Task.builder("coder").id(7).build(), 1_000_000, 1);
        final dev.ringmaster.spi.AgentView agent = new FakePool(1).agent(0);
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final dev.ringmaster.spi.DispatchListener l = journal.listener();
            l.onAccepted(task, 3_000_000); // submit accepted it at 1 ms, the router took it in at 3 ms
            l.onAssigned(task, agent, "least-connections", Double.NaN, Double.NaN, 4_000_000);
            l.onStarted(task, agent, 5_000_000);
            l.onCompleted(task, agent, 0, 9_000_000);
        }
        final ReplayReport report = replay(1_000);
        // a histogram's values are exact to three significant digits
        assertThat(report.stages().get("END_TO_END").maxNanos()).isBetween(7_990_000L, 8_010_000L);
        assertThat(report.stages().get("QUEUE_WAIT").maxNanos()).isBetween(999_000L, 1_001_000L);
        final long[] acceptedAndQueued = new long[2];
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.poll(r ->
            {
                assertThat(r.type()).isEqualTo(EventType.ACCEPTED);
                acceptedAndQueued[0] = r.nanos();
                acceptedAndQueued[1] = r.queuedNanos();
            }, 1);
        }
        assertThat(acceptedAndQueued).as("accepted, taken in").containsExactly(1_000_000, 3_000_000);
    }

    @Test
    void everyAssignmentHasItsQueueWaitRetriesIncludedAsTheDispatcherCountsThem()
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            d.submit(Task.builder("coder").payload(Fleet.POISON).maxRetries(2).build(), Duration.ofSeconds(5));
            d.submit(Task.builder("coder").payload("fine").build(), Duration.ofSeconds(5));
            assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
            d.close();
        }
        final ReplayReport report = replay(1_000);
        assertThat(report.count(EventType.RETRIED)).isEqualTo(2);
        assertThat(report.count(EventType.ASSIGNED)).isEqualTo(4);
        assertThat(report.stages().get("QUEUE_WAIT").count()).as("the poison task's three attempts and the other's")
            .isEqualTo(4);
    }

    @Test
    void utilizationIsAveragedOverThePartOfABucketTheJournalCovers()
    {
        // one agent of capacity 1 busy back to back for about 0.3 s, inside buckets of 10 s: averaged over the whole
        // bucket it would read as 0.03 tasks running, where it ran one all along
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder()
                .strategy("least-connections")
                .listener(journal.listener())
                .agent(AgentSpec.builder("coder-0", "coder").capacity(1).build(), AgentAdapter.sync(t ->
                {
                    final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                    while (System.nanoTime() < until)
                    {
                        LockSupport.parkNanos(until - System.nanoTime());
                    }
                    return "done";
                }))
                .build()
                .start();
            for (int i = 0; i < 15; i++)
            {
                d.submit(Task.builder("coder").payload("work").build(), Duration.ofSeconds(5));
            }
            assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
            d.close();
        }
        final ReplayReport report = replay(10_000);
        assertThat(report.count(EventType.COMPLETED)).isEqualTo(15);
        assertThat(report.utilization()).isNotEmpty().allSatisfy(b ->
        {
            assertThat(b.averageRunning().get("coder-0")).as("average running in the bucket at %d", b.startEpochMillis())
                .isGreaterThan(0.5);
            assertThat(b.coveredMillis()).isBetween(1L, 10_000L);
        });
        assertThat(report.utilization().stream().mapToLong(UtilizationBucket::coveredMillis).sum())
            .as("the buckets cover the journal's span, not whole buckets")
            .isLessThanOrEqualTo(report.lastEpochMillis() - report.firstEpochMillis() + 2);
    }

    /** A task the dispatcher's shutdown cancelled did not end: replay counts it open, as recovery does. */
    @Test
    void aTaskTheShutdownCancelledStaysOpenAndIsCountedApartFromTheCancelledOnes() throws Exception
    {
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CompletableFuture<Object> first = new java.util.concurrent.CompletableFuture<>();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().listener(journal.listener()).seed(7).workers(1)
                .agent(AgentSpec.builder("coder-0", "coder").capacity(1).build(), AgentAdapter.async(t ->
                {
                    started.countDown();
                    return first; // holds the only slot: task 101 waits
                }))
                .build().start();
            d.submit(Task.builder("coder").id(100).payload("runs").build(), Duration.ofSeconds(5));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            d.submit(Task.builder("coder").id(101).payload("waits").build(), Duration.ofSeconds(5));
            d.submit(Task.builder("coder").id(200).payload("cancelled").build(), Duration.ofSeconds(5));
            assertThat(d.cancel(200).get(10, TimeUnit.SECONDS)).isEqualTo(dev.ringmaster.dispatch.CancelOutcome.CANCELLED);
            assertThat(d.shutdownNow()).extracting(Task::id).containsExactly(101L);
            first.complete("done");
            assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();
            d.close();
        }
        final ReplayReport report = replay(1_000);
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(report.count(EventType.CANCELLED)).as("records: 101 by the shutdown, 200 by the operator")
            .isEqualTo(2);
        assertThat(report.cancelledAtShutdown()).isEqualTo(1);
        assertThat(report.openTasks()).as("task 101, as recovery finds it").isEqualTo(1).isEqualTo(plan.open());
    }

    private ReplayReport replay(final long bucketMillis)
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            return Replay.of(reader, bucketMillis);
        }
    }
}
