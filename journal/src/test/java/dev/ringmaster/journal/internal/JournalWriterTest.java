package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.JournalReader;
import dev.ringmaster.journal.PayloadCodec;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer driven by hand, as Agrona's runner drives it, on a ring small enough to wrap. */
@Timeout(60)
class JournalWriterTest
{
    private static final int RING = 4096;

    @TempDir
    Path dir;

    @Test
    void closingWritesTheLastRecordsAlsoWhenTheyWrappedPastPaddingAtTheRingsEnd()
    {
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING + RingBufferDescriptor.TRAILER_LENGTH)));
        final RecordEncoder encoder = new RecordEncoder(PayloadCodec.standard(), 0, ring.maxMsgLength());
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build())
        {
            final JournalWriter writer = new JournalWriter(queue, ring, new PendingAcks(), null, 0);
            writer.onStart();
            // written and drained one at a time until the next record no longer fits before the ring's end
            int written = 0;
            final int aligned = org.agrona.BitUtil.align(encoder.encodeAdmin("POST /x 0", "here", 200, "done") +
                org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH,
                org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT);
            while (RING - (int)(ring.producerPosition() % RING) >= aligned)
            {
                assertThat(publish(ring, encoder, "POST /x " + written)).isTrue();
                written++;
                assertThat(writer.doWork()).isEqualTo(1);
            }
            assertThat(RING - ring.producerPosition() % RING).as("room left before the end").isPositive();
            // padding to the end, then the record at the ring's start
            assertThat(publish(ring, encoder, "POST /last")).isTrue();
            written++;

            writer.onClose();

            assertThat(writer.failure()).isNull();
            assertThat(writer.recordsWritten()).isEqualTo(written);
            assertThat(whatWasAsked()).hasSize(written).last().isEqualTo("POST /last");
        }
    }

    @Test
    void aWriterWhoseFirstRetentionSweepThrowsSaysWhyAndDropsInsteadOfWriting()
    {
        // a sweeper without a directory: its first sweep, as the writer starts, throws a NullPointerException
        failingToStart(null, new RetentionSweeper(null, 1_000), NullPointerException.class);
    }

    @Test
    void aWriterThatFailsToStartWithAnErrorStopsSoThatPublishersDropInsteadOfWaitingForever()
    {
        failingToStart(new AssertionError("clock broken"), new RetentionSweeper(dir.toFile(), 1_000),
            AssertionError.class);
    }

    /**
     * @param clockThrows what the queue's clock throws once the writer starts (its appender's cycle and the first
     *     retention sweep read it), or null for a clock that works.
     */
    private void failingToStart(final Throwable clockThrows, final RetentionSweeper sweeper,
                                final Class<? extends Throwable> expected)
    {
        final java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        final net.openhft.chronicle.core.time.TimeProvider clock = () ->
        {
            if (broken.get() && clockThrows != null)
            {
                throw sneaky(clockThrows);
            }
            return System.currentTimeMillis();
        };
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING + RingBufferDescriptor.TRAILER_LENGTH)));
        final PendingAcks acks = new PendingAcks();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).timeProvider(clock).build())
        {
            final JournalWriter writer = new JournalWriter(queue, ring, acks, sweeper, 1_000);
            final java.util.concurrent.CompletableFuture<Long> ack = acks.register(7);
            broken.set(true);
            final org.agrona.concurrent.AgentRunner runner = new org.agrona.concurrent.AgentRunner(
                new org.agrona.concurrent.SleepingMillisIdleStrategy(1), e -> { }, null, writer);
            org.agrona.concurrent.AgentRunner.startOnThread(runner);
            try
            {
                final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (writer.alive())
                {
                    assertThat(System.nanoTime() - deadline).as("the writer stopped within 10 s").isNegative();
                    Thread.onSpinWait();
                }
                assertThat(writer.failure()).as("what stopped it").isInstanceOf(expected);
                assertThat(ack).failsWithin(java.time.Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining(expected.getName());
                // more than the ring holds: each is dropped and counted, none waits for a writer that is gone
                final RingPublisher publisher = new RingPublisher(ring, writer::alive);
                final RecordEncoder encoder = new RecordEncoder(PayloadCodec.standard(), 0, ring.maxMsgLength());
                final int length = encoder.encodeAdmin("POST /x", "here", 200, "done");
                for (int i = 0; i < 2 * RING / length; i++)
                {
                    publisher.publish(EventType.ADMIN.code(), encoder.buffer(), length);
                }
                assertThat(publisher.dropped()).isPositive();
            }
            finally
            {
                runner.close();
            }
            assertThat(runner.isClosed()).isTrue();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(final Throwable t) throws T
    {
        throw (T)t;
    }

    private static boolean publish(final ManyToOneRingBuffer ring, final RecordEncoder encoder, final String what)
    {
        final int length = encoder.encodeAdmin(what, "here", 200, "done");
        return ring.write(EventType.ADMIN.code(), encoder.buffer(), 0, length);
    }

    private List<String> whatWasAsked()
    {
        final List<String> asked = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.readToEnd(r -> asked.add(r.adminWhat()));
        }
        return asked;
    }
}
