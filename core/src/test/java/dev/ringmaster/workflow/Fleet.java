package dev.ringmaster.workflow;

import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.TaskView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A dispatcher of single-slot "worker" agents, one worker thread each, whose adapter runs a per-step behaviour and
 * logs when each step starts and ends, plus a supervisor on it; the behaviours and logs are thread-safe.
 */
final class Fleet implements AutoCloseable
{
    static final String TYPE = "worker";

    /** The payload of every test step: which step it is and what it was given. */
    record Call(String step, Map<String, Object> inputs)
    {
    }

    final Dispatcher dispatcher;
    final Supervisor supervisor;
    final Map<String, Function<Call, Object>> behaviours = new ConcurrentHashMap<>();
    final Map<String, Call> calls = new ConcurrentHashMap<>();
    final Queue<String> events = new ConcurrentLinkedQueue<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();

    Fleet(final int agents)
    {
        final Dispatcher.Builder builder = Dispatcher.builder();
        for (int i = 0; i < agents; i++)
        {
            builder.agent(AgentSpec.builder("w" + i, TYPE).capacity(1).build(), AgentAdapter.sync(this::execute));
        }
        dispatcher = builder.workers(agents).prefetch(0).strategy(TestStrategies.leastLoaded())
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).build().start();
        supervisor = Supervisor.start(dispatcher);
    }

    /** A step run by the fleet, failing at its first failed attempt, whose payload records its inputs. */
    static Step.Builder step(final String name, final String... after)
    {
        return Step.builder(name, TYPE).after(after).maxRetries(0).payload(inputs -> new Call(name, inputs));
    }

    /** The default behaviour: a result that shows what the step was given, e.g. "B{A=A{}}". */
    static Object echo(final Call call)
    {
        return call.step() + call.inputs();
    }

    static boolean await(final CountDownLatch latch)
    {
        try
        {
            return latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    WorkflowResult run(final Workflow workflow) throws Exception
    {
        try
        {
            return supervisor.run(workflow).result().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            // what the dispatcher and every thread were doing when it did not finish: a stuck run is then explained
            final StringBuilder threads = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, stack) ->
            {
                threads.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (final StackTraceElement f : stack)
                {
                    threads.append("    at ").append(f).append('\n');
                }
            });
            throw new AssertionError("workflow not finished in 10 s; events " + events + "\n" +
                dev.ringmaster.testing.InternalsDump.of(dispatcher) + "\n" + threads, e);
        }
    }

    /** @return the position of an event in the log, -1 if absent. */
    int indexOf(final String event)
    {
        return new ArrayList<>(events).indexOf(event);
    }

    List<String> started()
    {
        final List<String> started = new ArrayList<>();
        for (final String e : events)
        {
            if (e.startsWith("start:"))
            {
                started.add(e.substring("start:".length()));
            }
        }
        return started;
    }

    private Object execute(final TaskView view)
    {
        final Call call = (Call)view.task().payload();
        calls.put(call.step(), call);
        events.add("start:" + call.step());
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try
        {
            return behaviours.getOrDefault(call.step(), Fleet::echo).apply(call);
        }
        finally
        {
            running.decrementAndGet();
            // logged before the adapter reports completion, so it precedes any dependent's start in the log
            events.add("end:" + call.step());
        }
    }

    @Override
    public void close()
    {
        supervisor.close();
        dispatcher.close();
    }
}
