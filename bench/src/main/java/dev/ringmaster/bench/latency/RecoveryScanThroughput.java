package dev.ringmaster.bench.latency;

import dev.ringmaster.bench.BenchDefaults;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.journal.Recovery;
import dev.ringmaster.journal.RecoveryPlan;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * Recovery's read rate: {@link Recovery#scan} of a journal of {@value #TASKS} tasks written through the real
 * listener (ACCEPTED with a String payload, ASSIGNED, STARTED, and COMPLETED for all but {@value #OPEN}, which
 * recovery rebuilds), so the score is records read per second, checksums and task rebuilding included. Threads: the
 * JMH thread only (the journal is written and closed in the trial's setup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecoveryScanThroughput extends BenchDefaults
{
    static final int TASKS = 50_000;
    static final int OPEN = 500;
    static final int RECORDS = 4 * TASKS - OPEN;

    private Path directory;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        directory = Files.createTempDirectory("ringmaster-jmh-recovery");
        final RoutingDecisionLatency.FakeAgent agent = new RoutingDecisionLatency.FakeAgent(3,
            AgentSpec.builder("agent-3", "coder").capacity(8).build(), 1, new SplittableRandom(3));
        try (Journal journal = Journal.open(JournalConfig.at(directory).durability(Durability.ASYNC)))
        {
            final DispatchListener listener = journal.listener();
            long t = System.nanoTime();
            for (int i = 0; i < TASKS; i++)
            {
                final FirstAttemptTask view = new FirstAttemptTask(Task.builder("coder")
                    .id(1_000_000L + i).affinityKey("session-" + (i % 64)).costTokens(1_200)
                    .payload("summarise ticket " + i).build());
                view.sequence = i;
                view.acceptedNanos = t += 1_000;
                listener.onAccepted(view, t);
                listener.onAssigned(view, agent, "least-connections", 1.0, 2.0, t + 100);
                listener.onStarted(view, agent, t + 200);
                if (i >= OPEN)
                {
                    listener.onCompleted(view, agent, 900, t + 500);
                }
            }
        }
        final RecoveryPlan plan = scan();
        if (plan.recordsRead() != RECORDS || plan.pending().size() != OPEN)
        {
            throw new IllegalStateException("the journal holds " + plan.recordsRead() + " records and " +
                plan.pending().size() + " open tasks, expected " + RECORDS + " and " + OPEN);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public RecoveryPlan scan()
    {
        return Recovery.scan(directory, PayloadCodec.standard());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
