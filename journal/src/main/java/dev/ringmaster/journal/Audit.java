package dev.ringmaster.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * Questions an auditor asks of a journal: the whole history of one task, and who did what in a time range;
 * stateless, each call reads with the reader it is given on the calling thread.
 */
public final class Audit
{
    private Audit()
    {
    }

    /**
     * @return every record of task {@code taskId}, oldest first, across retries, steals and recoveries (empty if the
     *     journal never saw it).
     * @throws JournalCorruptException after reading the sound part, if the journal is damaged.
     */
    public static List<JournalEvent> history(final JournalReader reader, final long taskId)
    {
        final List<JournalEvent> events = new ArrayList<>();
        history(reader, taskId, events);
        return events;
    }

    /**
     * As {@link #history(JournalReader, long)}, adding to {@code events}: on damage they hold what was read before it,
     * for an auditor to see before the damage is reported.
     */
    public static void history(final JournalReader reader, final long taskId, final List<JournalEvent> events)
    {
        reader.toStart().readToEnd(r ->
        {
            if (r.taskId() == taskId)
            {
                events.add(r.toEvent());
            }
        });
    }

    /**
     * Adds to {@code events} the operators' changes through the admin endpoint (ADMIN records) with a wall-clock time
     * in {@code [fromMillis, toMillis)}, in journal order; on damage they keep what was read before it.
     */
    public static void adminChanges(final JournalReader reader, final long fromMillis, final long toMillis,
                                    final List<JournalEvent> events)
    {
        final long toNanos = toMillis * 1_000_000L;
        reader.fromTime(fromMillis).readToEnd(r ->
        {
            if (r.type() == EventType.ADMIN && r.epochNanos() < toNanos)
            {
                events.add(r.toEvent());
            }
        });
    }

    /**
     * @param agentId only this agent's events (as the agent, or as the one stolen from), or null for every event.
     * @return the records with a wall-clock time in {@code [fromMillis, toMillis)}, in journal order.
     */
    public static List<JournalEvent> activity(final JournalReader reader, final long fromMillis, final long toMillis,
                                              final String agentId)
    {
        final List<JournalEvent> events = new ArrayList<>();
        activity(reader, fromMillis, toMillis, agentId, events);
        return events;
    }

    /** As {@link #activity(JournalReader, long, long, String)}, adding to {@code events}, which keep what was read on damage. */
    public static void activity(final JournalReader reader, final long fromMillis, final long toMillis,
                                final String agentId, final List<JournalEvent> events)
    {
        final long toNanos = toMillis * 1_000_000L;
        reader.fromTime(fromMillis).readToEnd(r ->
        {
            if (r.epochNanos() < toNanos && (agentId == null || agentId.equals(r.agentId()) ||
                agentId.equals(r.fromAgentId())))
            {
                events.add(r.toEvent());
            }
        });
    }
}
