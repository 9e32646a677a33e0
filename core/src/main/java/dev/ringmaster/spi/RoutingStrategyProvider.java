package dev.ringmaster.spi;

/**
 * {@link java.util.ServiceLoader} entry point of a routing strategy plugin; stateless and thread-safe, it creates one
 * strategy instance per dispatcher.
 */
public interface RoutingStrategyProvider
{
    /** @return the unique name users select the strategy by, lower-case with dashes, e.g. "least-connections". */
    String name();

    /** @return one line for listings: what the strategy optimizes and its cost per decision. */
    String description();

    /** @return a new strategy instance, owned by one dispatcher's routing role (one thread at a time). */
    RoutingStrategy create();
}
