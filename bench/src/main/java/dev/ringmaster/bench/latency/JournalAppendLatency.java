package dev.ringmaster.bench.latency;

import dev.ringmaster.bench.BenchDefaults;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.JournalStats;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The journal append as the router pays for it: one {@code onAccepted} (the whole task, with a short String payload)
 * plus one {@code onCompleted} per operation, through the real {@link Journal#listener()} (encode into the scratch
 * buffer, copy into the Agrona ring) while the journal's writer thread drains the ring into Chronicle Queue (ASYNC
 * durability, a temporary directory deleted after the trial). In steady state the writer is the bottleneck, so the
 * score is the sustained cost of two records, ring-full waits included; run it with {@code -prof gc} for B/op.
 * Threads: the JMH thread (the router's role) and the journal writer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JournalAppendLatency extends BenchDefaults
{
    private Path directory;
    private Journal journal;
    private DispatchListener listener;
    private FirstAttemptTask task;
    private RoutingDecisionLatency.FakeAgent agent;
    private long nanos;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        directory = Files.createTempDirectory("ringmaster-jmh-journal");
        journal = Journal.open(JournalConfig.at(directory).durability(Durability.ASYNC));
        listener = journal.listener();
        task = new FirstAttemptTask(Task.builder("coder").affinityKey("session-17").costTokens(1_200)
            .payload("summarise ticket 4711").build());
        agent = new RoutingDecisionLatency.FakeAgent(3, AgentSpec.builder("agent-3", "coder").capacity(8).build(), 1,
            new SplittableRandom(3));
        nanos = System.nanoTime();
    }

    @Benchmark
    public void acceptedThenCompleted()
    {
        final long t = nanos += 1_000; // a moving clock without paying for System.nanoTime()
        task.sequence++;
        task.acceptedNanos = t;
        listener.onAccepted(task, t);
        listener.onCompleted(task, agent, 900, t + 500);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        final JournalStats s = journal.stats();
        journal.close();
        System.out.printf("%njournal: %d records written, %d ring-full waits (%.1f ms), %d dropped%n",
            s.recordsWritten(), s.ringFullWaits(), s.ringFullWaitNanos() / 1e6, s.dropped());
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
