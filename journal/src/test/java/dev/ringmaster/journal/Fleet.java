package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.DispatchListener;

/** Test fixture: a dispatcher over a few synchronous "coder" agents; poison payloads fail every attempt. */
final class Fleet
{
    static final String POISON = "poison";

    private Fleet()
    {
    }

    /** @return a started dispatcher with {@code agents} agents of capacity 2 and the given listener. */
    static Dispatcher start(final int agents, final DispatchListener listener)
    {
        final Dispatcher.Builder b = Dispatcher.builder()
            .strategy("least-connections")
            .listener(listener)
            .seed(7)
            .workers(2);
        for (int i = 0; i < agents; i++)
        {
            b.agent(AgentSpec.builder("coder-" + i, "coder").capacity(2).build(), (task, completion, telemetry) ->
            {
                if (POISON.equals(task.task().payload()))
                {
                    completion.fail(new IllegalStateException("poisoned"));
                }
                else
                {
                    completion.succeed("done", 100 + task.task().id() % 50, 1.0);
                }
            });
        }
        return b.build().start();
    }

    static AgentAdapter noop()
    {
        return AgentAdapter.sync(t -> "ok");
    }
}
