package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.journal.internal.JournalWriter;
import dev.ringmaster.journal.internal.PendingAcks;
import dev.ringmaster.journal.internal.RecordEncoder;
import dev.ringmaster.journal.internal.RetentionSweeper;
import dev.ringmaster.journal.internal.RingPublisher;
import dev.ringmaster.journal.internal.WriterLock;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.DispatchListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import dev.ringmaster.journal.internal.LingerIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Chronicle Queue journal of every lifecycle event of a dispatcher: register {@link #listener()} with the
 * dispatcher's builder, then submit as usual (or through {@link #submitAcknowledged}); close the journal after the
 * dispatcher. All methods may be called from any thread; the listener itself runs on the router thread.
 *
 * <p>Data path: router thread → {@link JournalListener} encodes the event → Agrona many-to-one ring (preallocated,
 * off-heap) → one writer thread → one Chronicle document per record. Only the writer thread touches the queue.
 */
public final class Journal implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /**
     * How long the asynchronous writer waits after a drain: at 1M records/s about 200 records per batch, a few
     * hundred kilobytes of the ring at most, and in a kill -9 at most this much more is lost than with no linger.
     * A 1 ms linger was tried (issue 10, third pass): writer CPU per task at 50k tasks/s was the same within the
     * noise of the shared 2-core machine (6.6-9.9% of a core at 200 us, 7.5-10.2% at 1 ms), so the shorter stays.
     */
    static final long ASYNC_LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final DispatchListener NO_OP = new DispatchListener()
    {
    };

    private final JournalConfig config;
    private final SingleChronicleQueue queue;
    private final JournalWriter writer;
    private final AgentRunner runner;
    private final RingPublisher ring;
    private final PendingAcks acks = new PendingAcks();
    private final dev.ringmaster.journal.internal.CompactEncoder routerEncoder;
    private final DispatchListener listener;
    private final long epochOffsetNanos;
    private final WriterLock writerLock;

    private Journal(final JournalConfig config)
    {
        this.config = config;
        this.epochOffsetNanos = config.clock().currentTimeMillis() * 1_000_000L - System.nanoTime();
        if (config.durability() == Durability.NONE)
        {
            queue = null;
            writer = null;
            runner = null;
            ring = null;
            routerEncoder = null;
            listener = NO_OP;
            writerLock = null;
            return;
        }
        requireWritable(config.directory());
        ForeignQueue.checkBeforeWriting(config.directory());
        JournalInfo.recordOrCheck(config.directory(), config.payloadCodec());
        writerLock = holdWriterLock(config.directory());
        SingleChronicleQueue built = null;
        try
        {
            // Chronicle would wait about 10 s (twice) for a lock on it before failing with a bare message
            CycleFiles.refuseOverwrittenMetadata(config.directory());
            removeStartedOnly(config.directory());
            built = SingleChronicleQueueBuilder.binary(config.directory())
                .rollCycle(config.rollCycle())
                .timeProvider(config.clock())
                // the writer lock makes this the only writer: a cycle file without a finished header, or a queue
                // lock still held, is what a killed writer left, and waiting Chronicle's default ten seconds per try
                // for it only delays the restart
                .timeoutMS(250)
                .build();
            queue = built;
            final ManyToOneRingBuffer buffer = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(config.ringCapacity() + RingBufferDescriptor.TRAILER_LENGTH)));
            final RetentionSweeper sweeper = config.retention() == null ? null :
                new RetentionSweeper(queue.file(), config.retention().toMillis());
            writer = new JournalWriter(queue, buffer, acks, sweeper, config.retentionCheckInterval().toMillis());
            ring = new RingPublisher(buffer, writer::alive);
            // only the router's encoder writes compact entries (the writer keeps one epoch of its strings); markers and
            // admin records come from encoders of their own, as fixed records that the writer compacts
            routerEncoder = new dev.ringmaster.journal.internal.CompactEncoder(config.payloadCodec(), epochOffsetNanos,
                ring.maxLength());
            listener = new JournalListener(routerEncoder, ring);
            // acknowledged submitters wait for the writer, so it backs off to brief parks; in asynchronous mode it
            // lingers between drains so that each one writes a batch, and wakes a few thousand times a second, not
            // once a record
            final IdleStrategy idle = config.durability() == Durability.ACKNOWLEDGED ?
                new BackoffIdleStrategy(10, 10, 1_000, TimeUnit.MICROSECONDS.toNanos(20)) :
                new LingerIdleStrategy(writer::drainCapped, ASYNC_LINGER_NANOS, TimeUnit.MILLISECONDS.toNanos(1));
            runner = new AgentRunner(idle,
                e -> LOG.error("journal writer error", e), null, writer);
            AgentRunner.startOnThread(runner, r ->
            {
                final Thread t = new Thread(r, "ringmaster-journal-writer");
                t.setDaemon(true);
                return t;
            });
        }
        catch (final Throwable e)
        {
            // Throwable: an Error too (the ring's direct memory, the writer's thread) would otherwise leave the queue
            // open and the writer lock held, and readers would take the journal for one being written for good
            if (built != null)
            {
                built.close();
            }
            releaseWriterLock(false);
            throw e;
        }
    }

    /**
     * A cycle file a killed writer left while it created it holds no record; if this writer wrote on in a later cycle,
     * it would sit between records, headerless, and read as damage. Only with the writer lock held: a live writer's
     * file is never taken for it.
     */
    private static void removeStartedOnly(final Path directory)
    {
        final Path startedOnly = CycleFiles.startedOnly(directory);
        if (startedOnly == null)
        {
            return;
        }
        try
        {
            Files.delete(startedOnly);
            LOG.warn("removed the empty cycle file {}: the last writer stopped while starting it (a crash during a " +
                "roll); it held no record", startedOnly);
        }
        catch (final IOException e)
        {
            // Chronicle writes the header into it if this writer's cycle is that file's; a later one leaves it as damage
            LOG.warn("cannot remove the empty cycle file {} a crash during a roll left: {}; if this writer rolls past " +
                "it, readers report it as damage until it is moved aside", startedOnly, e.toString());
        }
    }

    /**
     * Fails before anything is accepted if the journal cannot be written: Chronicle would fall back to opening the
     * queue read-only, and every record would then be dropped while the dispatcher runs on as if it journaled.
     */
    private static void requireWritable(final Path directory)
    {
        if (java.nio.file.Files.exists(directory) && !java.nio.file.Files.isDirectory(directory))
        {
            throw new IllegalStateException("the journal directory " + directory.toAbsolutePath() + " is a file: " +
                "choose a directory (a new one, or an existing journal's)");
        }
        try
        {
            java.nio.file.Files.createDirectories(directory);
        }
        catch (final java.io.IOException | RuntimeException e)
        {
            throw new IllegalStateException("the journal directory cannot be created (" + e +
                "): choose a directory on a writable file system");
        }
        if (!java.nio.file.Files.isWritable(directory))
        {
            throw new IllegalStateException("the journal directory is not writable by this process: fix its " +
                "permissions or choose another directory");
        }
    }

    private static WriterLock holdWriterLock(final Path directory)
    {
        try
        {
            return WriterLock.hold(directory);
        }
        catch (final java.io.IOException e)
        {
            throw new IllegalStateException("cannot lock " + directory.resolve(WriterLock.FILE_NAME) + " (" + e +
                "): readers could not tell that the journal is being written; choose a local, writable directory");
        }
    }

    /** @param opened false if this journal failed to open: a claim it took over still holds the lock then. */
    private void releaseWriterLock(final boolean opened)
    {
        try
        {
            if (opened)
            {
                writerLock.close();
            }
            else
            {
                writerLock.closeFailedOpen();
            }
        }
        catch (final java.io.IOException e)
        {
            LOG.debug("releasing the writer lock of {} failed", config.directory(), e);
        }
    }

    /**
     * @return true if a journal writer (of this process or another) has the journal in {@code directory} open, so
     *     that what a reader sees there is a snapshot that keeps growing; false for a closed or killed writer.
     */
    public static boolean isBeingWritten(final Path directory)
    {
        return WriterLock.held(directory);
    }

    /**
     * Opens (or creates) the journal and starts its writer thread.
     *
     * @throws JournalException listing the JVM flags to add if the JVM lacks some ({@link JournalJvm}).
     * @throws IllegalStateException naming the directory if Chronicle cannot open it.
     */
    public static Journal open(final JournalConfig config)
    {
        JournalJvm.prepare(); // before any Chronicle class loads: its static set-up reads these properties and flags
        try
        {
            return new Journal(config);
        }
        catch (final RuntimeException e)
        {
            final String prefix = "cannot open the journal in ";
            // a refusal that names the directory itself is not wrapped in a second "cannot open"
            throw new IllegalStateException(e.getMessage() != null && e.getMessage().startsWith(prefix) ? e.getMessage()
                : prefix + config.directory().toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** @return the listener to register with {@code Dispatcher.builder().listener(...)}; a no-op for NONE. */
    public DispatchListener listener()
    {
        return listener;
    }

    public Durability durability()
    {
        return config.durability();
    }

    public Path directory()
    {
        return config.directory();
    }

    /**
     * Submits without blocking; the stage completes with the queue index of the batch document holding the task's
     * ACCEPTED record ({@link JournalReader#moveTo} it and read on) once that document is appended (in ACKNOWLEDGED and ASYNC modes; with NONE at once, with -1). It completes exceptionally with
     * {@link RejectedTaskException} if the dispatcher refused the task, or with status
     * {@link SubmitStatus#JOURNAL_FAILED} if the journal's writer has stopped (then the task is not submitted, unless
     * it stopped between the check and the submit: then the task runs unacknowledged), with
     * {@link SubmitStatus#PAYLOAD_NOT_JOURNALED} if the journal could not hold its payload (not submitted), and
     * with IllegalStateException if the journal closes first. Stages complete on the writer thread: chain heavy work with the *Async variants.
     */
    public CompletableFuture<Long> submitAcknowledged(final Dispatcher dispatcher, final Task task)
    {
        return submitAcknowledged(dispatcher, task, null);
    }

    /** As {@link #submitAcknowledged(Dispatcher, Task)}, waiting up to {@code maxWait} for room in the dispatcher. */
    public CompletableFuture<Long> submitAcknowledged(final Dispatcher dispatcher, final Task task,
                                                      final Duration maxWait)
    {
        return submitAcknowledged(task, t -> maxWait == null ? dispatcher.submit(t) : dispatcher.submit(t, maxWait));
    }

    /**
     * As {@link #submitAcknowledged(Dispatcher, Task)}, handing the task to the dispatcher with {@code submit}, which
     * returns its status: e.g. one that keeps {@link Dispatcher#submitAsync}'s future for the task's end (an admin
     * endpoint's {@code TaskSubmitter} has this shape: {@code journal::submitAcknowledged}). Any thread.
     */
    public CompletableFuture<Long> submitAcknowledged(final Task task,
                                                      final java.util.function.Function<Task, SubmitStatus> submit)
    {
        if (queue == null)
        {
            final SubmitStatus status = submit.apply(task);
            return status.accepted() ? CompletableFuture.completedFuture(-1L) :
                CompletableFuture.failedFuture(new RejectedTaskException(task, status, null));
        }
        final RejectedTaskException refused = refusedBeforeSubmit(task);
        if (refused != null)
        {
            return CompletableFuture.failedFuture(refused);
        }
        // registered before submitting: the writer may append the ACCEPTED record before submit even returns
        final CompletableFuture<Long> ack = acks.register(task.id());
        final SubmitStatus status;
        try
        {
            status = submit.apply(task);
        }
        catch (final RuntimeException e)
        {
            acks.withdraw(task.id(), ack); // the caller's submit failed: nothing will complete this acknowledgement
            throw e;
        }
        return settle(task, ack, status);
    }

    /**
     * @return why an acknowledged submit must refuse the task before the dispatcher sees it, or null: an acknowledged
     *     submitter must never have a task run that the journal does not hold, whole.
     */
    private RejectedTaskException refusedBeforeSubmit(final Task task)
    {
        if (!writer.alive())
        {
            return journalFailed(task);
        }
        final String payloadProblem = dev.ringmaster.journal.internal.PayloadRoom.problem(config.payloadCodec(), task,
            ring.maxLength());
        // else the record would be journaled without its payload, and the task come back from a crash unrecoverable
        return payloadProblem == null ? null : new RejectedTaskException(task, SubmitStatus.PAYLOAD_NOT_JOURNALED,
            "journal " + config.directory() + ": " + payloadProblem);
    }

    /** After the submit: refused, or failed in between, or left for the writer to acknowledge. */
    private CompletableFuture<Long> settle(final Task task, final CompletableFuture<Long> ack, final SubmitStatus status)
    {
        if (!status.accepted())
        {
            acks.withdraw(task.id(), ack);
            ack.completeExceptionally(new RejectedTaskException(task, status, null));
        }
        else if (!writer.alive())
        {
            // failed between the check and the submit: the task runs, but is not acknowledged unless its record was
            // written (then the writer completed the stage first and this does nothing); the same failure as the
            // writer's own for the acknowledgements it held, since the task was accepted: not a refusal
            acks.withdraw(task.id(), ack);
            ack.completeExceptionally(JournalWriter.notDurable(writer.failure()));
        }
        return ack;
    }

    private RejectedTaskException journalFailed(final Task task)
    {
        return new RejectedTaskException(task, SubmitStatus.JOURNAL_FAILED,
            "journal " + config.directory() + ", writer failure: " + writer.failure());
    }

    /**
     * Journals a RECOVERED marker for {@code task} (used by {@link Recovery} before it dispatches the task again).
     *
     * @return false if the writer has stopped and the marker was dropped.
     */
    public boolean recordRecovered(final Task task, final String reason)
    {
        if (queue == null)
        {
            return false;
        }
        // its own encoder: markers come from the recovering thread, the router keeps its scratch buffer
        final RecordEncoder encoder = new RecordEncoder(config.payloadCodec(), epochOffsetNanos, ring.maxLength());
        final int length = encoder.encodeRecovered(task, reason);
        return ring.publish(EventType.RECOVERED.code(), encoder.buffer(), length);
    }

    /**
     * Journals an operator's final CANCELLED record for an open task that cannot be rebuilt (used by
     * {@link RecoveryPlan#abandonUnrecoverable}), closing the acceptance the scan found open.
     *
     * @return false if there is no journal (NONE) or its writer has stopped and the record was dropped.
     */
    boolean recordAbandoned(final RecoveryPlan.Unrecoverable task, final String reason)
    {
        if (queue == null)
        {
            return false;
        }
        // its own encoder, as for markers: the router keeps its scratch buffer
        final RecordEncoder encoder = new RecordEncoder(config.payloadCodec(), epochOffsetNanos, ring.maxLength());
        final int length = encoder.encodeCancelled(task.taskId(), task.taskType(), task.priority(), task.sequence(),
            task.attempt(), reason);
        return ring.publish(EventType.CANCELLED.code(), encoder.buffer(), length);
    }

    /**
     * Journals an ADMIN record of an operator's change (the admin endpoint's change sink calls this); any thread.
     *
     * @param what    what was asked, e.g. "POST /types/coder/pause".
     * @param from    where from: the client's address and port.
     * @param status  the HTTP status of the answer.
     * @param outcome "done", "refused", or the error the answer named.
     * @return false if there is no journal (NONE) or its writer has stopped and the record was dropped.
     */
    public boolean recordAdmin(final String what, final String from, final int status, final String outcome)
    {
        if (queue == null)
        {
            return false;
        }
        // its own encoder: admin threads must not share the router's scratch buffer
        final RecordEncoder encoder = new RecordEncoder(config.payloadCodec(), epochOffsetNanos, ring.maxLength());
        final int length = encoder.encodeAdmin(what, from, status, outcome);
        return ring.publish(EventType.ADMIN.code(), encoder.buffer(), length);
    }

    /**
     * @return a log for predictive pre-routing ({@code PreRouting}) that journals each prediction acted on as a
     *     PREDICTION record, so that {@code ringmaster replay} can report its hit rate; a no-op for NONE. Like every
     *     {@code PredictionLog} it is called one call at a time (it keeps one encoder); a full ring drops the record
     *     and counts it, as for any event.
     */
    public dev.ringmaster.predict.PredictionLog predictionLog()
    {
        if (queue == null)
        {
            return (action, type, key, agentId, confidence, expected, horizonNanos, nanos) -> { };
        }
        final RecordEncoder encoder = new RecordEncoder(config.payloadCodec(), epochOffsetNanos, ring.maxLength());
        return (action, type, key, agentId, confidence, expected, horizonNanos, nanos) ->
        {
            // the journal's own clock, as every record: the pre-routing clock may be the wall clock
            final int length = encoder.encodePrediction(action.name(), type, key, agentId, confidence, expected,
                horizonNanos, System.nanoTime());
            ring.publish(EventType.PREDICTION.code(), encoder.buffer(), length);
        };
    }

    /** @return the counters; a racy but safe read while the journal runs. */
    public JournalStats stats()
    {
        if (queue == null)
        {
            return new JournalStats(0, 0, 0, 0, 0, null);
        }
        final Throwable failure = writer.failure();
        return new JournalStats(writer.recordsWritten(), ring.fullWaits(), ring.fullWaitNanos(), ring.dropped(),
            routerEncoder.payloadFailures(), failure == null ? null : failure.toString());
    }

    /**
     * Writes what is left in the ring, stops the writer and closes the queue. Close the dispatcher first: events
     * published after this are dropped (and counted).
     */
    @Override
    public void close()
    {
        if (queue == null)
        {
            return;
        }
        runner.close();
        queue.close();
        releaseWriterLock(true);
        final JournalStats s = stats();
        if (s.dropped() > 0 || s.failure() != null)
        {
            LOG.warn("journal {} closed with {} record(s) dropped; writer failure: {}", config.directory(), s.dropped(),
                s.failure());
        }
    }
}
