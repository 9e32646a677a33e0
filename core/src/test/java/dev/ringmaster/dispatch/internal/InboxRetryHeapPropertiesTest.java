package dev.ringmaster.dispatch.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import dev.ringmaster.model.Task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ordering properties of the two router-side structures that decide who goes next. */
class InboxRetryHeapPropertiesTest
{
    private static TaskRecord record(final int level, final long sequence)
    {
        final TaskRecord r = new TaskRecord();
        r.task = Task.builder("t").build();
        r.level = level;
        r.sequence = sequence;
        r.urgency = TaskRecord.urgencyOf(level, sequence);
        return r;
    }

    @Property
    void theOwnerTakesMostUrgentFirstAndThievesLeastUrgentFirst(
        @ForAll @Size(min = 1, max = 12) final List<@IntRange(min = 0, max = 3) Integer> levels,
        @ForAll final boolean thief)
    {
        final Inbox inbox = new Inbox(levels.size());
        final List<TaskRecord> all = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++)
        {
            final TaskRecord r = record(levels.get(i), i);
            all.add(r);
            inbox.put(r);
        }
        final List<TaskRecord> taken = new ArrayList<>();
        TaskRecord r;
        while ((r = thief ? inbox.stealLeastUrgent(~0L) : inbox.takeMostUrgent()) != null)
        {
            taken.add(r);
        }
        final Comparator<TaskRecord> urgency = Comparator.comparingLong(x -> x.urgency);
        all.sort(thief ? urgency.reversed() : urgency);
        assertThat(taken).containsExactlyElementsOf(all);
        assertThat(inbox.size()).isZero();
    }

    @Property
    void retriesComeDueInTimeOrder(@ForAll @Size(max = 200) final List<@IntRange(min = 0, max = 1_000) Integer> delays)
    {
        final RetryHeap heap = new RetryHeap();
        for (int i = 0; i < delays.size(); i++)
        {
            final TaskRecord r = record(0, i);
            r.retryAtNanos = delays.get(i);
            heap.add(r);
        }
        assertThat(heap.pollDue(-1)).as("nothing is due before its time").isNull();
        long last = Long.MIN_VALUE;
        int count = 0;
        TaskRecord r;
        while ((r = heap.pollDue(1_000)) != null)
        {
            assertThat(r.retryAtNanos).isGreaterThanOrEqualTo(last);
            last = r.retryAtNanos;
            count++;
        }
        assertThat(count).isEqualTo(delays.size());
    }
}
