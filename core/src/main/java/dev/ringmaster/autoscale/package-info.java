/**
 * Autoscaling of agent pools: per agent type, a {@link dev.ringmaster.autoscale.ScalingPolicy} (bounds, thresholds,
 * hysteresis, cooldowns, step), the pure {@link dev.ringmaster.autoscale.ScalingDecider} that applies it to one
 * observation, and the {@link dev.ringmaster.autoscale.Autoscaler} that samples a dispatcher on a schedule, adds
 * agents from {@link dev.ringmaster.spi.AgentFactory} plugins and drains the ones it no longer needs. Nothing here is
 * on the dispatch path: the autoscaler talks to the dispatcher only through its fleet operations.
 */
package dev.ringmaster.autoscale;
