package dev.ringmaster.predict;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The built-in predictor ("patterns"): per (agent type, context key) it learns the arrival rate in each time bucket of
 * a cycle (by default the 24 hours of a day), a recent rate (exponentially decayed), and what followed each key and each
 * agent type (the {@value #SUCCESSORS} most frequent successors: after any deployment come its checks; after five
 * reviews of a module, the sixth). Single-threaded, as every {@link Predictor}; {@link #observe} is O(1) and allocates
 * only for a key it has not seen.
 *
 * <p>The prediction for a key over a horizon H: with rate {@code r = max(bucket rate now and at now + H, recent rate)},
 * the chance of at least one arrival is {@code 1 - exp(-r H)}; if the key also follows the last arrival's key or type
 * with share {@code p} (the larger of the two) (successor count over the key's arrivals plus one, so that one sighting is not a certainty), and
 * another arrival is expected within H, the confidence is {@code 1 - (1 - rateChance)(1 - p x nextChance)}. A bucket's
 * rate counts only once half a bucket was observed; a silence longer than a bucket (the dispatcher was down, or the
 * journal has a gap) is not counted as observed time. At most {@value #MAX_KEYS} keys are learned; arrivals of keys
 * beyond are ignored.
 */
public final class PatternPredictor implements Predictor
{
    public static final String NAME = "patterns";
    static final int SUCCESSORS = 4;
    static final int MAX_KEYS = 4096;
    /** Version of this predictor's part of a model file. */
    static final int MODEL_VERSION = 1;
    private static final double MIN_REPORTED = 0.05;

    private final long bucketNanos;
    private final int buckets;
    private final long recentNanos;

    private final Map<String, Map<String, Integer>> ids = new HashMap<>();
    private int keyCount;
    private String[] types = new String[64];
    private String[] keys = new String[64];
    private long[] skills = new long[64];
    private double[][] perBucket = new double[64][];
    private double[] recent = new double[64];
    private long[] recentAt = new long[64];
    private int[][] successorIds = new int[64][];
    private double[][] successorCounts = new double[64][];
    private double[] arrivals = new double[64];
    private final double[] observedNanos;

    /** What followed each agent type, whatever its key (after any deployment, its checks): by type id. */
    private final Map<String, Integer> typeIds = new HashMap<>();
    private int[][] typeSuccessorIds = new int[8][];
    private double[][] typeSuccessorCounts = new double[8][];
    private double[] typeArrivals = new double[8];
    /** Mean gap from an arrival of the type to the next arrival (EWMA): how soon its successor comes. */
    private double[] typeGapNanos = new double[8];

    private long lastNanos = Long.MIN_VALUE;
    private int lastKey = -1;
    private int lastType = -1;
    private long lastArrivalNanos;
    private double recentAll;
    private long recentAllAt;

    /** Hourly buckets of a day (UTC when fed the wall clock), a recent rate over 5 minutes. */
    public PatternPredictor()
    {
        this(Duration.ofHours(1).toNanos(), 24, Duration.ofMinutes(5).toNanos());
    }

    /**
     * @param bucketNanos length of one time bucket, e.g. an hour.
     * @param buckets     buckets in one cycle, e.g. 24 for a day of hours.
     * @param recentNanos time constant of the recent rate (and the longest gap after which an arrival still
     *                    "follows" the one before it).
     */
    public PatternPredictor(final long bucketNanos, final int buckets, final long recentNanos)
    {
        if (bucketNanos <= 0 || buckets <= 0 || recentNanos <= 0)
        {
            throw new IllegalArgumentException("bucket length, buckets per cycle and recent time constant must be " +
                "positive, got " + bucketNanos + " ns, " + buckets + ", " + recentNanos + " ns");
        }
        this.bucketNanos = bucketNanos;
        this.buckets = buckets;
        this.recentNanos = recentNanos;
        this.observedNanos = new double[buckets];
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void observe(final String type, final String contextKey, final long requiredSkills, final long nanos)
    {
        advance(nanos);
        final int k = id(type, contextKey);
        if (k >= 0)
        {
            skills[k] = requiredSkills;
            perBucket[k][bucket(nanos)]++;
            recent[k] = decayed(recent[k], recentAt[k], nanos) + 1;
            recentAt[k] = nanos;
            if (lastKey >= 0)
            {
                follow(successorIds[lastKey], successorCounts[lastKey], k);
            }
            if (lastType >= 0)
            {
                follow(typeSuccessorIds[lastType], typeSuccessorCounts[lastType], k);
            }
            arrivals[k]++;
        }
        if (lastType >= 0 && nanos >= lastArrivalNanos)
        {
            final double gap = nanos - lastArrivalNanos;
            typeGapNanos[lastType] = typeGapNanos[lastType] == 0 ? gap : typeGapNanos[lastType] + 0.1 * (gap -
                typeGapNanos[lastType]);
        }
        final int t = typeId(type);
        typeArrivals[t]++;
        lastType = t;
        lastArrivalNanos = nanos;
        recentAll = decayed(recentAll, recentAllAt, nanos) + 1;
        recentAllAt = nanos;
        lastKey = k;
    }

    @Override
    public void predict(final long nowNanos, final long horizonNanos, final Predictions out)
    {
        advance(nowNanos);
        final int now = bucket(nowNanos);
        final int then = bucket(nowNanos + horizonNanos);
        final boolean trainedNow = observedNanos[now] >= bucketNanos / 2.0;
        final boolean trainedThen = observedNanos[then] >= bucketNanos / 2.0;
        final boolean followsLast = lastType >= 0 && nowNanos - lastNanos <= recentNanos;
        // the chance that the next arrival, the one a transition is about, comes within the horizon: from how soon
        // arrivals followed this type before, else from the recent rate
        final double gap = lastType >= 0 ? typeGapNanos[lastType] : 0;
        final double nextChance = gap > 0 ? 1 - Math.exp(-horizonNanos / gap) :
            1 - Math.exp(-decayed(recentAll, recentAllAt, nowNanos) / recentNanos * horizonNanos);
        for (int k = 0; k < keyCount; k++)
        {
            double rate = decayed(recent[k], recentAt[k], nowNanos) / recentNanos;
            if (trainedNow)
            {
                rate = Math.max(rate, perBucket[k][now] / observedNanos[now]);
            }
            if (trainedThen)
            {
                rate = Math.max(rate, perBucket[k][then] / observedNanos[then]);
            }
            final double expected = rate * horizonNanos;
            final double byRate = 1 - Math.exp(-expected);
            final double byTransition = followsLast ? nextChance * Math.max(lastKey < 0 ? 0 : share(successorIds[lastKey],
                successorCounts[lastKey], arrivals[lastKey], k), share(typeSuccessorIds[lastType],
                typeSuccessorCounts[lastType], typeArrivals[lastType], k)) : 0;
            final double confidence = 1 - (1 - byRate) * (1 - byTransition);
            if (confidence >= MIN_REPORTED)
            {
                out.add(types[k], keys[k], skills[k], Math.min(1.0, confidence), expected + byTransition,
                    byTransition > byRate ? Predictions.Basis.TRANSITION : Predictions.Basis.RATE);
            }
        }
    }

    /** @return the share of a predecessor's arrivals that {@code to} followed, shrunk by one for small counts. */
    private static double share(final int[] next, final double[] counts, final double predecessorArrivals, final int to)
    {
        for (int s = 0; s < SUCCESSORS; s++)
        {
            if (next[s] == to)
            {
                return counts[s] / (predecessorArrivals + 1);
            }
        }
        return 0;
    }

    /** Space-saving top-{@value #SUCCESSORS}: a new successor replaces the rarest one, inheriting its count. */
    private static void follow(final int[] next, final double[] counts, final int to)
    {
        int rarest = 0;
        for (int s = 0; s < SUCCESSORS; s++)
        {
            if (next[s] == to)
            {
                counts[s]++;
                return;
            }
            if (next[s] < 0)
            {
                next[s] = to;
                counts[s] = 1;
                return;
            }
            rarest = counts[s] < counts[rarest] ? s : rarest;
        }
        next[rarest] = to;
        counts[rarest]++;
    }

    private int typeId(final String type)
    {
        final Integer known = typeIds.get(type);
        if (known != null)
        {
            return known;
        }
        final int t = typeIds.size();
        if (t == typeArrivals.length)
        {
            typeSuccessorIds = Arrays.copyOf(typeSuccessorIds, t * 2);
            typeSuccessorCounts = Arrays.copyOf(typeSuccessorCounts, t * 2);
            typeArrivals = Arrays.copyOf(typeArrivals, t * 2);
            typeGapNanos = Arrays.copyOf(typeGapNanos, t * 2);
        }
        typeIds.put(type, t);
        typeSuccessorIds[t] = new int[SUCCESSORS];
        Arrays.fill(typeSuccessorIds[t], -1);
        typeSuccessorCounts[t] = new double[SUCCESSORS];
        return t;
    }

    /** Counts the time since the last event as observed, unless it is a gap longer than a bucket. */
    private void advance(final long nanos)
    {
        if (lastNanos != Long.MIN_VALUE && nanos > lastNanos && nanos - lastNanos <= bucketNanos)
        {
            observedNanos[bucket(lastNanos)] += nanos - lastNanos;
        }
        if (nanos > lastNanos)
        {
            lastNanos = nanos;
        }
    }

    private int bucket(final long nanos)
    {
        return (int)Math.floorMod(Math.floorDiv(nanos, bucketNanos), (long)buckets);
    }

    private double decayed(final double value, final long at, final long now)
    {
        return now <= at ? value : value * Math.exp(-(double)(now - at) / recentNanos);
    }

    private int id(final String type, final String key)
    {
        final Map<String, Integer> ofType = ids.computeIfAbsent(type, t -> new HashMap<>());
        final Integer known = ofType.get(key);
        if (known != null)
        {
            return known;
        }
        if (keyCount == MAX_KEYS)
        {
            return -1;
        }
        final int k = keyCount++;
        if (k == types.length)
        {
            grow(k * 2);
        }
        ofType.put(key, k);
        types[k] = type;
        keys[k] = key;
        perBucket[k] = new double[buckets];
        successorIds[k] = new int[SUCCESSORS];
        Arrays.fill(successorIds[k], -1);
        successorCounts[k] = new double[SUCCESSORS];
        return k;
    }

    private void grow(final int n)
    {
        types = Arrays.copyOf(types, n);
        keys = Arrays.copyOf(keys, n);
        skills = Arrays.copyOf(skills, n);
        perBucket = Arrays.copyOf(perBucket, n);
        recent = Arrays.copyOf(recent, n);
        recentAt = Arrays.copyOf(recentAt, n);
        successorIds = Arrays.copyOf(successorIds, n);
        successorCounts = Arrays.copyOf(successorCounts, n);
        arrivals = Arrays.copyOf(arrivals, n);
    }

    /** @return the keys learned so far. */
    public int keys()
    {
        return keyCount;
    }

    @Override
    public void writeModel(final DataOutput out) throws IOException
    {
        out.writeInt(MODEL_VERSION);
        out.writeLong(bucketNanos);
        out.writeInt(buckets);
        out.writeLong(recentNanos);
        for (final double o : observedNanos)
        {
            out.writeDouble(o);
        }
        out.writeInt(keyCount);
        for (int k = 0; k < keyCount; k++)
        {
            out.writeUTF(types[k]);
            out.writeBoolean(keys[k] != null);
            out.writeUTF(keys[k] == null ? "" : keys[k]);
            out.writeLong(skills[k]);
            out.writeDouble(arrivals[k]);
            for (final double c : perBucket[k])
            {
                out.writeDouble(c);
            }
            for (int s = 0; s < SUCCESSORS; s++)
            {
                out.writeInt(successorIds[k][s]);
                out.writeDouble(successorCounts[k][s]);
            }
        }
        out.writeInt(typeIds.size());
        for (final Map.Entry<String, Integer> e : typeIds.entrySet())
        {
            final int t = e.getValue();
            out.writeUTF(e.getKey());
            out.writeDouble(typeArrivals[t]);
            out.writeDouble(typeGapNanos[t]);
            for (int s = 0; s < SUCCESSORS; s++)
            {
                out.writeInt(typeSuccessorIds[t][s]);
                out.writeDouble(typeSuccessorCounts[t][s]);
            }
        }
    }

    @Override
    public void readModel(final DataInput in) throws IOException
    {
        final int version = in.readInt();
        if (version != MODEL_VERSION)
        {
            throw new ModelFormatException("the '" + NAME + "' part of the model has version " + version + "; this " +
                "ringmaster reads version " + MODEL_VERSION + ": learn the model again with this version");
        }
        final long bucket = in.readLong();
        final int cycle = in.readInt();
        final long recentTau = in.readLong();
        if (bucket != bucketNanos || cycle != buckets || recentTau != recentNanos)
        {
            throw new ModelFormatException("the model was learned with buckets of " + bucket + " ns, " + cycle +
                " per cycle and a recent time constant of " + recentTau + " ns, this predictor uses " + bucketNanos +
                " ns, " + buckets + " and " + recentNanos + " ns: learn it again with the same settings");
        }
        final double[] observed = new double[buckets];
        for (int b = 0; b < buckets; b++)
        {
            observed[b] = in.readDouble();
        }
        final int n = in.readInt();
        if (n < 0 || n > MAX_KEYS)
        {
            throw new ModelFormatException("the model claims " + n + " keys, at most " + MAX_KEYS + " are possible: " +
                "the file is damaged; learn it again");
        }
        ids.clear();
        keyCount = 0;
        lastKey = -1;
        System.arraycopy(observed, 0, observedNanos, 0, buckets);
        for (int k = 0; k < n; k++)
        {
            final String type = in.readUTF();
            final boolean hasKey = in.readBoolean();
            final String key = in.readUTF();
            final int id = id(type, hasKey ? key : null);
            if (id != k)
            {
                throw new ModelFormatException("the model holds type '" + type + "' and key '" + key + "' twice: " +
                    "the file is damaged; learn it again");
            }
            skills[id] = in.readLong();
            arrivals[id] = in.readDouble();
            for (int b = 0; b < buckets; b++)
            {
                perBucket[id][b] = in.readDouble();
            }
            for (int s = 0; s < SUCCESSORS; s++)
            {
                final int to = in.readInt();
                if (to < -1 || to >= n)
                {
                    throw new ModelFormatException("key " + k + " of the model names successor " + to + " of " + n +
                        " keys: the file is damaged; learn it again");
                }
                successorIds[id][s] = to;
                successorCounts[id][s] = in.readDouble();
            }
        }
        final int types = in.readInt();
        if (types < 0 || types > MAX_KEYS)
        {
            throw new ModelFormatException("the model claims " + types + " agent types: the file is damaged; learn " +
                "it again");
        }
        typeIds.clear();
        lastType = -1;
        for (int i = 0; i < types; i++)
        {
            final int t = typeId(in.readUTF());
            typeArrivals[t] = in.readDouble();
            typeGapNanos[t] = in.readDouble();
            for (int s = 0; s < SUCCESSORS; s++)
            {
                final int to = in.readInt();
                if (to < -1 || to >= n)
                {
                    throw new ModelFormatException("agent type " + i + " of the model names successor " + to + " of " +
                        n + " keys: the file is damaged; learn it again");
                }
                typeSuccessorIds[t][s] = to;
                typeSuccessorCounts[t][s] = in.readDouble();
            }
        }
    }

    /** Registers {@link PatternPredictor} with the ServiceLoader; stateless. */
    public static final class Provider implements PredictorProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "arrival rate per agent type and context key by hour of day and recently, and what follows what " +
                "(top 4 successors per key); confidence = chance of an arrival within the horizon";
        }

        @Override
        public Predictor create()
        {
            return new PatternPredictor();
        }
    }
}
