package dev.ringmaster.bench.latency;

import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.Provenance;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The journal's CPU per task at a fixed rate, in thread CPU time, for a shared machine where the bench's wall-clock
 * figures swing by more than the journal costs: the events the bench's dispatcher journals per task (accepted and
 * assigned with a least-connections provenance, started, completed; four agents in turn) go through the real
 * {@link Journal#listener()} (ASYNC), paced in 1 ms steps, and the writer thread's CPU and the calling thread's
 * (pacing parks included) are divided by the tasks. Run as {@code java <flags> -cp bench/target/benchmarks.jar
 * dev.ringmaster.bench.latency.JournalWriterCpuProbe [TASKS_PER_MS [SECONDS [ROUNDS]]]}; a main program on one
 * thread plus the journal's writer, not a JMH benchmark.
 */
public final class JournalWriterCpuProbe
{
    private JournalWriterCpuProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int perMilli = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final RoutingDecisionLatency.FakeAgent[] agents = new RoutingDecisionLatency.FakeAgent[4];
        for (int i = 0; i < agents.length; i++)
        {
            agents[i] = new RoutingDecisionLatency.FakeAgent(i, AgentSpec.builder("agent-" + i, "noop").capacity(64)
                .build(), 0, new SplittableRandom(i));
        }
        final Task[] tasks = new Task[4096];
        for (int i = 0; i < tasks.length; i++)
        {
            tasks[i] = Task.builder("noop").id(i).maxRetries(0).build();
        }
        for (int round = 0; round < rounds; round++)
        {
            final Path dir = Files.createTempDirectory("ringmaster-journal-cpu");
            final Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ASYNC));
            final long writer = writerThreadId(threads);
            final Events events = new Events(journal.listener(), agents, tasks);
            events.run(perMilli, 1_000); // warm-up
            final long w0 = threads.getThreadCpuTime(writer);
            final long c0 = threads.getCurrentThreadCpuTime();
            final long t0 = System.nanoTime();
            final long n = events.run(perMilli, seconds * 1_000);
            final long wall = System.nanoTime() - t0;
            final long writerCpu = threads.getThreadCpuTime(writer) - w0;
            final long callerCpu = threads.getCurrentThreadCpuTime() - c0;
            System.out.printf(Locale.ROOT, "round %d: %,d tasks in %.2f s; writer %.0f ns/task (%.1f%% of a core), " +
                "calling thread %.0f ns/task%n", round, n, wall / 1e9, (double)writerCpu / n, 100.0 * writerCpu / wall,
                (double)callerCpu / n);
            journal.close();
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static long writerThreadId(final ThreadMXBean threads) throws InterruptedException
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            for (final var info : threads.getThreadInfo(threads.getAllThreadIds()))
            {
                if (info != null && info.getThreadName().equals("ringmaster-journal-writer"))
                {
                    return info.getThreadId();
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the journal's writer thread did not start within 2 s");
    }

    /** The events of one task after another, as the bench's dispatcher journals them; confined to the caller. */
    private static final class Events
    {
        private final DispatchListener listener;
        private final RoutingDecisionLatency.FakeAgent[] agents;
        private final Task[] tasks;
        private final FirstAttemptTask[] views;
        private final Why why = new Why();
        private long next;

        Events(final DispatchListener listener, final RoutingDecisionLatency.FakeAgent[] agents, final Task[] tasks)
        {
            this.listener = listener;
            this.agents = agents;
            this.tasks = tasks;
            views = new FirstAttemptTask[tasks.length];
            for (int i = 0; i < tasks.length; i++)
            {
                views[i] = new FirstAttemptTask(tasks[i]);
            }
        }

        /** @return the tasks journaled, {@code perMilli} each millisecond for {@code millis} milliseconds. */
        long run(final int perMilli, final int millis)
        {
            long at = System.nanoTime();
            for (int m = 0; m < millis; m++)
            {
                for (int i = 0; i < perMilli; i++)
                {
                    final long n = next++;
                    final FirstAttemptTask view = views[(int)(n % tasks.length)];
                    view.sequence = n;
                    final RoutingDecisionLatency.FakeAgent agent = agents[(int)(n % agents.length)];
                    why.runnerUp = agents[(int)((n + 1) % agents.length)];
                    final long t = at + i;
                    view.acceptedNanos = t;
                    listener.onAcceptedAndAssigned(view, t, agent, why, t + 100);
                    listener.onStarted(view, agent, t + 200);
                    listener.onCompleted(view, agent, 0, t + 300);
                }
                at += 1_000_000;
                final long wait = at - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
            return (long)millis * perMilli;
        }
    }

    /** A least-connections decision among four agents, as the dispatcher's provenance reports it. */
    private static final class Why implements Provenance
    {
        private RoutingDecisionLatency.FakeAgent runnerUp;

        @Override public String strategy() { return "least-connections"; }
        @Override public int strategyVersion() { return 1; }
        @Override public int candidates() { return 4; }
        @Override public double score() { return 3; }
        @Override public double runnerUp() { return 4; }
        @Override public dev.ringmaster.spi.AgentView runnerUpAgent() { return runnerUp; }
        @Override public boolean hasRandomState() { return false; }
        @Override public long randomState() { return 0; }
        @Override public String shadowStrategy() { return null; }
        @Override public dev.ringmaster.spi.AgentView shadowAgent() { return null; }
        @Override public double shadowRegretNanos() { return Double.NaN; }
    }
}
