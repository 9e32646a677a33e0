package dev.ringmaster.plugins.routing.index;

/**
 * {@link RankedAgents} as one bucket per distinct score, for scores that take few values (least-connections' free
 * fraction): no sift. Not thread-safe: owned by one {@link ScoreIndex}; it allocates only while it grows (a new
 * score, a bucket larger than before), never in a steady state.
 *
 * <ul>
 *   <li>The non-empty buckets sit in an array sorted by score, best first: the best agent is the first of the first
 *       bucket, O(1). A score not seen yet takes a binary search and a shift of that array, O(b) for b buckets.</li>
 *   <li>A bucket holds its members in stamp order, oldest first, in chunks of up to {@value #CHUNK}: a picked agent has
 *       the newest stamp, so it is appended to its new bucket's last chunk, O(1); it is most often the oldest of its
 *       old bucket (the walk takes the oldest first), so it leaves the first chunk's head, O(1).</li>
 *   <li>A released agent keeps its stamp, which may lie anywhere in its new bucket: it is inserted by a binary search
 *       of the chunks' first stamps (one array) and then of one chunk, and a shift of at most one chunk, O(log m + 64)
 *       for m members, contiguous memory where the heap's sift read two random keys per level.</li>
 * </ul>
 *
 * The order walked is exactly the heap's (score, then stamp), so decisions and runners-up are the same.
 */
final class ScoreBuckets extends RankedAgents
{
    /** Members per chunk: a shift of at most this many, and a binary search over m / 32 to m / 64 chunks. */
    static final int CHUNK = 64;

    /** By pool position: the bucket a member is in, null for a non-member. */
    private final Bucket[] in;
    /** By pool position: the stamp a member is filed under (a pick changes its stamp before it is re-ranked). */
    private final long[] filed;
    /** The non-empty buckets, best score first. */
    private Bucket[] order = new Bucket[8];
    /** The scores of {@link #order}, searched in one array instead of through each bucket. */
    private double[] keys = new double[8];
    private int buckets;
    private Bucket[] spareBuckets = new Bucket[8];
    private int spareBucketCount;
    private Chunk[] spareChunks = new Chunk[16];
    private int spareChunkCount;
    private int walkBucket;
    private int walkChunk;
    private int walkAt;

    /** @param members the pool positions to rank (their keys in {@code keys}), in any order. */
    ScoreBuckets(final long mask, final int group, final int poolSize, final int[] members, final int count,
                 final double[] keys, final long[] stamp)
    {
        super(mask, group, poolSize);
        in = new Bucket[poolSize];
        filed = new long[poolSize];
        for (int i = 0; i < count; i++)
        {
            add(members[i], keys[members[i]], stamp);
        }
    }

    @Override
    boolean contains(final int position)
    {
        return in[position] != null;
    }

    @Override
    void add(final int position, final double score, final long[] stamp)
    {
        key[position] = score;
        final long s = stamp[position];
        filed[position] = s;
        final Bucket b = bucketFor(score);
        in[position] = b;
        insert(b, s, position);
    }

    @Override
    void remove(final int position, final long[] stamp)
    {
        final Bucket b = in[position];
        in[position] = null;
        delete(b, filed[position]);
        if (b.count == 0)
        {
            drop(b);
        }
    }

    @Override
    void update(final int position, final double score, final long[] stamp)
    {
        if (score == key[position] && stamp[position] == filed[position])
        {
            key[position] = score; // same bucket, same place (a telemetry event that moved nothing)
            return;
        }
        remove(position, stamp);
        add(position, score, stamp);
    }

    @Override
    int first(final long[] stamp)
    {
        walkBucket = 0;
        walkChunk = 0;
        if (buckets == 0)
        {
            return -1;
        }
        final Chunk c = order[0].chunks[0];
        walkAt = c.head;
        return c.position[walkAt];
    }

    @Override
    int next(final long[] stamp)
    {
        Bucket b = order[walkBucket];
        Chunk c = b.chunks[walkChunk];
        if (++walkAt == c.tail)
        {
            if (++walkChunk == b.count)
            {
                if (++walkBucket == buckets)
                {
                    walkAt = c.tail - 1; // stays at the end: a further next() answers -1 again
                    walkChunk--;
                    walkBucket--;
                    return -1;
                }
                b = order[walkBucket];
                walkChunk = 0;
            }
            c = b.chunks[walkChunk];
            walkAt = c.head;
        }
        return c.position[walkAt];
    }

