package dev.ringmaster.remote;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent on a host sees the dispatcher's acceptance sequence in {@code TaskView.sequence()}, as TaskView says
 * (lower is older), not the attempt's correlation id, which is another number.
 */
class RemoteSequenceTest
{
    @Test
    void aRemoteAgentSeesTheDispatchersAcceptanceSequence() throws Exception
    {
        final RemoteSettings settings = RemoteTesting.settings(RemoteTesting.freePort());
        final Map<Long, Long> dispatcherSide = new ConcurrentHashMap<>();
        final Map<Long, Long> hostSide = new ConcurrentHashMap<>();
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder())
            .onResult((task, state, result, reason) -> dispatcherSide.put(task.task().id(), task.sequence()))
            .build().start();
        final AgentAdapter records = AgentAdapter.async(t ->
        {
            hostSide.put(t.task().id(), t.sequence());
            return java.util.concurrent.CompletableFuture.completedFuture("ok");
        });
        try (RemoteFleet fleet = RemoteFleet.start(dispatcher, settings, PayloadCodec.TEXT);
             AgentHost host = new AgentHost("seq", settings, PayloadCodec.TEXT,
                 List.of(Map.entry(AgentSpec.builder("a@seq", "work").build(), records)), 0).start())
        {
            assertThat(host.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            final int n = 20;
            for (int i = 0; i < n; i++)
            {
                assertThat(dispatcher.submit(Task.builder("work").payload("p" + i).build(), Duration.ofSeconds(5)))
                    .isEqualTo(SubmitStatus.ACCEPTED);
            }
            Await.until("every task answered", Duration.ofSeconds(30), () -> dispatcherSide.size() == n);
            assertThat(hostSide).isEqualTo(dispatcherSide);
        }
        finally
        {
            dispatcher.close();
        }
    }
}
