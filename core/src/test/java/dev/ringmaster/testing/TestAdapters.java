package dev.ringmaster.testing;

import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;

/** Adapters for supervision tests; each is stateless, so usable from any thread. */
public final class TestAdapters
{
    private TestAdapters()
    {
    }

    /**
     * @param message why start() fails, e.g. "cannot load the model".
     * @return an adapter whose start() always throws; a task that reaches it anyway fails.
     */
    public static AgentAdapter failingToStart(final String message)
    {
        return new AgentAdapter()
        {
            @Override
            public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
            {
                completion.fail(new IllegalStateException("never started"));
            }

            @Override
            public void start()
            {
                throw new IllegalStateException(message);
            }
        };
    }
}
