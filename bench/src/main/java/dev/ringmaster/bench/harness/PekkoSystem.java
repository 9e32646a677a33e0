package dev.ringmaster.bench.harness;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.Props;
import org.apache.pekko.event.Logging;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.routing.Broadcast;
import org.apache.pekko.routing.SmallestMailboxPool;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pekko classic actors: a {@link SmallestMailboxPool} router of {@code workers} routees, on a dispatcher of its own
 * whose fork-join-executor has exactly {@code workers} threads (so one thread per routee; idle threads park), in
 * Pekko's default FIFO mode with its default throughput of 5 messages per mailbox run. A producer tells the router;
 * a pool router picks the routee on the sender's own thread (no hop through the router actor): the first routee that
 * is idle with an empty mailbox, else the one with the fewest messages. Each slot's message is its prebuilt
 * {@link SlotRunnable}, the executors' task object, reused whenever the slot is; the routee runs it, so the task body
 * and the completion are the executors'.
 *
 * <p>What Pekko allocates per message, which no caller can avoid with a pool router: two {@code Envelope}s (the
 * router's {@code ActorRef} wraps the message in one before routing it, and the routee's {@code tell} wraps it in
 * another) and the mailbox's {@code ConcurrentLinkedQueue} node, 72 bytes in all on the producer's thread (measured
 * with {@code ThreadMXBean.getThreadAllocatedBytes} over every thread, compressed oops); scheduling the mailbox and
 * running the message allocate nothing (a mailbox is its own {@code ForkJoinTask}). When no routee is idle with an
 * empty mailbox, the router counts the routees' mailboxes, which for that queue is O(its length): a backlog makes
 * each routing decision slower, a property of this router.
 *
 * <p>The {@code ActorSystem} is configured in code over Pekko's reference configuration (no {@code application.conf};
 * a {@code -Dpekko...} system property still overrides a default that is not set here): daemon threads, no JVM
 * shutdown hooks, Pekko's own dispatchers cut to one thread each (they are idle during a run), warnings and errors to
 * slf4j (see {@link WarningLogger}) and nothing else, no dead-letter logging. Besides the routees' threads, Pekko runs
 * its scheduler thread, which ticks every 10 ms. Graceful {@link #stop} broadcasts a {@link PoisonPill} behind the
 * routees' messages and waits for the router to stop, then terminates the system; {@code stop(true)} terminates at
 * once, dropping what has not started.
 */
final class PekkoSystem implements SystemUnderTest
{
    /** The ActorSystem's name, which begins the name of each of its threads. */
    static final String NAME = "ringmaster-bench-pekko";
    /** The routees' dispatcher: a top-level section of the config below. */
    private static final String DISPATCHER = "ringmaster-bench-routees";
    /** How long a graceful stop and the termination may each take, as for the executors. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private ActorSystem system;
    private ActorRef router;
    private Runnable[] messages;

    @Override
    public void start(final LatencySlots slots, final int workers)
    {
        messages = SlotRunnable.prebuild(slots);
        system = ActorSystem.create(NAME, config(workers));
        router = system.actorOf(new SmallestMailboxPool(workers).props(Props.create(Routee.class)
            .withDispatcher(DISPATCHER)), "smallest-mailbox-pool");
    }

    /**
     * @return the whole configuration but Pekko's reference defaults, which {@link ActorSystem#create} adds as the
     *     fallback (with system properties over them); no {@code ConfigFactory.load}, so no {@code application.conf}.
     */
    static Config config(final int workers)
    {
        return ConfigFactory.parseString(String.format(java.util.Locale.ROOT, """
            pekko {
              loggers = ["%s"]
              loglevel = WARNING
              stdout-loglevel = OFF
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              daemonic = on
              jvm-shutdown-hooks = off
              coordinated-shutdown.run-by-jvm-shutdown-hook = off
              actor.default-dispatcher.fork-join-executor { parallelism-min = 1, parallelism-max = 1 }
              actor.internal-dispatcher.fork-join-executor { parallelism-min = 1, parallelism-max = 1 }
            }
            %s {
              type = Dispatcher
              executor = fork-join-executor
              fork-join-executor {
                parallelism-min = %d
                parallelism-factor = 1.0
                parallelism-max = %d
                task-peeking-mode = FIFO
              }
              throughput = 5
            }
            """, WarningLogger.class.getName(), DISPATCHER, workers, workers));
    }

    @Override
    public boolean submit(final int slot)
    {
        router.tell(messages[slot], ActorRef.noSender());
        return true;
    }

    @Override
    public void stop(final boolean now)
    {
        // graceful: each routee runs what its mailbox holds, then the pill; the pool stops once its routees have
        final boolean interrupted = !now &&
            !await(Patterns.gracefulStop(router, STOP_WAIT, new Broadcast(PoisonPill.getInstance())));
        system.terminate();
        if (!interrupted)
        {
            await(system.getWhenTerminated());
        }
    }

    /**
     * Waits for a stage with the stop deadline.
     *
     * @return false if interrupted (the flag set again); true once the stage completed, failed or timed out.
     */
    private static boolean await(final CompletionStage<?> stage)
    {
        try
        {
            stage.toCompletableFuture().get(STOP_WAIT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException | TimeoutException e)
        {
            // a graceful stop that did not finish in time: terminating drops what is left, as shutdownNow does
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    @Override
    public String threads(final int workers)
    {
        return workers + " routee thread(s) (fork-join-executor), parking when idle, + Pekko's scheduler (10 ms tick)";
    }

    /** A routee: runs the slot's task. Confined to its actor (Pekko runs it on one thread at a time). */
    static final class Routee extends AbstractActor
    {
        @Override
        public Receive createReceive()
        {
            return receiveBuilder().match(Runnable.class, Runnable::run).build();
        }
    }

    /**
     * Pekko's logger here: its warnings and errors to slf4j (stderr), nothing on stdout. Not pekko-slf4j's logger,
     * which announces itself at INFO on every start (the harness starts a system per run), nor the JUL one, which is
     * deprecated and warns so on every start. Confined to its actor.
     */
    static final class WarningLogger extends AbstractActor
    {
        @Override
        public Receive createReceive()
        {
            return receiveBuilder()
                .match(Logging.InitializeLogger.class, m -> getSender().tell(Logging.loggerInitialized(), getSelf()))
                .match(Logging.Error.class, e -> LoggerFactory.getLogger(e.logClass()).error("[{}] {}", e.logSource(),
                    e.message(), e.cause() == Logging.noCause() ? null : e.cause()))
                .match(Logging.Warning.class, w -> LoggerFactory.getLogger(w.logClass()).warn("[{}] {}", w.logSource(),
                    w.message()))
                .build();
        }
    }
}
