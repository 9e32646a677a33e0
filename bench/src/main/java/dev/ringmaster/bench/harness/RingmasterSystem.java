package dev.ringmaster.bench.harness;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Ringmaster as the harness runs it: {@value #AGENTS} no-op agents of capacity {@value #CAPACITY}, the default
 * strategy (least-connections), the default idle strategy (spin, yield, then park: never busy-spin), and optionally
 * the journal in ASYNC mode in a temporary directory deleted after the run. Each slot has a prebuilt {@link Task}
 * whose id is the slot number; the result handler, on the router thread, completes the slot. Threads: the router,
 * {@code workers} workers, and with the journal its writer.
 */
final class RingmasterSystem implements SystemUnderTest
{
    static final int AGENTS = 4;
    static final int CAPACITY = 64;
    private static final String TYPE = "noop";
    /** How long a producer waits for room in the ring or a queue before the run fails (the dispatcher backs off). */
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The journal's mode, NONE for none; ACKNOWLEDGED submits through {@link Journal#submitAcknowledged}. */
    private final Durability durability;
    private final AtomicLong notCompleted = new AtomicLong();
    private Task[] tasks;
    private Dispatcher dispatcher;
    private Journal journal;
    private Path journalDir;

    RingmasterSystem(final boolean journaled)
    {
        this(journaled ? Durability.ASYNC : Durability.NONE);
    }

    /** @param durability NONE for no journal; ASYNC or ACKNOWLEDGED for a journal in that mode. */
    RingmasterSystem(final Durability durability)
    {
        this.durability = durability;
    }

    @Override
    public void start(final LatencySlots slots, final int workers)
    {
        tasks = new Task[slots.count()];
        for (int i = 0; i < tasks.length; i++)
        {
            tasks[i] = Task.builder(TYPE).id(i).maxRetries(0).build();
        }
        // completes synchronously with a constant: the adapter allocates nothing
        final AgentAdapter noop = (task, completion, telemetry) -> completion.succeed(Boolean.TRUE, 0, Double.NaN);
        final Dispatcher.Builder b = Dispatcher.builder().workers(workers).onResult((view, state, result, reason) ->
        {
            if (state == TerminalState.COMPLETED)
            {
                slots.complete((int)view.task().id());
            }
            else
            {
                notCompleted.incrementAndGet(); // the slot stays busy: the harness records it as unfinished
            }
        });
        for (int i = 0; i < Math.max(AGENTS, workers); i++)
        {
            b.agent(AgentSpec.builder("agent-" + i, TYPE).capacity(CAPACITY).build(), noop);
        }
        if (durability != Durability.NONE)
        {
            try
            {
                journalDir = Files.createTempDirectory("ringmaster-bench-journal");
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot create a temporary journal directory", e);
            }
            journal = Journal.open(JournalConfig.at(journalDir).durability(durability));
            b.listener(journal.listener());
        }
        dispatcher = b.build().start();
    }

    @Override
    public boolean submit(final int slot)
    {
        if (durability == Durability.ACKNOWLEDGED)
        {
            // the producer does not wait for the acknowledgement (open loop); a refusal completes the stage at once
            return !journal.submitAcknowledged(dispatcher, tasks[slot], MAX_WAIT).isCompletedExceptionally();
        }
        final SubmitStatus status = dispatcher.submit(tasks[slot], MAX_WAIT);
        return status == SubmitStatus.ACCEPTED;
    }

    @Override
    public void stop(final boolean now)
    {
        if (now || !dispatcher.drain(Duration.ofSeconds(30)))
        {
            dispatcher.shutdownNow();
            dispatcher.awaitTermination(Duration.ofSeconds(30));
        }
        if (journal != null)
        {
            journal.close();
            deleteRecursively(journalDir);
        }
    }

    /** @return per-stage p50/p99/max of the dispatcher's own histograms (warm-up included), and the journal's waits. */
    @Override
    public String diagnostics()
    {
        final StringBuilder s = new StringBuilder("stages (us, p50/p99/max, warm-up included):");
        dispatcher.metrics().stages().forEach((stage, l) -> s.append(String.format(java.util.Locale.ROOT,
            " %s %.1f/%.1f/%.1f;", stage.toLowerCase(java.util.Locale.ROOT), l.p50Nanos() / 1e3, l.p99Nanos() / 1e3,
            l.maxNanos() / 1e3)));
        if (journal != null)
        {
            final dev.ringmaster.journal.JournalStats j = journal.stats();
            s.append(String.format(java.util.Locale.ROOT, " journal: %d records, %d ring-full waits (%.1f ms)",
                j.recordsWritten(), j.ringFullWaits(), j.ringFullWaitNanos() / 1e6));
        }
        return s.toString();
    }

    @Override
    public String threads(final int workers)
    {
        return "router + " + Math.min(workers, Math.max(AGENTS, workers)) + " worker(s)" +
            (durability == Durability.NONE ? "" : " + journal writer" +
                (durability == Durability.ACKNOWLEDGED ? " (acknowledged submits)" : "")) + ", parking when idle";
    }

    private static void deleteRecursively(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException e)
        {
            // a leftover temporary directory is not worth failing the run for
        }
    }
}