    /** @return the bucket of this score, made (and placed in order) if there was none. */
    private Bucket bucketFor(final double score)
    {
        int lo = 0;
        int hi = buckets;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            final double k = keys[mid];
            if (k == score)
            {
                return order[mid];
            }
            if (k > score)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        final Bucket b = spareBucketCount > 0 ? spareBuckets[--spareBucketCount] : new Bucket();
        b.key = score;
        if (buckets == order.length)
        {
            order = java.util.Arrays.copyOf(order, buckets * 2);
            keys = java.util.Arrays.copyOf(keys, buckets * 2);
        }
        System.arraycopy(order, lo, order, lo + 1, buckets - lo);
        System.arraycopy(keys, lo, keys, lo + 1, buckets - lo);
        order[lo] = b;
        keys[lo] = score;
        buckets++;
        return b;
    }

    /** An emptied bucket leaves the order and is kept for the next new score. */
    private void drop(final Bucket b)
    {
        int at = 0;
        while (order[at] != b)
        {
            at++; // few buckets, and the emptied one is most often the first
        }
        System.arraycopy(order, at + 1, order, at, buckets - at - 1);
        System.arraycopy(keys, at + 1, keys, at, buckets - at - 1);
        order[--buckets] = null;
        if (spareBucketCount == spareBuckets.length)
        {
            spareBuckets = java.util.Arrays.copyOf(spareBuckets, spareBucketCount * 2);
        }
        spareBuckets[spareBucketCount++] = b;
    }

    private void insert(final Bucket b, final long s, final int position)
    {
        if (b.count == 0)
        {
            b.insertChunk(0, chunk());
        }
        int i = b.count - 1;
        Chunk c = b.chunks[i];
        if (c.head == c.tail || s > c.stamp[c.tail - 1])
        {
            // the newest stamp of the bucket, as every pick's is: append
            if (c.tail == CHUNK)
            {
                if (c.head > CHUNK / 2)
                {
                    c.compact();
                }
                else
                {
                    c = chunk();
                    b.insertChunk(++i, c);
                }
            }
            c.stamp[c.tail] = s;
            c.position[c.tail++] = position;
            b.first[i] = c.stamp[c.head];
            return;
        }
        i = b.chunkAtOrBefore(s);
        c = b.chunks[i];
        if (c.tail - c.head == CHUNK)
        {
            final Chunk upper = chunk();
            c.splitInto(upper);
            b.insertChunk(i + 1, upper);
            b.first[i + 1] = upper.stamp[0];
            if (s > upper.stamp[upper.head])
            {
                i++;
                c = upper;
            }
        }
        c.insert(s, position);
        b.first[i] = c.stamp[c.head];
    }

    private void delete(final Bucket b, final long s)
    {
        final int i = b.chunkAtOrBefore(s);
        final Chunk c = b.chunks[i];
        c.delete(s);
        final int size = c.tail - c.head;
        if (size == 0)
        {
            b.removeChunk(i);
            recycle(c);
            return;
        }
        b.first[i] = c.stamp[c.head];
        if (size <= CHUNK / 4 && i + 1 < b.count && size + b.chunks[i + 1].size() <= CHUNK / 2)
        {
            // two thin neighbours become one, so a bucket thinned by releases keeps about m / 64 chunks
            final Chunk next = b.chunks[i + 1];
            c.absorb(next);
            b.removeChunk(i + 1);
            recycle(next);
        }
    }

    private Chunk chunk()
    {
        return spareChunkCount > 0 ? spareChunks[--spareChunkCount] : new Chunk();
    }

    private void recycle(final Chunk c)
    {
        c.head = 0;
        c.tail = 0;
        if (spareChunkCount == spareChunks.length)
        {
            spareChunks = java.util.Arrays.copyOf(spareChunks, spareChunkCount * 2);
        }
        spareChunks[spareChunkCount++] = c;
    }

