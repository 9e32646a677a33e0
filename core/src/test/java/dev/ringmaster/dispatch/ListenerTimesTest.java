package dev.ringmaster.dispatch;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.TestStrategies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener hears of an answered attempt at the time the agent answered, not when the routing role's holder folded
 * the answer in: the journal records these times, and replay derives execution and busy time from them.
 */
class ListenerTimesTest
{
    /** The adapter's work after it answered: the fold of its answer cannot come before this has passed. */
    private static final long LINGER_NANOS = Duration.ofMillis(20).toNanos();

    @Test
    void completionsAndFailuresCarryTheTimeOfTheAnswer()
    {
        final ConcurrentHashMap<String, Long> times = new ConcurrentHashMap<>();
        // the adapter notes the time just before and after its answer, then keeps its worker busy a while
        final AgentAdapter adapter = (task, completion, telemetry) ->
        {
            final String id = Long.toString(task.task().id());
            times.put(id + ".before", System.nanoTime());
            if (task.task().id() == 2)
            {
                completion.fail(new IllegalStateException("refused"));
            }
            else
            {
                completion.succeed("ok");
            }
            times.put(id + ".after", System.nanoTime());
            final long until = System.nanoTime() + LINGER_NANOS;
            while (System.nanoTime() < until)
            {
                LockSupport.parkNanos(until - System.nanoTime());
            }
        };
        final DispatchListener listener = new DispatchListener()
        {
            @Override
            public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
            {
                times.put(task.task().id() + ".heard", nanos);
            }

            @Override
            public void onFailed(final TaskView task, final AgentView agent, final String reason, final long nanos)
            {
                times.put(task.task().id() + ".heard", nanos);
            }
        };
        try (Dispatcher d = Dispatcher.builder().workers(1).strategy(TestStrategies.leastLoaded()).listener(listener)
            .agent(AgentSpec.builder("a1", "coder").capacity(1).build(), adapter).build().start())
        {
            assertThat(d.submit(Task.builder("coder").id(1).build())).isEqualTo(SubmitStatus.ACCEPTED);
            assertThat(d.submit(Task.builder("coder").id(2).maxRetries(0).build())).isEqualTo(SubmitStatus.ACCEPTED);
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
        for (final String id : new String[]{"1", "2"})
        {
            assertThat(times.get(id + ".heard")).as("task %s: the listener's time, against the answer's", id)
                .isBetween(times.get(id + ".before"), times.get(id + ".after"));
        }
    }
}
