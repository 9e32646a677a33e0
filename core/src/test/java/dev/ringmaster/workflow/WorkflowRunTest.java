package dev.ringmaster.workflow;

import dev.ringmaster.model.Priority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.ringmaster.workflow.Fleet.await;
import static dev.ringmaster.workflow.Fleet.echo;
import static dev.ringmaster.workflow.Fleet.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs workflows on a real dispatcher: order, parallelism, results, failures, fallbacks, cancellation, bounds. */
class WorkflowRunTest
{
    private Fleet fleet;

    @AfterEach
    void closeFleet()
    {
        if (fleet != null)
        {
            fleet.close();
        }
    }

    @Test
    void aDiamondRunsInDependencyOrderWithItsBranchesInParallel() throws Exception
    {
        fleet = new Fleet(4);
        // each branch waits for the other inside its agent: the workflow only succeeds if B and C overlap
        final CountDownLatch bothRunning = new CountDownLatch(2);
        final Function<Fleet.Call, Object> meet = call ->
        {
            bothRunning.countDown();
            if (!await(bothRunning))
            {
                throw new IllegalStateException(call.step() + " ran alone");
            }
            return echo(call);
        };
        fleet.behaviours.put("B", meet);
        fleet.behaviours.put("C", meet);
        final Workflow diamond = Workflow.builder("diamond")
            .step(step("A"))
            .step(step("B", "A"))
            .step(step("C", "A"))
            .step(step("D", "B", "C"))
            .build();

        final WorkflowResult r = fleet.run(diamond);

        assertThat(r.status()).isEqualTo(WorkflowStatus.SUCCEEDED);
        assertThat(r.failedStep()).isNull();
        assertThat(r.unfinishedSteps()).isEmpty();
        assertThat(fleet.indexOf("end:A")).isLessThan(fleet.indexOf("start:B")).isLessThan(fleet.indexOf("start:D"));
        assertThat(fleet.indexOf("end:A")).isLessThan(fleet.indexOf("start:C"));
        assertThat(fleet.indexOf("end:B")).isLessThan(fleet.indexOf("start:D"));
        assertThat(fleet.indexOf("end:C")).isLessThan(fleet.indexOf("start:D"));
        assertThat(fleet.calls.get("B").inputs()).containsExactly(Map.entry("A", "A{}"));
        assertThat(fleet.calls.get("D").inputs())
            .containsExactly(Map.entry("B", "B{A=A{}}"), Map.entry("C", "C{A=A{}}"));
        assertThat(r.finalResult()).isEqualTo("D{B=B{A=A{}}, C=C{A=A{}}}");
        assertThat(r.results()).containsOnlyKeys("A", "B", "C", "D");
        assertThat(r.steps().values()).allSatisfy(s ->
        {
            assertThat(s.status()).isEqualTo(StepStatus.COMPLETED);
            assertThat(s.agentId()).startsWith("w");
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.ran()).isNotNull();
        });
        // timings come from one clock on one thread, so the order shows in them exactly
        assertThat(r.step("D").readyAt()).isGreaterThanOrEqualTo(r.step("B").finishedAt());
        assertThat(r.step("D").readyAt()).isGreaterThanOrEqualTo(r.step("C").finishedAt());
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(r.step("D").finishedAt());
    }

    @Test
    void theSynthesisStepSeesEveryResultAndGivesTheFinalResult() throws Exception
    {
        fleet = new Fleet(2);
        final Workflow w = Workflow.builder("report")
            .step(step("plan"))
            .step(step("search", "plan"))
            .synthesis(Step.builder("write", Fleet.TYPE).maxRetries(0)
                .payload(inputs -> new Fleet.Call("write", inputs)))
            .step(step("code", "plan"))
            .build();
        assertThat(w.dependenciesOf("write")).containsExactly("plan", "search", "code");

        final WorkflowResult r = fleet.run(w);

        assertThat(r.succeeded()).isTrue();
        assertThat(fleet.calls.get("write").inputs()).containsOnlyKeys("plan", "search", "code");
        assertThat(r.finalResult()).isEqualTo(r.results().get("write"));
        assertThat(fleet.started().get(fleet.started().size() - 1)).isEqualTo("write");
    }

    @Test
    void aFailingStepFailsTheWorkflowNamingItAndItsDependentsNeverRun() throws Exception
    {
        fleet = new Fleet(2);
        fleet.behaviours.put("B", call ->
        {
            throw new IllegalStateException("model endpoint returned garbage");
        });
        final Workflow w = Workflow.builder("chain")
            .step(step("A"))
            .step(step("B", "A"))
            .step(step("C", "B"))
            .step(step("D", "C"))
            .build();

        final WorkflowResult r = fleet.run(w);

        assertThat(r.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(r.failedStep()).isEqualTo("B");
        assertThat(r.reason()).contains("step 'B' was dead-lettered").contains("model endpoint returned garbage");
        assertThat(r.finalResult()).isNull();
        assertThat(r.step("A").status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(r.step("B").status()).isEqualTo(StepStatus.FAILED);
        assertThat(r.step("B").reason()).isEqualTo(r.reason());
        assertThat(r.step("C").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(r.step("C").readyAt()).isNull();
        assertThat(r.unfinishedSteps()).containsExactly("C", "D");
        assertThat(r.results()).containsOnlyKeys("A");
        assertThat(fleet.dispatcher.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(fleet.started()).containsExactly("A", "B");
    }

    @Test
    void aStepRejectedAtSubmitFailsTheWorkflowWithTheDispatchersReason() throws Exception
    {
        fleet = new Fleet(1);
        final Workflow w = Workflow.builder("misaddressed")
            .step(step("A"))
            .step(Step.builder("B", "no-such-type").after("A"))
            .build();

        final WorkflowResult r = fleet.run(w);

        assertThat(r.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(r.failedStep()).isEqualTo("B");
        assertThat(r.reason()).contains("step 'B' was rejected at submit").contains("UNKNOWN_AGENT_TYPE");
    }

    @Test
    void aPayloadFunctionThatThrowsFailsItsStep() throws Exception
    {
        fleet = new Fleet(1);
        final Workflow w = Workflow.builder("bad-payload")
            .step(step("A"))
            .step(Step.builder("B", Fleet.TYPE).after("A").payload(inputs ->
            {
                throw new IllegalArgumentException("cannot summarize " + inputs.keySet());
            }))
            .build();

        final WorkflowResult r = fleet.run(w);

        assertThat(r.failedStep()).isEqualTo("B");
        assertThat(r.reason()).contains("step 'B' could not build its task").contains("cannot summarize [A]");
        assertThat(r.step("B").submittedAt()).isNull();
    }

    @Test
    void aFallbackStepOrValueReplacesAFailedStep() throws Exception
    {
        fleet = new Fleet(4);
        fleet.behaviours.put("B", call ->
        {
            throw new IllegalStateException("rate limited");
        });
        fleet.behaviours.put("C", call ->
        {
            throw new IllegalStateException("context overflow");
        });
        final Workflow w = Workflow.builder("resilient")
            .step(step("A"))
            .step(step("B", "A").fallback(step("B-backup").build()))
            .step(step("C", "A").fallbackValue("no C today"))
            .step(step("D", "B", "C"))
            .build();

        final WorkflowResult r = fleet.run(w);

        assertThat(r.status()).isEqualTo(WorkflowStatus.SUCCEEDED);
        // the fallback step got B's inputs, and its result stands in for B's
        assertThat(fleet.calls.get("B-backup").inputs()).containsExactly(Map.entry("A", "A{}"));
        assertThat(fleet.calls.get("D").inputs())
            .containsExactly(Map.entry("B", "B-backup{A=A{}}"), Map.entry("C", "no C today"));
        assertThat(r.step("B").status()).isEqualTo(StepStatus.FALLBACK);
        assertThat(r.step("B").reason()).contains("step 'B' was dead-lettered").contains("rate limited");
        assertThat(r.step("B").attempts()).isEqualTo(2);
        assertThat(r.step("C").status()).isEqualTo(StepStatus.FALLBACK);
        assertThat(r.step("C").result()).isEqualTo("no C today");
        assertThat(r.step("C").reason()).contains("context overflow");
        assertThat(r.step("D").status()).isEqualTo(StepStatus.COMPLETED);
    }

    @Test
    void aFailingFallbackFailsTheWorkflowWithBothReasons() throws Exception
    {
        fleet = new Fleet(2);
        fleet.behaviours.put("B", call ->
        {
            throw new IllegalStateException("primary down");
        });
        fleet.behaviours.put("B-backup", call ->
        {
            throw new IllegalStateException("backup down too");
        });
        final Workflow w = Workflow.builder("doomed")
            .step(step("A"))
            .step(step("B", "A").fallback(step("B-backup").build()))
            .step(step("C", "B"))
            .build();

        final WorkflowResult r = fleet.run(w);

        assertThat(r.failedStep()).isEqualTo("B");
        assertThat(r.reason()).contains("fallback 'B-backup' of step 'B' was dead-lettered")
            .contains("backup down too").contains("primary down");
        assertThat(r.unfinishedSteps()).containsExactly("C");
    }

    @Test
    void cancellingMidRunCancelsTheUnfinishedStepsAndSubmitsNoMore() throws Exception
    {
        fleet = new Fleet(2);
        final CountDownLatch bStarted = new CountDownLatch(1);
        final CountDownLatch releaseB = new CountDownLatch(1);
        fleet.behaviours.put("B", call ->
        {
            bStarted.countDown();
            await(releaseB);
            return echo(call);
        });
        final Workflow w = Workflow.builder("long")
            .step(step("A"))
            .step(step("B", "A"))
            .step(step("C", "B"))
            .synthesis(step("D"))
            .build();
        final WorkflowRun run = fleet.supervisor.run(w);
        assertThat(await(bStarted)).isTrue();

        run.cancel();
        final WorkflowResult r = run.result().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(run.isDone()).isTrue();
        assertThat(r.status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(r.reason()).contains("cancelled by the caller");
        assertThat(r.failedStep()).isNull();
        assertThat(r.unfinishedSteps()).containsExactly("B", "C", "D");
        assertThat(r.step("A").status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(r.step("B").status()).isEqualTo(StepStatus.ABANDONED);
        assertThat(r.step("C").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(r.results()).containsOnlyKeys("A");

        // B was already in the dispatcher: it runs to its end, and nothing after it is submitted
        releaseB.countDown();
        assertThat(fleet.dispatcher.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(fleet.started()).containsExactly("A", "B");
        run.cancel(); // after the end: no effect
        assertThat(run.result().toCompletableFuture().get(5, TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.CANCELLED);
    }

    @Test
    void fanOutIsBoundedByMaxParallelSteps() throws Exception
    {
        fleet = new Fleet(8);
        // the first three leaves wait for each other, so three are in flight at once; every leaf then stays a few
        // milliseconds, long enough for a fourth to start alongside if the bound leaked. The sleep only makes a leak
        // visible: no assertion depends on timing, since a correct bound never lets a fourth in.
        final CountDownLatch firstWave = new CountDownLatch(3);
        final Function<Fleet.Call, Object> leaf = call ->
        {
            firstWave.countDown();
            if (!await(firstWave))
            {
                throw new IllegalStateException("never three in flight");
            }
            linger(Duration.ofMillis(5));
            return echo(call);
        };
        final Workflow.Builder b = Workflow.builder("wide").maxParallelSteps(3);
        for (int i = 0; i < 20; i++)
        {
            fleet.behaviours.put("L" + i, leaf);
            b.step(step("L" + i));
        }
        b.synthesis(step("S"));

        final WorkflowResult r = fleet.run(b.build());

        assertThat(r.status()).isEqualTo(WorkflowStatus.SUCCEEDED);
        assertThat(fleet.maxRunning.get()).isEqualTo(3);
        assertThat(fleet.calls.get("S").inputs()).hasSize(20);
        assertThat(fleet.started()).hasSize(21).endsWith("S");
        // L19 was ready from the start but held back until slots freed
        assertThat(r.step("L19").readyAt()).isEqualTo(r.step("L0").readyAt());
        assertThat(r.step("L19").waited()).isGreaterThan(r.step("L0").waited());
        assertThat(r.step("L19").submittedAt()).isGreaterThan(r.step("L0").finishedAt());
    }

    @Test
    void heldBackStepsGetTheirTurnByPriorityThenDeclarationOrder() throws Exception
    {
        fleet = new Fleet(2);
        final Workflow w = Workflow.builder("triage").maxParallelSteps(1)
            .step(step("low").priority(Priority.LOW))
            .step(step("medium-1"))
            .step(step("critical").priority(Priority.CRITICAL))
            .step(step("medium-2"))
            .build();

        final WorkflowResult r = fleet.run(w);

        assertThat(r.succeeded()).isTrue();
        assertThat(fleet.started()).containsExactly("critical", "medium-1", "medium-2", "low");
        assertThat(fleet.maxRunning.get()).isEqualTo(1);
        @SuppressWarnings("unchecked") final Map<String, Object> sinks = (Map<String, Object>)r.finalResult();
        assertThat(sinks).containsOnlyKeys("low", "medium-1", "critical", "medium-2");
    }

    @Test
    void closingTheSupervisorCancelsItsRunsAndRefusesNewOnes() throws Exception
    {
        fleet = new Fleet(1);
        final CountDownLatch aStarted = new CountDownLatch(1);
        final CountDownLatch releaseA = new CountDownLatch(1);
        fleet.behaviours.put("A", call ->
        {
            aStarted.countDown();
            await(releaseA);
            return echo(call);
        });
        final Workflow w = Workflow.builder("interrupted").step(step("A")).step(step("B", "A")).build();
        final WorkflowRun run = fleet.supervisor.run(w);
        assertThat(await(aStarted)).isTrue();

        fleet.supervisor.close();

        final WorkflowResult r = run.result().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(r.reason()).contains("supervisor closed");
        assertThat(r.unfinishedSteps()).isEqualTo(List.of("A", "B"));
        assertThatThrownBy(() -> fleet.supervisor.run(w))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed").hasMessageContaining("interrupted");
        releaseA.countDown();
    }

    private static void linger(final Duration d)
    {
        try
        {
            Thread.sleep(d.toMillis());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
