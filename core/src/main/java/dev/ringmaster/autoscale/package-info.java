/**
 * Autoscaling of agent pools: per agent type, a {@link dev.ringmaster.autoscale.ScalingPolicy} (bounds, thresholds,
 * hysteresis, cooldowns, step), the pure {@link dev.ringmaster.autoscale.ScalingDecider} that applies it to one
 * observation, and the {@link dev.ringmaster.autoscale.Autoscaler} that samples a dispatcher on a schedule, adds
 * agents from {@link dev.ringmaster.spi.AgentFactory} plugins and drains the ones it no longer needs. Nothing here is
 * on the dispatch path: the autoscaler talks to the dispatcher only through its fleet operations.
 *
 * <p>Under the dispatcher's supervision an agent the autoscaler added is replaced by the autoscaler, not restarted by
 * the dispatcher: the dispatcher stops the crashed adapter and tells the autoscaler
 * ({@link dev.ringmaster.dispatch.CrashHandler}), whose factory then releases it and creates a replacement under the
 * same id, which the pool keeps counting and may later scale down. A factory's failures, {@code Error}s included, are
 * logged and counted, never thrown into the dispatcher or the autoscaler's thread.
 */
package dev.ringmaster.autoscale;
