package dev.ringmaster.predict;

/**
 * Receives, once per pre-routing tick, the arrivals per second pre-routing expects for an agent type over its horizon
 * (the sum over that type's confident predictions), so that capacity can be added ahead of a predicted burst; called on
 * the pre-routing thread. What it throws is contained and counted.
 */
@FunctionalInterface
public interface CapacityHint
{
    void expect(String type, double arrivalsPerSecond, double confidence);
}
