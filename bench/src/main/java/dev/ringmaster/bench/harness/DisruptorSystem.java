package dev.ringmaster.bench.harness;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;

/**
 * The floor: a bare Disruptor hop, producers → multi-producer ring → one {@link BatchEventProcessor} that completes
 * the slot (the same no-op work). Whatever the worker count, one consumer thread: it is the single hop every other
 * system builds on.
 *
 * <p>Wait strategy: {@link SleepingWaitStrategy} (spin 100, yield 100, then {@code parkNanos(100)}, which sleeps
 * for the kernel's ~50-60 us timer slack). {@code YieldingWaitStrategy} never sleeps: on 2 cores its consumer and a
 * pacing producer would be two threads that never leave their cores, starving the JIT, GC and the journal writer; and
 * Busy-spin is worse. Sleeping is the non-spinning choice, like Ringmaster's parking default, so the floor is what a
 * polite Disruptor costs on this machine.
 */
final class DisruptorSystem implements SystemUnderTest
{
    private RingBuffer<SlotEvent> ring;
    private BatchEventProcessor<SlotEvent> processor;
    private Thread consumer;

    @Override
    public void start(final LatencySlots slots, final int workers)
    {
        // at least one entry per slot: the producers' slots fill before the ring does, so next() never waits
        final int size = Integer.highestOneBit(Math.max(2, slots.count() - 1)) << 1;
        ring = RingBuffer.createMultiProducer(SlotEvent::new, size, new SleepingWaitStrategy());
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(),
            (event, sequence, endOfBatch) -> slots.complete(event.slot));
        ring.addGatingSequences(processor.getSequence());
        consumer = new Thread(processor, "bench-disruptor-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public boolean submit(final int slot)
    {
        final RingBuffer<SlotEvent> r = ring;
        final long sequence = r.next(); // never waits: the ring has an entry per slot
        r.get(sequence).slot = slot;
        r.publish(sequence);
        return true;
    }

    @Override
    public void stop(final boolean now)
    {
        if (!now)
        {
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (processor.getSequence().get() < ring.getCursor() && System.nanoTime() - deadline < 0)
            {
                Thread.yield();
            }
        }
        processor.halt();
        try
        {
            consumer.join(30_000);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String threads(final int workers)
    {
        return "1 consumer (SleepingWaitStrategy)";
    }

    /** A ring entry: the slot number, written by a producer before publish, read by the consumer after. */
    static final class SlotEvent
    {
        int slot;
    }
}
