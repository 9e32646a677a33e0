package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The common path crosses threads once: on a dispatcher that is not busy, a task is routed by the submitting thread
 * (or by the worker, when it still holds the routing role from delivering the previous result) and its result is
 * delivered by the worker that ran it; the router thread stays out of it.
 */
class RoutingRoleTest
{
    @Test
    void anIdleDispatcherRoutesOnTheSubmitterAndDeliversOnTheWorker() throws Exception
    {
        final AtomicReference<Thread> executedOn = new AtomicReference<>();
        final AtomicReference<Thread> assignedOn = new AtomicReference<>();
        final AtomicReference<Thread> resultOn = new AtomicReference<>();
        final AtomicInteger routedByRouterThread = new AtomicInteger();
        final AtomicInteger deliveredByWorker = new AtomicInteger();
        final ConcurrentHashMap<String, Integer> threadNames = new ConcurrentHashMap<>();
        final Dispatcher d = Dispatcher.builder()
            .agent(AgentSpec.builder("a", "worker").capacity(1).build(), (task, completion, telemetry) ->
            {
                executedOn.set(Thread.currentThread());
                completion.succeed("ok");
            })
            .strategy(TestStrategies.first())
            .workers(1)
            .listener(new DispatchListener()
            {
                @Override
                public void onAssigned(final TaskView task, final AgentView agent, final String strategy,
                                       final double score, final double runnerUp, final long nanos)
                {
                    assignedOn.set(Thread.currentThread());
                }
            })
            .onResult((task, state, result, reason) -> resultOn.set(Thread.currentThread()))
            .build().start();
        final int rounds = 500;
        for (int i = 0; i < rounds; i++)
        {
            final TaskResult r = d.submitAsync(Task.builder("worker").build()).get(10, TimeUnit.SECONDS);
            assertThat(r.completed()).isTrue();
            final Thread assigner = assignedOn.get();
            assertThat(assigner == Thread.currentThread() || assigner == executedOn.get() ||
                assigner.getName().equals("ringmaster-router")).as("routed by %s", assigner.getName()).isTrue();
            routedByRouterThread.addAndGet(assigner.getName().equals("ringmaster-router") ? 1 : 0);
            deliveredByWorker.addAndGet(resultOn.get() == executedOn.get() ? 1 : 0);
            threadNames.merge(resultOn.get().getName(), 1, Integer::sum);
        }
        assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        // the router thread may take a few (it wakes now and then as a backstop); the common path is one hand-off
        assertThat(routedByRouterThread.get()).as("tasks routed by the router thread").isLessThan(rounds / 10);
        // a completed task's result is delivered where it completed: always the worker, for a synchronous adapter
        assertThat(deliveredByWorker.get()).as("results delivered on the worker that ran the task; by thread: %s",
            threadNames).isEqualTo(rounds);
    }
}
