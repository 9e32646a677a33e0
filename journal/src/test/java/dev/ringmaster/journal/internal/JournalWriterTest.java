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
