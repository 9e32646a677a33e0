package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.testing.Await;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under late binding (the default) an idle agent steals from the inbox of a busy one: an agent that outlier ejection
 * keeps out of routing, or that is still ramping up under slow start, must not take by stealing what routing would
 * not give it.
 */
class ProbationStealingTest
{
    /** How long each release waits: long enough for an idle worker's steal scans (every 20 us, parks of at most 1 ms). */
    private static final long STEAL_WINDOW_MILLIS = 5;

    @Test
    void anEjectedAgentStealsNothingSoItFailsNoTaskOfAHealthyAgent() throws Exception
    {
        final Gate good = new Gate();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first()).prefetch(1)
            .outlierEjection(new OutlierEjection(1, 0, 0, Duration.ofSeconds(60), 0.5))
            .agent(AgentSpec.builder("bad", "t").capacity(1).build(), (t, c, tel) ->
            {
                throw new IllegalStateException("model unavailable");
            })
            .agent(AgentSpec.builder("good", "t").capacity(1).build(), good)
            .build().start();
        try
        {
            final TaskResult first = d.submitAsync(Task.builder("t").targetAgent("bad").maxRetries(0).build())
                .get(10, TimeUnit.SECONDS);
            assertThat(first.agentId()).isEqualTo("bad");
            Await.until("bad is ejected", () -> d.metrics().ejections() == 1);

            // good runs one and holds one in its inbox at a time: the second is what an idle agent would steal
            final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                results.add(d.submitAsync(Task.builder("t").maxRetries(0).build()));
            }
            releaseUntilDone(good, results);

            assertThat(results).allSatisfy(f ->
            {
                final TaskResult r = f.getNow(null);
                assertThat(r.completed()).as("%s", r).isTrue();
                assertThat(r.agentId()).as("%s", r).isEqualTo("good");
            });
            assertThat(d.deadLetters()).as("only the task addressed to bad before its ejection").hasSize(1);
            assertThat(d.metrics().agents()).filteredOn(a -> a.id().equals("bad"))
                .singleElement().satisfies(a -> assertThat(a.failed()).isEqualTo(1));
        }
        finally
        {
            good.releaseAll();
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Binding.class, names = {"LATE", "EARLY_STEALING"})
    void anAgentRampingUpUnderSlowStartDoesNotStealPastItsShare(final Binding binding) throws Exception
    {
        final Gate old = new Gate();
        final Gate added = new Gate();
        final Dispatcher d = Dispatcher.builder().strategy(TestStrategies.first()).prefetch(8)
            .slowStart(Duration.ofSeconds(60), 0.1).binding("t", binding)
            .agent(AgentSpec.builder("old", "t").capacity(1).build(), old)
            .build().start();
        try
        {
            final List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            // old's limit is 9: the last three wait in the central queue (late) or bound to old (early), open to a thief
            for (int i = 0; i < 12; i++)
            {
                results.add(d.submitAsync(Task.builder("t").build()));
            }
            Await.until("old runs one and holds the others", () -> old.held() == 1 &&
                d.metrics().agents().get(0).inFlight() == (binding == Binding.LATE ? 9 : 12));
            // capacity 4, limit 12: a tenth of it rounds up to a share of 2 for the first seconds
            d.addAgent(AgentSpec.builder("new", "t").capacity(4).build(), added).get(10, TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
            int mostHeldByNew = 0;
            while (results.stream().filter(CompletableFuture::isDone).count() + added.held() < results.size())
            {
                assertThat(System.nanoTime() - deadline).as("every task done or held by new").isNegative();
                mostHeldByNew = Math.max(mostHeldByNew, added.held());
                Thread.sleep(STEAL_WINDOW_MILLIS);
                if (old.held() > 0)
                {
                    old.releaseOne();
                }
            }
            mostHeldByNew = Math.max(mostHeldByNew, added.held());
            assertThat(mostHeldByNew).as("tasks the ramping agent ran at once").isLessThanOrEqualTo(2);
            added.releaseAll();
            assertThat(d.drain(Duration.ofSeconds(5))).as(d::describe).isTrue();
        }
        finally
        {
            old.releaseAll();
            added.releaseAll();
            d.shutdownNow();
            d.awaitTermination(Duration.ofSeconds(5));
        }
    }

    /**
     * Releases the gate's attempts one at a time until every task has ended, each after a pause that leaves the task
     * waiting in the agent's inbox open to a thief. The pause only widens the window the defect needs; what is
     * asserted is each task's terminal result.
     */
    private static void releaseUntilDone(final Gate gate, final List<CompletableFuture<TaskResult>> results)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
        while (!results.stream().allMatch(CompletableFuture::isDone))
        {
            assertThat(System.nanoTime() - deadline).as("every task ended").isNegative();
            Thread.sleep(STEAL_WINDOW_MILLIS);
            if (gate.held() > 0)
            {
                gate.releaseOne();
            }
        }
    }
}
