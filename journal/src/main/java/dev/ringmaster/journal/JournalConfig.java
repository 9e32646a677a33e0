package dev.ringmaster.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link Journal}, with defaults; not thread-safe, configure on one thread and then
 * {@link Journal#open} it.
 */
public final class JournalConfig
{
    private final Path directory;
    private Durability durability = Durability.ASYNC;
    private RollCycle rollCycle = RollCycles.FAST_HOURLY;
    private Duration retention;
    private Duration retentionCheckInterval = Duration.ofMinutes(1);
    private int ringCapacity = 8 << 20;
    private PayloadCodec payloadCodec = PayloadCodec.standard();
    private TimeProvider clock = SystemTimeProvider.INSTANCE;

    private JournalConfig(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "journal directory must not be null");
    }

    /** @return settings for a journal in {@code directory} (created if missing), ASYNC, hourly cycles, kept forever. */
    public static JournalConfig at(final Path directory)
    {
        JournalJvm.quietChronicle(); // before the defaults below load Chronicle's classes
        return new JournalConfig(directory);
    }

    public JournalConfig durability(final Durability durability)
    {
        this.durability = Objects.requireNonNull(durability, "durability must not be null");
        return this;
    }

    /** How often a new cycle file starts (default {@link RollCycles#FAST_HOURLY}); retention deletes whole files. */
    public JournalConfig rollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = Objects.requireNonNull(rollCycle, "roll cycle must not be null");
        return this;
    }

    /** Deletes cycle files last written longer ago than {@code retention}; null (the default) keeps everything. */
    public JournalConfig retention(final Duration retention)
    {
        if (retention != null && (retention.isNegative() || retention.isZero()))
        {
            throw new IllegalArgumentException("retention must be positive or null (keep all), got " + retention);
        }
        this.retention = retention;
        return this;
    }

    /** How often the writer looks for expired cycle files (default 1 minute). */
    public JournalConfig retentionCheckInterval(final Duration interval)
    {
        if (interval.isNegative() || interval.isZero())
        {
            throw new IllegalArgumentException("retention check interval must be positive, got " + interval);
        }
        this.retentionCheckInterval = interval;
        return this;
    }

    /**
     * Bytes of the ring between the router and the writer, a power of two (default 8 MiB); the router waits when it
     * is full, and one record (with its payload) may take at most an eighth of it.
     */
    public JournalConfig ringCapacity(final int bytes)
    {
        if (bytes < 4096 || Integer.bitCount(bytes) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 4096, got " + bytes);
        }
        this.ringCapacity = bytes;
        return this;
    }

    public JournalConfig payloadCodec(final PayloadCodec codec)
    {
        this.payloadCodec = Objects.requireNonNull(codec, "payload codec must not be null");
        return this;
    }

    /** The wall clock of the queue's roll cycles, record times and retention; for tests that roll cycles fast. */
    public JournalConfig clock(final TimeProvider clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        return this;
    }

    public Path directory()
    {
        return directory;
    }

    public Durability durability()
    {
        return durability;
    }

    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    public Duration retention()
    {
        return retention;
    }

    public Duration retentionCheckInterval()
    {
        return retentionCheckInterval;
    }

    public int ringCapacity()
    {
        return ringCapacity;
    }

    public PayloadCodec payloadCodec()
    {
        return payloadCodec;
    }

    public TimeProvider clock()
    {
        return clock;
    }
}
