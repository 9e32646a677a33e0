package dev.ringmaster.journal;

import dev.ringmaster.model.Task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, in an existing journal, the tasks that were accepted and reached no terminal state, so that a restarted
 * dispatcher can run them again; stateless, runs on the calling thread.
 *
 * <p>Use at start, before new work: {@code RecoveryPlan plan = Recovery.scan(dir, codec);} then open the journal,
 * build and start the dispatcher, and {@code plan.redispatch(journal, dispatcher, wait)}. A RECOVERED marker and a
 * new ACCEPTED record follow in the journal for every recovered task; if the process dies again before the task
 * ends, the next scan finds it open again.
 */
public final class Recovery
{
    /** Records between two progress reports. */
    public static final long PROGRESS_EVERY = 65_536;

    private Recovery()
    {
    }

    /**
     * Reads the whole journal, on past damage (see {@link JournalReader#readToEnd(RecordHandler, java.util.function.Consumer)}):
     * the plan holds what the readable parts say, names the first damage in {@link RecoveryPlan#corruption()} and
     * counts the damaged regions. A task whose terminal record lay in a damaged region is open in the plan (it may run
     * twice); one whose acceptance lay there is unknown to it.
     *
     * @throws JournalException if there is no journal in {@code directory}, or it was written with another codec
     *     ({@link JournalInfo#payloadCodec}).
     */
    public static RecoveryPlan scan(final Path directory, final PayloadCodec codec)
    {
        return scan(directory, codec, null);
    }

    /**
     * As {@link #scan(Path, PayloadCodec)}, telling {@code progress} (if not null) the records read so far every
     * {@value #PROGRESS_EVERY} records, on the calling thread.
     */
    public static RecoveryPlan scan(final Path directory, final PayloadCodec codec,
                                    final java.util.function.LongConsumer progress)
    {
        final Path startedOnly = CycleFiles.checkDirectory(directory);
        final List<String> notes = new ArrayList<>();
        if (startedOnly != null)
        {
            notes.add("the newest cycle file " + startedOnly + " is empty: the writer stopped while starting it (a " +
                "crash during a roll); nothing was lost, every record lies before it");
        }
        JournalInfo.requireCodec(directory, JournalInfo.payloadCodec(directory), codec);
        final Map<Long, Object> open = new LinkedHashMap<>();
        final Map<Long, Long> openSequence = new java.util.HashMap<>(); // the acceptance sequence of each open task
        final java.util.Set<Long> recovering = new java.util.HashSet<>(); // RECOVERED markers awaiting their ACCEPTED
        final long[] counts = new long[4]; // records, max id, accepted, finished
        counts[1] = Long.MIN_VALUE;
        final List<JournalCorruptException> damage = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(directory))
        {
            if (reader.metadataWarning() != null)
            {
                notes.add(reader.metadataWarning());
            }
            if (progress != null)
            {
                reader.onProgress(PROGRESS_EVERY, progress);
            }
            // on past damage: the tasks journaled after it are found too, and their ids are reserved
            reader.readToEnd(r ->
            {
                counts[0]++;
                final long id = r.taskId();
                counts[1] = Math.max(counts[1], id);
                // not again for a recovered task's new ACCEPTED (it follows the task's RECOVERED marker): it is the
                // same task. Any other ACCEPTED is a task of its own, also one with an id still open: a dead letter
                // requeued, or an id resubmitted from its end's handler, is accepted again before the old acceptance's
                // terminal record may be journaled, and that record then counts as finished
                final boolean firstAcceptance = r.type() == EventType.ACCEPTED && !recovering.remove(id);
                if (r.type() == EventType.RECOVERED)
                {
                    recovering.add(id);
                }
                if (r.type() == EventType.ACCEPTED || (r.type() == EventType.RECOVERED && !open.containsKey(id)))
                {
                    // first: a record cut short by a truncated file can fail here with an Error, which the reader
                    // reports as damage; the task is then neither counted as accepted nor left open, so the counts
                    // still add up (accepted minus finished is what is open)
                    final Object task = rebuild(r, codec);
                    open.remove(id); // re-inserted at the end: acceptance order
                    open.put(id, task);
                    openSequence.put(id, r.sequence());
                }
                if (firstAcceptance)
                {
                    counts[2]++;
                }
                // a shutdown's cancel ends nothing: the task never started, and a graceful stop must keep it as a crash
                // would
                else if (r.type().terminal() && !r.cancelledAtShutdown())
                {
                    counts[3]++;
                    // only the acceptance it belongs to: a task resubmitted with its id from its own result handler
                    // is accepted again before the old attempt's completion is journaled (results are delivered
                    // where the task completed, listeners hear of it later on the routing role)
                    final Long accepted = openSequence.get(id);
                    if (accepted == null || accepted < 0 || r.sequence() < 0 || accepted == r.sequence())
                    {
                        open.remove(id);
                        openSequence.remove(id);
                    }
                }
            }, damage::add);
        }
        final JournalCorruptException corruption = damage.isEmpty() ? null : damage.get(0);
        final List<Task> pending = new ArrayList<>();
        final List<String> unrecoverable = new ArrayList<>();
        final List<RecoveryPlan.Unrecoverable> unrecoverableTasks = new ArrayList<>();
        for (final Object o : open.values())
        {
            if (o instanceof Task t)
            {
                pending.add(t);
            }
            else
            {
                final RecoveryPlan.Unrecoverable u = (RecoveryPlan.Unrecoverable)o;
                unrecoverableTasks.add(u);
                unrecoverable.add(u.line());
            }
        }
        final long maxTaskId = counts[0] == 0 ? 0 : counts[1];
        // new tasks of this process must not reuse the ids of journaled ones, which recovery keeps
        Task.reserveIdsAbove(maxTaskId);
        return new RecoveryPlan(pending, unrecoverable, counts[0], maxTaskId, corruption, counts[2], counts[3],
            damage.size(), notes, unrecoverableTasks);
    }

    /** @return the task, or what the record says of it and why it cannot be rebuilt. */
    private static Object rebuild(final JournalRecord r, final PayloadCodec codec)
    {
        try
        {
            return r.task(codec);
        }
        catch (final RuntimeException e)
        {
            return new RecoveryPlan.Unrecoverable(r.taskId(), r.taskType(), r.priority(), r.sequence(), r.attempt(),
                e.getMessage());
        }
    }
}
