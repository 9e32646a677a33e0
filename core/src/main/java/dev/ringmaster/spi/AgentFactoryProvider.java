package dev.ringmaster.spi;

import java.util.Map;

/**
 * {@link java.util.ServiceLoader} entry point of an agent factory plugin; stateless and thread-safe, it creates one
 * factory per agent type that an autoscaler scales with it.
 */
public interface AgentFactoryProvider
{
    /** @return the unique name users select the factory by, lower-case with dashes, e.g. "echo". */
    String name();

    /** @return one line for listings: what kind of agent the factory makes and which options it reads. */
    String description();

    /**
     * @param type    the agent type the factory's agents get.
     * @param options provider-specific settings, e.g. "capacity" to "4"; unknown keys are an error.
     * @return a new factory for that type.
     * @throws IllegalArgumentException naming the bad option and what it accepts.
     */
    AgentFactory create(String type, Map<String, String> options);
}