    /** The members of one score, in chunks in stamp order. */
    private static final class Bucket
    {
        double key;
        Chunk[] chunks = new Chunk[4];
        /** Each chunk's first (oldest) stamp, searched without reading the chunks. */
        long[] first = new long[4];
        int count;

        /** @return the last chunk whose first stamp is at most {@code s}, or the first chunk. */
        int chunkAtOrBefore(final long s)
        {
            int lo = 0;
            int hi = count - 1;
            while (lo < hi)
            {
                final int mid = (lo + hi + 1) >>> 1;
                if (first[mid] <= s)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        void insertChunk(final int at, final Chunk c)
        {
            if (count == chunks.length)
            {
                chunks = java.util.Arrays.copyOf(chunks, count * 2);
                first = java.util.Arrays.copyOf(first, count * 2);
            }
            System.arraycopy(chunks, at, chunks, at + 1, count - at);
            System.arraycopy(first, at, first, at + 1, count - at);
            chunks[at] = c;
            count++;
        }

        void removeChunk(final int at)
        {
            System.arraycopy(chunks, at + 1, chunks, at, count - at - 1);
            System.arraycopy(first, at + 1, first, at, count - at - 1);
            chunks[--count] = null;
        }
    }

    /** Up to {@value #CHUNK} members in stamp order, live in {@code [head, tail)}. */
    private static final class Chunk
    {
        final long[] stamp = new long[CHUNK];
        final int[] position = new int[CHUNK];
        int head;
        int tail;

        int size()
        {
            return tail - head;
        }

        /** Inserts in stamp order; the chunk is not full. */
        void insert(final long s, final int p)
        {
            int at = lowerBound(head, tail, s);
            if (tail < CHUNK)
            {
                System.arraycopy(stamp, at, stamp, at + 1, tail - at);
                System.arraycopy(position, at, position, at + 1, tail - at);
                tail++;
            }
            else
            {
                System.arraycopy(stamp, head, stamp, head - 1, at - head);
                System.arraycopy(position, head, position, head - 1, at - head);
                head--;
                at--;
            }
            stamp[at] = s;
            position[at] = p;
        }

        /** Deletes the member filed under stamp {@code s}, which is here. */
        void delete(final long s)
        {
            if (stamp[head] == s)
            {
                head++; // the oldest, as a pick most often is: nothing moves
                return;
            }
            final int at = lowerBound(head + 1, tail - 1, s);
            if (at - head < tail - at)
            {
                // nearer the head: the older part moves up one, the shorter shift
                System.arraycopy(stamp, head, stamp, head + 1, at - head);
                System.arraycopy(position, head, position, head + 1, at - head);
                head++;
            }
            else
            {
                System.arraycopy(stamp, at + 1, stamp, at, tail - at - 1);
                System.arraycopy(position, at + 1, position, at, tail - at - 1);
                tail--;
            }
        }

        /** @return the first index in {@code [lo, hi)} whose stamp is not below {@code s}, else {@code hi}. */
        private int lowerBound(final int from, final int to, final long s)
        {
            int lo = from;
            int hi = to;
            while (lo < hi)
            {
                final int mid = (lo + hi) >>> 1;
                if (stamp[mid] < s)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            return lo;
        }

        void compact()
        {
            final int n = tail - head;
            System.arraycopy(stamp, head, stamp, 0, n);
            System.arraycopy(position, head, position, 0, n);
            head = 0;
            tail = n;
        }

        /** Moves this full chunk's newer half to the empty chunk {@code upper}. */
        void splitInto(final Chunk upper)
        {
            final int half = (tail - head) >>> 1;
            final int from = head + half;
            System.arraycopy(stamp, from, upper.stamp, 0, tail - from);
            System.arraycopy(position, from, upper.position, 0, tail - from);
            upper.head = 0;
            upper.tail = tail - from;
            tail = from;
            compact();
        }

        /** Appends every member of the next chunk, all newer than this one's. */
        void absorb(final Chunk next)
        {
            compact();
            final int n = next.tail - next.head;
            System.arraycopy(next.stamp, next.head, stamp, tail, n);
            System.arraycopy(next.position, next.head, position, tail, n);
            tail += n;
        }
    }
}
