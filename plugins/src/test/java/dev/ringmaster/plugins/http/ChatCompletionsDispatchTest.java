package dev.ringmaster.plugins.http;

import dev.ringmaster.autoscale.AgentFactories;
import dev.ringmaster.dispatch.DeadLetter;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugins.http.LoopbackServer.Answer;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP adapter wired through a real dispatcher, against a loopback server that answers with every kind of trouble
 * at once: every accepted task reaches exactly one terminal state, the tokens reach the dispatcher, the key reaches
 * no listener.
 */
class ChatCompletionsDispatchTest
{
    private static final int TASKS = 300;
    private static final ClassLoader LOADER = ChatCompletionsDispatchTest.class.getClassLoader();

    private LoopbackServer server;

    @BeforeEach
    void start() throws Exception
    {
        server = new LoopbackServer();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** Counts lifecycle events on the router thread and keeps every text a listener sees. */
    static final class Events implements DispatchListener
    {
        final Map<Long, Integer> terminals = new HashMap<>();
        final List<String> reasons = new ArrayList<>();
        int accepted;
        int completed;
        long tokens;

        @Override
        public void onAccepted(final TaskView task, final long nanos)
        {
            accepted++;
        }

        @Override
        public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
        {
            completed++;
            tokens += tokensUsed;
            terminals.merge(task.task().id(), 1, Integer::sum);
        }

        @Override
        public void onFailed(final TaskView task, final AgentView agent, final String reason, final long nanos)
        {
            reasons.add(reason);
        }

        @Override
        public void onExpired(final TaskView task, final long nanos)
        {
            terminals.merge(task.task().id(), 1, Integer::sum);
        }

        @Override
        public void onDeadLettered(final TaskView task, final String reason, final long nanos)
        {
            reasons.add(reason);
            terminals.merge(task.task().id(), 1, Integer::sum);
        }

        @Override
        public void onCancelled(final TaskView task, final long nanos)
        {
            terminals.merge(task.task().id(), 1, Integer::sum);
        }
    }

    @Test
    void everyTaskReachesExactlyOneTerminalStateThroughTrouble()
    {
        // by the task's number in the payload: fine, 429 then fine, 500 then fine, always 500, malformed, too slow
        final Map<String, AtomicInteger> seen = new java.util.concurrent.ConcurrentHashMap<>();
        server.answer(r ->
        {
            final int n = Integer.parseInt(r.body().replaceAll(".*task-(\\d+).*", "$1"));
            final int call = seen.computeIfAbsent("t" + n, k -> new AtomicInteger()).getAndIncrement();
            return switch (n % 6)
            {
                case 0 -> Answer.ok("ok", 10);
                case 1 -> call == 0 ? Answer.status(429, "").header("Retry-After", "0") : Answer.ok("ok", 10);
                case 2 -> call == 0 ? Answer.status(500, "oops") : Answer.ok("ok", 10);
                case 3 -> Answer.status(500, "down " + r.authorization());
                case 4 -> new Answer(200, Map.of(), "{not json", 0);
                // far past the timeout, which is generous so that a loaded machine never times out the fine calls
                default -> Answer.ok("late", 10).delayed(5_000);
            };
        });
        final AgentFactory factory = AgentFactories.create(ChatCompletionsAgentFactory.NAME, "llm",
            Map.of("baseUrl", server.baseUrl(), "model", "m", "timeout", "2s", "maxRetries", "1", "capacity", "8"),
            LOADER);
        final Events events = new Events();
        final Dispatcher.Builder builder = Dispatcher.builder().strategy(new dev.ringmaster.plugins.routing.LeastConnectionsStrategy())
            .listener(events).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).workers(2);
        for (int i = 0; i < 4; i++)
        {
            final AgentSpec spec = factory.spec("llm-" + i);
            builder.agent(spec, create(factory, spec));
        }
        final Dispatcher dispatcher = builder.build().start();
        int accepted = 0;
        for (int i = 0; i < TASKS; i++)
        {
            final Task task = Task.builder("llm").payload("task-" + i).maxRetries(1).build();
            if (dispatcher.submit(task, Duration.ofSeconds(10)) == SubmitStatus.ACCEPTED)
            {
                accepted++;
            }
        }
        // generous: bounds a hang, asserts no speed
        assertThat(dispatcher.drain(Duration.ofSeconds(120))).as("drained; %s", dispatcher.describe()).isTrue();

        assertThat(accepted).isEqualTo(TASKS);
        assertThat(events.accepted).isEqualTo(TASKS);
        assertThat(events.terminals).hasSize(TASKS);
        assertThat(events.terminals.values()).allMatch(n -> n == 1);
        assertThat(dispatcher.outstanding()).isZero();
        final int good = (TASKS / 6) * 3;
        assertThat(events.completed).as("the fine, 429-then-fine and 500-then-fine tasks").isEqualTo(good);
        assertThat(events.tokens).as("usage reached the dispatcher").isEqualTo(10L * good);
        final List<DeadLetter> dead = dispatcher.deadLetters();
        assertThat(dead).hasSize(TASKS - good);
        assertThat(dead).extracting(DeadLetter::reason).anyMatch(r -> r.contains("HTTP 500 from " + server.url()))
            .anyMatch(r -> r.contains("malformed JSON from " + server.url()))
            .anyMatch(r -> r.contains("timed out after 2000 ms calling " + server.url()));
        assertThat(events.reasons).isNotEmpty().noneMatch(r -> r.contains(ChatCompletionsAdapterTest.KEY));
    }

    private static AgentAdapter create(final AgentFactory factory, final AgentSpec spec)
    {
        try
        {
            return factory.create(spec);
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFactoryIsFoundByNameAndChecksItsOptions()
    {
        assertThat(AgentFactories.available(LOADER)).containsKey("openai-http");
        final AgentFactory factory = AgentFactories.create("openai-http", "llm",
            Map.of("baseUrl", "http://localhost:1", "model", "m", "capacity", "3", "apiKeyEnv", "MY_KEY",
                "tokenBudget", "1000"), LOADER);
        assertThat(factory.spec("a").capacity()).isEqualTo(3);
        assertThat(factory.type()).isEqualTo("llm");

        assertThatThrownBy(() -> AgentFactories.create("openai-http", "llm", Map.of("model", "m"), LOADER))
            .hasMessageContaining("needs option 'baseUrl'");
        assertThatThrownBy(() -> AgentFactories.create("openai-http", "llm",
            Map.of("baseUrl", "http://h", "model", "m", "timout", "1s"), LOADER))
            .hasMessageContaining("unknown option 'timout'").hasMessageContaining("timeout");
        assertThatThrownBy(() -> AgentFactories.create("openai-http", "llm",
            Map.of("baseUrl", "http://h", "model", "m", "timeout", "soon"), LOADER))
            .hasMessageContaining("such as 500ms, 30s or 2m");
        assertThat(ChatCompletionsAgentFactory.duration("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ChatCompletionsAgentFactory.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    }
}
