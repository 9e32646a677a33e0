package dev.ringmaster.dispatch.internal;

/** Tuning values of one dispatcher: written by the builder's thread, read-only by every thread once it starts. */
public final class EngineConfig
{
    public int ringSize = 1 << 16;
    public int queueCapacity = 1 << 16;
    public int prefetch = 1;
    public int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    public int agingQuantum = 8;
    public long retryBaseNanos = 1_000_000L;
    public long retryMaxNanos = 1_000_000_000L;
    public long watchdogIntervalNanos = Long.getLong("ringmaster.watchdogNanos", 1_000_000L);
    public long maxParkNanos = 1_000_000L;
    /** An idle dispatcher's workers and router thread doze once it has accepted nothing for this long ({@link Slumber}). */
    public long dozeAfterNanos = Long.getLong("ringmaster.dozeAfterNanos", 50_000_000L);
    /** A dozing thread's backstop: an accepted task wakes it, so this bounds only a wake-up that went astray. */
    public long dozeNanos = 1_000_000_000L;
    public int deadLetterCapacity = 10_000;
    public int preallocatedRecords = 4096;
    public long seed = 42;
    public boolean busySpin;
    public final java.util.List<dev.ringmaster.dispatch.RateLimit> rateLimits = new java.util.ArrayList<>();
    /** Null: no outlier ejection. */
    public dev.ringmaster.dispatch.OutlierEjection outlierEjection;
    /** 0: no slow start. */
    public long slowStartNanos;
    public double slowStartMinFactor = 0.1;
    /** Null: no shadow strategy (see {@link Shadow}). */
    public dev.ringmaster.spi.RoutingStrategy shadow;
    /** Null: every waiting task may be stolen (see {@link dev.ringmaster.spi.StealGuard}). */
    public dev.ringmaster.spi.StealGuard stealGuard;
    /** Null: crashed agents are not restarted. */
    public dev.ringmaster.dispatch.Supervision supervision;
    public final java.util.Map<String, dev.ringmaster.spi.AgentFactory> factories = new java.util.HashMap<>();
    /** Per agent type; a type not named binds late. */
    public final java.util.Map<String, dev.ringmaster.dispatch.Binding> bindings = new java.util.HashMap<>();

    /** @return how tasks of the type are bound, {@link dev.ringmaster.dispatch.Binding#LATE} unless set. */
    dev.ringmaster.dispatch.Binding binding(final String type)
    {
        return bindings.getOrDefault(type, dev.ringmaster.dispatch.Binding.LATE);
    }
}
