package dev.ringmaster.tools;

import dev.ringmaster.dispatch.AgentStartException;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.plugin.ServiceProviders;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;

import java.nio.file.Path;

/**
 * Calls into an agent factory for {@code serve --config}: plugin code, which may throw anything, an Error included, or
 * answer null or an agent of another type; each such answer is refused with a message that names the factory's class
 * and jar. Stateless, so any thread may call it.
 */
final class FactoryCalls
{
    private FactoryCalls()
    {
    }

    /**
     * @return the factory's spec of agent {@code id}, of the type the file declares it under.
     * @throws IllegalArgumentException if the factory throws, makes no spec, or makes an agent of another type (its
     *     agents would never be sent the declared type's tasks: a file's type served none).
     */
    static AgentSpec spec(final AgentFactory factory, final String id, final String type)
    {
        final AgentSpec made;
        try
        {
            made = factory.spec(id);
        }
        catch (final RuntimeException | Error e)
        {
            throw new IllegalArgumentException(of(factory) + " could not make agent '" + id + "': " + e + "; it " +
                "accepts options under which the factory can make agents", e);
        }
        if (made == null)
        {
            throw new IllegalArgumentException(of(factory) + " made no spec for agent '" + id + "': its spec(String) " +
                "returned null; fix it and rebuild " + ServiceProviders.origin(factory.getClass()));
        }
        if (!type.equals(made.type()))
        {
            throw new IllegalArgumentException(of(factory) + " made agent '" + id + "' of type '" + made.type() +
                "', but the file declares it under type '" + type + "', whose tasks it would never be sent; fix the " +
                "factory's spec(String), or declare the agents under type '" + made.type() + "'");
        }
        return made;
    }

    /**
     * Calls a factory's create: its failure, or a null that would fail later as "adapter must not be null" without a
     * word about the factory, names the factory's class and jar.
     *
     * @throws IllegalArgumentException if the factory throws or makes no adapter.
     */
    static AgentAdapter create(final AgentFactory factory, final AgentSpec spec)
    {
        final AgentAdapter adapter;
        try
        {
            adapter = factory.create(spec);
        }
        catch (final Exception | Error e)
        {
            throw new IllegalArgumentException(of(factory) + " could not make agent '" + spec.id() + "': " + e, e);
        }
        if (adapter == null)
        {
            throw new IllegalArgumentException(of(factory) + " made no adapter for agent '" + spec.id() +
                "': its create(AgentSpec) returned null; fix it and rebuild " +
                ServiceProviders.origin(factory.getClass()));
        }
        return adapter;
    }

    /**
     * Builds and starts the dispatcher of {@code serve}; with a --config ({@code config} not null), an agent whose
     * adapter failed to start is named with the factory that made it, its jar and the file's type: the dispatcher's
     * own advice (supervision with an AgentFactory) is nothing serve offers.
     */
    static Dispatcher start(final Dispatcher.Builder builder, final ServeConfig config, final Path file)
    {
        try
        {
            return builder.build().start();
        }
        catch (final AgentStartException e)
        {
            final String type = config == null ? null : config.agents.stream().map(ServeConfig.Agent::spec)
                .filter(s -> s.id().equals(e.agentId())).map(AgentSpec::type).findFirst().orElse(null);
            if (type == null)
            {
                throw e;
            }
            final AgentFactory factory = DeclaredTypeFactory.plugin(config.factories.get(type));
            throw new IllegalStateException("agent '" + e.agentId() + "' failed to start: " + e.getCause() + "; its " +
                "adapter was made by " + (factory == null ? "the agent factory of type '" + type + "'" : of(factory)) +
                " for type '" + type + "' of " + file + ": fix the adapter's start(), or the type's options", e);
        }
    }

    /** @return the factory's class and where it was loaded from (a plugin's jar), for a message. */
    private static String of(final AgentFactory factory)
    {
        return "the agent factory " + factory.getClass().getName() + " (from " +
            ServiceProviders.origin(factory.getClass()) + ")";
    }
}
