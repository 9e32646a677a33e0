package dev.ringmaster.journal.replay;

import dev.ringmaster.journal.EventType;
import dev.ringmaster.journal.JournalRecord;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.model.Task;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hit rate of predictive pre-routing, replayed from a journal's PREDICTION records: a prediction of a (type,
 * context key) is a hit if a task of that type and key was accepted within its horizon after it, a miss otherwise;
 * counted per action (PREDICTED, WARMED). Fed records in journal order by one thread; {@link #summary()} at the end.
 */
public final class PredictionHits
{
    /** Hits and misses of one action. */
    public record Tally(long predictions, long hits, double meanConfidence)
    {
        /** @return hits over predictions, NaN for none. */
        public double hitRate()
        {
            return predictions == 0 ? Double.NaN : (double)hits / predictions;
        }
    }

    private static final PayloadCodec SHAPE_ONLY = new PayloadCodec()
    {
        @Override
        public int encode(final Object payload, final MutableDirectBuffer buffer, final int offset)
        {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public Object decode(final DirectBuffer buffer, final int offset, final int length)
        {
            return null;
        }
    };

    private record Pending(String action, long deadlineNanos, double confidence)
    {
    }

    private final Map<String, Map<String, Deque<Pending>>> pending = new HashMap<>();
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, double[]> confidence = new TreeMap<>();

    /** Folds one record in (journal order). */
    public void onRecord(final JournalRecord r)
    {
        if (r.type() == EventType.PREDICTION)
        {
            final String action = r.strategy() == null ? "?" : r.strategy();
            pending.computeIfAbsent(r.taskType(), t -> new HashMap<>())
                .computeIfAbsent(r.reason(), k -> new ArrayDeque<>())
                .add(new Pending(action, r.nanos() + r.horizonNanos(), r.score()));
            counts.computeIfAbsent(action, a -> new long[2])[0]++;
            confidence.computeIfAbsent(action, a -> new double[1])[0] += r.score();
        }
        else if (r.type() == EventType.ACCEPTED && !pending.isEmpty())
        {
            final Task task;
            try
            {
                task = r.task(SHAPE_ONLY);
            }
            catch (final IllegalStateException e)
            {
                return;
            }
            final Map<String, Deque<Pending>> ofType = pending.get(task.type());
            final Deque<Pending> waiting = ofType == null ? null : ofType.remove(task.affinityKey());
            if (waiting != null)
            {
                for (final Pending p : waiting)
                {
                    // when the router took it in, as the live count has it: a task submitted in time but still in
                    // the ingress ring at the deadline came too late for anything the prediction set up
                    if (r.queuedNanos() <= p.deadlineNanos())
                    {
                        counts.get(p.action())[1]++;
                    }
                }
            }
        }
    }

    /** @return per action (PREDICTED, WARMED, ...), the predictions, hits and mean confidence; empty if none. */
    public Map<String, Tally> summary()
    {
        final Map<String, Tally> out = new TreeMap<>();
        counts.forEach((action, c) -> out.put(action, new Tally(c[0], c[1], confidence.get(action)[0] / c[0])));
        return out;
    }
}
