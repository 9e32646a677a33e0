package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link CrashRecoveryTest} kills: dispatches tasks 1..N under load with an ACKNOWLEDGED journal and
 * prints "ack ID" for every acknowledged task, flushing often; runs until killed. Arguments: the directory, the
 * number of tasks, and optionally {@code secondly} for a new cycle file every second. Its own threads only.
 */
public final class CrashChild
{
    private CrashChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final int tasks = Integer.parseInt(args[1]);
        final PrintStream out = new PrintStream(System.out, false);
        final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r ->
        {
            final Thread t = new Thread(r, "child-timer");
            t.setDaemon(true);
            return t;
        });
        final boolean secondly = args.length > 2 && args[2].equals("secondly");
        // a cycle file per second: the kill lands on a journal that has rolled several times, possibly mid-roll
        final Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED)
            .rollCycle(secondly ? TestRollCycles.TEST_SECONDLY : JournalConfig.at(dir).rollCycle()));
        final Dispatcher.Builder b = Dispatcher.builder().strategy("least-connections").listener(journal.listener())
            .seed(3).workers(1).queueCapacity(4096);
        for (int i = 0; i < 4; i++)
        {
            final SplittableRandom random = new SplittableRandom(i);
            // asynchronous agents that finish 0-2 ms later, so that tasks are in flight whenever the kill lands
            b.agent(AgentSpec.builder("agent-" + i, "coder").capacity(8).build(), AgentAdapter.async(task ->
            {
                final CompletableFuture<Object> f = new CompletableFuture<>();
                timer.schedule(() -> f.complete("ok"), random.nextInt(2_000), TimeUnit.MICROSECONDS);
                return f;
            }));
        }
        final Dispatcher dispatcher = b.build().start();
        out.println("started");
        out.flush();
        final ArrayDeque<CompletableFuture<Long>> window = new ArrayDeque<>();
        final ArrayDeque<Long> ids = new ArrayDeque<>();
        for (long id = 1; id <= tasks; id++)
        {
            window.add(journal.submitAcknowledged(dispatcher,
                Task.builder("coder").id(id).payload("work-" + id).build(), Duration.ofSeconds(30)));
            ids.add(id);
            if (window.size() >= 64)
            {
                flushAcks(window, ids, out, 32);
            }
        }
        flushAcks(window, ids, out, 0);
        out.println("done");
        out.flush();
        // wait to be killed, as a real process under load would be doing more work
        Thread.sleep(60_000);
    }

    private static void flushAcks(final ArrayDeque<CompletableFuture<Long>> window, final ArrayDeque<Long> ids,
                                  final PrintStream out, final int keep)
    {
        while (window.size() > keep)
        {
            window.poll().join();
            out.print("ack ");
            out.println(ids.poll());
        }
        out.flush();
    }
}
