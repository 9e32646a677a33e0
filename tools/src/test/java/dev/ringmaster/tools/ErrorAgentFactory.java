package dev.ringmaster.tools;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;

import java.util.Map;

/**
 * A broken agent factory plugin, 'error-agents': with option {@code fails: spec} its spec() throws an
 * AssertionError, with {@code fails: create} its create() does, with {@code fails: null} its create() returns null,
 * with {@code fails: nullspec} its spec() does, with {@code fails: spectype} its spec() makes an agent of type
 * 'elsewhere', with {@code fails: start} its adapters' start() throws a LinkageError; stateless, any thread.
 */
public final class ErrorAgentFactory implements AgentFactoryProvider
{
    @Override
    public String name()
    {
        return "error-agents";
    }

    @Override
    public String description()
    {
        return "throws an Error where option 'fails' says (test plugin)";
    }

    @Override
    public AgentFactory create(final String type, final Map<String, String> options)
    {
        final String fails = options.getOrDefault("fails", "create");
        return new AgentFactory()
        {
            @Override
            public String type()
            {
                return type;
            }

            @Override
            public AgentSpec spec(final String id)
            {
                if (fails.equals("spec"))
                {
                    throw new AssertionError("spec assert");
                }
                if (fails.equals("nullspec"))
                {
                    return null;
                }
                return AgentSpec.builder(id, fails.equals("spectype") ? "elsewhere" : type).capacity(1).build();
            }

            @Override
            public AgentAdapter create(final AgentSpec spec)
            {
                if (fails.equals("null"))
                {
                    return null;
                }
                if (fails.equals("start"))
                {
                    return new AgentAdapter()
                    {
                        @Override
                        public void start()
                        {
                            throw new LinkageError("start link");
                        }

                        @Override
                        public void execute(final dev.ringmaster.spi.TaskView task,
                                            final dev.ringmaster.spi.Completion completion,
                                            final dev.ringmaster.spi.AgentTelemetry telemetry)
                        {
                            completion.succeed("never runs");
                        }
                    };
                }
                throw new AssertionError("create assert");
            }
        };
    }
}
