package dev.ringmaster.delegation;

import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.BatchAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Context-aware batching: one key within a window is one batch call on one agent; results go back per member. */
class BatcherTest
{
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (final AutoCloseable c : toClose)
        {
            c.close();
        }
    }

    private Dispatcher fleet(final Tally tally, final RecordingBatchAdapter... agents)
    {
        final Dispatcher.Builder b = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally);
        for (int i = 0; i < agents.length; i++)
        {
            b.agent(AgentSpec.builder("agent-" + i, "coder").capacity(2).build(), agents[i]);
        }
        final Dispatcher d = b.build().start();
        toClose.add(d);
        return d;
    }

    private Batcher batcher(final Batcher.Builder b)
    {
        final Batcher batcher = b.build();
        toClose.add(0, batcher);
        return batcher;
    }

    private static Task task(final String key, final Object payload)
    {
        return Task.builder("coder").affinityKey(key).payload(payload).build();
    }

    @Test
    void tasksSharingAKeyWithinTheWindowArriveAtOneAgentAsOneBatch() throws Exception
    {
        final RecordingBatchAdapter[] agents = {new RecordingBatchAdapter(), new RecordingBatchAdapter(),
            new RecordingBatchAdapter()};
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agents);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMillis(300)).maxBatch(16));

        final Task t1 = task("repo-1", "q1");
        final Task t2 = task("repo-1", "q2");
        final Task t3 = task("repo-1", "q3");
        final CompletableFuture<TaskResult> r1 = batcher.submitAsync(t1);
        final CompletableFuture<TaskResult> r2 = batcher.submitAsync(t2);
        final CompletableFuture<TaskResult> r3 = batcher.submitAsync(t3);

        assertThat(r1.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q1");
        assertThat(r2.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q2");
        assertThat(r3.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q3");
        assertThat(r1.get().task()).isSameAs(t1);
        assertThat(r2.get().agentId()).isEqualTo(r1.get().agentId()).isEqualTo(r3.get().agentId());
        assertThat(r1.get().tokensUsed()).isEqualTo(10);
        final List<List<Long>> calls = new ArrayList<>();
        for (final RecordingBatchAdapter a : agents)
        {
            calls.addAll(a.calls);
        }
        assertThat(calls).containsExactly(List.of(t1.id(), t2.id(), t3.id()));
        assertThat(batcher.flushedByWindow()).isEqualTo(1);
        assertThat(batcher.batchesSent()).isEqualTo(1);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.accepted).as("one dispatcher task for three members").hasSize(1);
    }

    @Test
    void aMemberRequiringASkillNoAgentHasIsRefusedAsItWouldBeAlone() throws Exception
    {
        final RecordingBatchAdapter agent = new RecordingBatchAdapter();
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agent);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMillis(50)).maxBatch(4));

        // a name no agent in this JVM has had: it takes no skill bit, so a batch built from the members' masks lost it
        final Task needsCobol = Task.builder("coder").affinityKey("legacy").requiredSkills("batcher-test-cobol").build();
        final CompletableFuture<TaskResult> mate = batcher.submitAsync(task("legacy", "q1"));
        final Throwable refused = catchThrowable(() -> batcher.submitAsync(needsCobol).get(5, TimeUnit.SECONDS));

        assertThat(refused).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("NO_CAPABLE_AGENT").hasMessageContaining("batcher-test-cobol");
        assertThat(mate.get(5, TimeUnit.SECONDS).result()).as("its would-be batchmate is not refused with it")
            .isEqualTo("answer to q1");
        assertThat(agent.calls).as("no agent without the skill ran it").containsExactly(List.of(mate.get().task().id()));
    }

    @Test
    void eachMemberGetsItsOwnResultOrItsOwnFailure() throws Exception
    {
        final RecordingBatchAdapter agent = new RecordingBatchAdapter();
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agent);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)).maxBatch(4));

        final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
        for (final String payload : List.of("q1", "fail", "q3", "q4"))
        {
            results.add(batcher.submitAsync(task("ctx", payload)));
        }

        assertThat(results.get(0).get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q1");
        assertThat(results.get(2).get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q3");
        assertThat(results.get(3).get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q4");
        final Throwable failure = catchThrowable(() -> results.get(1).get(5, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(DelegationException.class)
            .hasMessageContaining("cannot do fail").hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(agent.calls).hasSize(1);
        assertThat(batcher.flushedFull()).isEqualTo(1);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.count("COMPLETED")).as("the batch task itself completed").isEqualTo(1);
    }

    @Test
    void maxBatchSplitsAGroupAndCloseFlushesTheRest() throws Exception
    {
        final RecordingBatchAdapter agent = new RecordingBatchAdapter();
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agent);
        final Batcher batcher = Batcher.builder(d).window(Duration.ofMinutes(10)).maxBatch(3).build();

        final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
        for (int i = 0; i < 7; i++)
        {
            results.add(batcher.submitAsync(task("ctx", "q" + i)));
        }
        Await.until("two full batches ran", () -> agent.calls.size() == 2);
        assertThat(results.get(6)).as("the seventh waits for its window").isNotDone();

        batcher.close();

        for (int i = 0; i < 7; i++)
        {
            assertThat(results.get(i).get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q" + i);
        }
        assertThat(agent.calls).extracting(List::size).containsExactly(3, 3, 1);
        assertThat(batcher.flushedFull()).isEqualTo(2);
        assertThat(batcher.flushedOnDemand()).isEqualTo(1);
        assertThat(catchThrowable(() -> batcher.submitAsync(task("ctx", "late")).get(5, TimeUnit.SECONDS)))
            .hasMessageContaining("the batcher is closed").hasMessageNotContaining("call start() first");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.accepted).hasSize(3);
    }

    @Test
    void differentKeysMakeDifferentBatchesAndATaskWithoutAKeyGoesAlone() throws Exception
    {
        final RecordingBatchAdapter agent = new RecordingBatchAdapter();
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agent);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)));

        final CompletableFuture<TaskResult> a1 = batcher.submitAsync(task("a", "a1"));
        final CompletableFuture<TaskResult> b1 = batcher.submitAsync(task("b", "b1"));
        final CompletableFuture<TaskResult> a2 = batcher.submitAsync(task("a", "a2"));
        final CompletableFuture<TaskResult> alone = batcher.submitAsync(task(null, "solo"));
        assertThat(alone.get(5, TimeUnit.SECONDS).result()).as("a plain task is a batch of one, unwrapped")
            .isEqualTo("answer to solo");
        batcher.flush();

        assertThat(a1.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to a1");
        assertThat(a2.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to a2");
        assertThat(b1.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to b1");
        assertThat(agent.calls).extracting(List::size).containsExactlyInAnyOrder(1, 2, 1);
        assertThat(agent.keys).containsExactlyInAnyOrder("null", "a", "b");
        assertThat(batcher.unbatched()).isEqualTo(1);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
    }

    @Test
    void anAdapterThatIsNotBatchAwareRunsMembersOneByOneThroughTheDefault() throws Exception
    {
        final List<String> order = new CopyOnWriteArrayList<>();
        final AgentAdapter plainSync = AgentAdapter.sync(t ->
        {
            order.add("sync:" + t.task().payload());
            if ("boom".equals(t.task().payload()))
            {
                throw new IllegalStateException("boom member");
            }
            return "sync " + t.task().payload();
        });
        final AgentAdapter plainAsync = AgentAdapter.async(t ->
        {
            order.add("async:" + t.task().payload());
            return CompletableFuture.supplyAsync(() -> "async " + t.task().payload(),
                CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS));
        });
        final Tally tally = new Tally();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally)
            .agent(AgentSpec.builder("s", "sync-coder").build(), BatchAdapter.oneByOne(plainSync))
            .agent(AgentSpec.builder("a", "async-coder").build(), BatchAdapter.oneByOne(plainAsync))
            .build().start();
        toClose.add(d);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)).maxBatch(3));

        final List<CompletableFuture<TaskResult>> sync = new ArrayList<>();
        final List<CompletableFuture<TaskResult>> async = new ArrayList<>();
        for (final String p : List.of("x", "boom", "z"))
        {
            sync.add(batcher.submitAsync(Task.builder("sync-coder").affinityKey("k").payload(p).build()));
        }
        for (final String p : List.of("x", "y", "z"))
        {
            async.add(batcher.submitAsync(Task.builder("async-coder").affinityKey("k").payload(p).build()));
        }

        assertThat(sync.get(0).get(5, TimeUnit.SECONDS).result()).isEqualTo("sync x");
        assertThat(catchThrowable(() -> sync.get(1).get(5, TimeUnit.SECONDS))).hasMessageContaining("boom member");
        assertThat(sync.get(2).get(5, TimeUnit.SECONDS).result()).as("a failed member does not stop the rest")
            .isEqualTo("sync z");
        for (int i = 0; i < 3; i++)
        {
            assertThat(async.get(i).get(5, TimeUnit.SECONDS).result()).isEqualTo("async " + List.of("x", "y", "z").get(i));
        }
        assertThat(order.stream().filter(s -> s.startsWith("sync:"))).containsExactly("sync:x", "sync:boom", "sync:z");
        assertThat(order.stream().filter(s -> s.startsWith("async:"))).containsExactly("async:x", "async:y", "async:z");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.accepted).as("two batch tasks").hasSize(2);
    }

    @Test
    void aBatchThatFailsAsAWholeFailsEveryMemberAndAPlainAdapterIsNamed() throws Exception
    {
        final Tally tally = new Tally();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally)
            .agent(AgentSpec.builder("broken", "broken").build(),
                (BatchAdapter)(batch, view, completion, telemetry) ->
                {
                    throw new IllegalStateException("context too large");
                })
            .agent(AgentSpec.builder("plain", "plain").build(), AgentAdapter.sync(t -> "what is a batch?"))
            .build().start();
        toClose.add(d);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)).maxBatch(2));

        final CompletableFuture<TaskResult> b1 =
            batcher.submitAsync(Task.builder("broken").affinityKey("k").maxRetries(0).build());
        final CompletableFuture<TaskResult> b2 =
            batcher.submitAsync(Task.builder("broken").affinityKey("k").maxRetries(0).build());
        final CompletableFuture<TaskResult> p1 = batcher.submitAsync(Task.builder("plain").affinityKey("k").build());
        final CompletableFuture<TaskResult> p2 = batcher.submitAsync(Task.builder("plain").affinityKey("k").build());

        for (final CompletableFuture<TaskResult> r : List.of(b1, b2))
        {
            assertThat(catchThrowable(() -> r.get(5, TimeUnit.SECONDS))).cause()
                .isInstanceOf(DelegationException.class)
                .hasMessageContaining("DEAD_LETTERED").hasMessageContaining("context too large");
        }
        for (final CompletableFuture<TaskResult> r : List.of(p1, p2))
        {
            assertThat(catchThrowable(() -> r.get(5, TimeUnit.SECONDS))).cause()
                .isInstanceOf(DelegationException.class)
                .hasMessageContaining("agent 'plain' is not batch-aware").hasMessageContaining("BatchAdapter.oneByOne");
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.count("DEAD_LETTERED")).isEqualTo(1);
    }

    @Test
    void concurrentSubmittersLoseNothingAndCloseLeavesNothingBehind() throws Exception
    {
        final RecordingBatchAdapter[] agents = {new RecordingBatchAdapter(), new RecordingBatchAdapter()};
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agents);
        final Batcher batcher = Batcher.builder(d).window(Duration.ofMillis(1)).maxBatch(7).build();
        final int threads = 4;
        final int perThread = 500;
        final List<CompletableFuture<TaskResult>> results = new CopyOnWriteArrayList<>();
        final List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int thread = t;
            submitters.add(new Thread(() ->
            {
                for (int i = 0; i < perThread; i++)
                {
                    results.add(batcher.submitAsync(task("key-" + (i % 5), thread + "/" + i)));
                }
            }));
        }
        submitters.forEach(Thread::start);
        for (final Thread t : submitters)
        {
            Await.joined(t);
        }
        batcher.close();

        for (final CompletableFuture<TaskResult> r : results)
        {
            final TaskResult result = r.get(5, TimeUnit.SECONDS);
            assertThat(result.result()).isEqualTo("answer to " + result.task().payload());
        }
        final List<Long> delivered = new ArrayList<>();
        for (final RecordingBatchAdapter a : agents)
        {
            a.calls.forEach(delivered::addAll);
            assertThat(a.calls).allSatisfy(call -> assertThat(call).hasSizeBetween(1, 7));
        }
        assertThat(delivered).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(batcher.membersBatched()).isEqualTo(threads * perThread);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat((long)tally.accepted.size()).isEqualTo(batcher.batchesSent());
    }

    /** Members with long timeouts (100 years each: "no practical limit") used to make a batch timeout that overflowed. */
    @Test
    void membersWhoseTimeoutsAddUpBeyondWhatATaskHoldsStillGetTheirResults() throws Exception
    {
        final RecordingBatchAdapter agent = new RecordingBatchAdapter();
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agent);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)).maxBatch(3));

        final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
        for (final String payload : List.of("q1", "q2", "q3"))
        {
            results.add(batcher.submitAsync(Task.builder("coder").affinityKey("ctx").payload(payload)
                .timeout(Duration.ofDays(365L * 100)).build()));
        }

        for (int i = 0; i < 3; i++)
        {
            assertThat(results.get(i).get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q" + (i + 1));
        }
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
    }

    /** The dispatcher refuses a live id twice (DUPLICATE_ID); a batch must not carry one task twice either. */
    @Test
    void theSameTaskSubmittedTwiceWhileItWaitsOrRunsIsRefusedAsADuplicate() throws Exception
    {
        final RecordingBatchAdapter agent = new RecordingBatchAdapter();
        final Dispatcher d = fleet(new Tally(), agent);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)).maxBatch(2));
        final Task task = task("ctx", "q1");

        final CompletableFuture<TaskResult> first = batcher.submitAsync(task);
        final Throwable second = catchThrowable(() -> batcher.submitAsync(task).get(5, TimeUnit.SECONDS));
        assertThat(second).isInstanceOf(ExecutionException.class).cause()
            .isInstanceOf(dev.ringmaster.dispatch.RejectedTaskException.class)
            .hasMessageContaining("DUPLICATE_ID").hasMessageContaining("task id " + task.id());
        batcher.flush();
        assertThat(first.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q1");
        assertThat(agent.calls).containsExactly(List.of(task.id()));

        final CompletableFuture<TaskResult> again = batcher.submitAsync(task);
        batcher.flush();
        assertThat(again.get(5, TimeUnit.SECONDS).result()).as("finished: its id may come again").isEqualTo("answer to q1");
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
    }

    /**
     * Members whose costs add up past Long.MAX_VALUE used to make a negative batch cost: building the batch threw,
     * out of the second submit, and no member's stage ever completed.
     */
    @Test
    void membersWhoseCostsAddUpBeyondALongStillGetTheirResults() throws Exception
    {
        final RecordingBatchAdapter agent = new RecordingBatchAdapter();
        final Tally tally = new Tally();
        final Dispatcher d = fleet(tally, agent);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)).maxBatch(2));
        final Task t1 = Task.builder("coder").affinityKey("ctx").payload("q1").costTokens(1L << 62).build();
        final Task t2 = Task.builder("coder").affinityKey("ctx").payload("q2").costTokens(1L << 62).build();

        final CompletableFuture<TaskResult> r1 = batcher.submitAsync(t1);
        final CompletableFuture<TaskResult> r2 = batcher.submitAsync(t2);

        assertThat(r1.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q1");
        assertThat(r2.get(5, TimeUnit.SECONDS).result()).isEqualTo("answer to q2");
        assertThat(agent.calls).containsExactly(List.of(t1.id(), t2.id()));
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
    }

    /** A task without a context key goes to the dispatcher alone, but its stage keeps the contract of a member's. */
    @Test
    void aTaskWithoutAKeyThatFailsCompletesExceptionallyLikeAMember() throws Exception
    {
        final Tally tally = new Tally();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.leastLoaded()).prefetch(0).listener(tally)
            .agent(AgentSpec.builder("broken", "coder").build(), AgentAdapter.sync(t ->
            {
                throw new IllegalStateException("model unavailable");
            }))
            .build().start();
        toClose.add(d);
        final Batcher batcher = batcher(Batcher.builder(d).window(Duration.ofMinutes(10)));

        final Throwable failure = catchThrowable(() ->
            batcher.submitAsync(Task.builder("coder").maxRetries(0).build()).get(5, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(DelegationException.class)
            .hasMessageContaining("DEAD_LETTERED").hasMessageContaining("model unavailable");
        assertThat(batcher.unbatched()).isEqualTo(1);
        assertThat(d.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
    }
}
