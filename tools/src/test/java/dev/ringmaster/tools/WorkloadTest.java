package dev.ringmaster.tools;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadTest
{
    @Test
    void sameSeedSameTasksDifferentSeedDifferentTasks()
    {
        final Workload a = new Workload(7, 0.0005);
        final Workload b = new Workload(7, 0.0005);
        final Workload c = new Workload(8, 0.0005);
        int differ = 0;
        for (int i = 0; i < 1_000; i++)
        {
            assertThat(describe(a.task(i))).isEqualTo(describe(b.task(i)));
            if (!describe(a.task(i)).equals(describe(c.task(i))))
            {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(900);
    }

    @Test
    void mixHasEveryPriorityTypeAndAHeavyTail()
    {
        final Workload w = new Workload(42, 0.0005);
        final Map<Priority, Integer> byPriority = new EnumMap<>(Priority.class);
        final Map<String, Integer> byType = new HashMap<>();
        int withSkills = 0;
        double sum = 0;
        long max = 0;
        final int n = 50_000;
        for (int i = 0; i < n; i++)
        {
            final Task t = w.task(i);
            byPriority.merge(t.priority(), 1, Integer::sum);
            byType.merge(t.type(), 1, Integer::sum);
            withSkills += t.requiredSkills() != 0 ? 1 : 0;
            assertThat(t.costTokens()).isBetween(200L, 10_000L);
            final long work = ((Workload.Work)t.payload()).workNanos();
            sum += work;
            max = Math.max(max, work);
        }
        assertThat(byPriority).containsOnlyKeys(Priority.values());
        assertThat(byType).containsOnlyKeys("coder", "reviewer", "researcher");
        assertThat(withSkills).isBetween(n / 3, n * 2 / 3);
        // Pareto with alpha 1.7: the largest of 50,000 samples is far beyond the mean
        assertThat(max).isGreaterThan((long)(50 * sum / n));
    }

    private static String describe(final Task t)
    {
        final Workload.Work w = (Workload.Work)t.payload();
        return t.id() + t.type() + t.priority() + t.costTokens() + t.requiredSkills() + w.workNanos() + w.poison();
    }
}
