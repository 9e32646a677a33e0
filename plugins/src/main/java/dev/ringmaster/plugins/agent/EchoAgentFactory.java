package dev.ringmaster.plugins.agent;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Makes in-process agents that answer each task with its own payload, synchronously on the worker thread; immutable,
 * so its methods may be called from any thread. For demos, tests and as the template of a real factory.
 */
public final class EchoAgentFactory implements AgentFactory
{
    public static final String NAME = "echo";
    /** Option: tasks each agent runs at once, a positive integer (default 1). */
    public static final String CAPACITY = "capacity";
    private static final Set<String> OPTIONS = Set.of(CAPACITY);
    private static final AgentAdapter ECHO = AgentAdapter.sync(task -> task.task().payload());

    private final String type;
    private final int capacity;

    public EchoAgentFactory(final String type, final int capacity)
    {
        if (type == null || type.isBlank())
        {
            throw new IllegalArgumentException("agent type must be a non-blank string, got '" + type + "'");
        }
        if (capacity < 1)
        {
            throw new IllegalArgumentException("echo agent capacity must be >= 1, got " + capacity);
        }
        this.type = type;
        this.capacity = capacity;
    }

    @Override
    public String type()
    {
        return type;
    }

    @Override
    public AgentSpec spec(final String id)
    {
        return AgentSpec.builder(id, type).capacity(capacity).build();
    }

    @Override
    public AgentAdapter create(final AgentSpec spec)
    {
        // stateless, so every agent shares one adapter
        return ECHO;
    }

    /** Registers {@link EchoAgentFactory} with the ServiceLoader; stateless. */
    public static final class Provider implements AgentFactoryProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "in-process agents that answer each task with its payload; option: capacity (default 1)";
        }

        @Override
        public AgentFactory create(final String type, final Map<String, String> options)
        {
            Objects.requireNonNull(options, "options must not be null");
            for (final String key : options.keySet())
            {
                if (!OPTIONS.contains(key))
                {
                    throw new IllegalArgumentException("unknown option '" + key + "' of agent factory '" + NAME +
                        "'; it accepts " + OPTIONS);
                }
            }
            final String capacity = options.getOrDefault(CAPACITY, "1");
            try
            {
                return new EchoAgentFactory(type, Integer.parseInt(capacity.trim()));
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("option '" + CAPACITY + "' of agent factory '" + NAME +
                    "' must be a positive integer, got '" + capacity + "'", e);
            }
        }
    }
}
