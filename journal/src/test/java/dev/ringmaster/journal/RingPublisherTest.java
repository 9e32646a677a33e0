package dev.ringmaster.journal;

import dev.ringmaster.testing.Await;
import dev.ringmaster.journal.internal.RingPublisher;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring-full policy: wait (counted) while the writer lives, never drop; drop (counted) only once it stopped. */
class RingPublisherTest
{
    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[200]);

    @Test
    void aFullRingMakesTheProducerWaitUntilTheWriterMakesRoom() throws Exception
    {
        final RingPublisher publisher = new RingPublisher(ring, () -> true);
        int published = 0;
        while (ring.size() + 256 <= ring.capacity())
        {
            assertThat(publisher.publish(1, record, record.capacity())).isTrue();
            published++;
        }
        final AtomicBoolean done = new AtomicBoolean();
        final Thread producer = new Thread(() ->
        {
            publisher.publish(1, record, record.capacity());
            done.set(true);
        });
        producer.start();
        // parked between its retries: proof that it waits, where reading 'done' alone could just come too early
        Await.until("the producer waits for room", () -> producer.getState() == Thread.State.TIMED_WAITING);
        assertThat(publisher.fullWaits()).isEqualTo(1);
        assertThat(done).isFalse(); // waiting, not dropped
        final int[] read = new int[1];
        ring.read((type, buffer, index, length) -> read[0]++);
        Await.joined(producer);
        assertThat(done).isTrue();
        // a read stops at the end of the buffer; the waiting record may sit after a wrap
        final int filled = published;
        Await.until("every record is read", () -> ring.read((type, buffer, index, length) -> read[0]++) == 0 &&
            read[0] > filled);
        assertThat(read[0]).as("every record, the waiting one included").isEqualTo(published + 1);
        assertThat(publisher.fullWaits()).isEqualTo(1);
        assertThat(publisher.dropped()).isZero();
    }

    @Test
    void onlyAStoppedWriterMakesTheProducerDropAndCount() throws Exception
    {
        final AtomicBoolean alive = new AtomicBoolean(true);
        final RingPublisher publisher = new RingPublisher(ring, alive::get);
        while (ring.size() + 256 <= ring.capacity())
        {
            publisher.publish(1, record, record.capacity());
        }
        final Thread producer = new Thread(() -> publisher.publish(1, record, record.capacity()));
        producer.start();
        Await.until("the producer waits for room", () -> producer.getState() == Thread.State.TIMED_WAITING);
        alive.set(false);
        Await.joined(producer);
        assertThat(publisher.dropped()).isEqualTo(1);
        assertThat(publisher.publish(1, record, 10)).isFalse();
        assertThat(publisher.dropped()).isEqualTo(2);
    }
}
