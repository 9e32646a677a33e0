package dev.ringmaster.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Questions an auditor asks of a journal: the whole history of one task, and who did what in a time range;
 * stateless, each call reads with the reader it is given on the calling thread.
 *
 * <p>Every query reads on past each damaged region, as recovery does: a task whose records lie after damage is still
 * found whole. The damage is never silent: the overloads without a damage callback throw the first region (the others
 * suppressed on it) once every readable record was read.
 */
public final class Audit
{
    private Audit()
    {
    }

    /**
     * @return every record of task {@code taskId}, oldest first, across retries, steals and recoveries (empty if the
     *     journal never saw it).
     * @throws JournalCorruptException after reading every readable record, if the journal is damaged.
     */
    public static List<JournalEvent> history(final JournalReader reader, final long taskId)
    {
        final List<JournalEvent> events = new ArrayList<>();
        history(reader, taskId, events);
        return events;
    }

    /**
     * As {@link #history(JournalReader, long)}, adding to {@code events}: on damage they hold every readable record
     * of the task, for an auditor to see before the damage is reported.
     */
    public static void history(final JournalReader reader, final long taskId, final List<JournalEvent> events)
    {
        throwingFirst(onDamage -> history(reader, taskId, events, onDamage));
    }

    /** As {@link #history(JournalReader, long, List)}, handing each damaged region to {@code onDamage}, in order. */
    public static void history(final JournalReader reader, final long taskId, final List<JournalEvent> events,
                               final Consumer<JournalCorruptException> onDamage)
    {
        reader.toStart().readToEnd(r ->
        {
            if (r.taskId() == taskId)
            {
                events.add(r.toEvent());
            }
        }, onDamage);
    }

    /**
     * Adds to {@code events} the operators' changes through the admin endpoint (ADMIN records) with a wall-clock time
     * in {@code [fromMillis, toMillis)}, in journal order; on damage they hold every readable one.
     */
    public static void adminChanges(final JournalReader reader, final long fromMillis, final long toMillis,
                                    final List<JournalEvent> events)
    {
        throwingFirst(onDamage -> adminChanges(reader, fromMillis, toMillis, events, onDamage));
    }

    /** As {@link #adminChanges(JournalReader, long, long, List)}, handing each damaged region to {@code onDamage}. */
    public static void adminChanges(final JournalReader reader, final long fromMillis, final long toMillis,
                                    final List<JournalEvent> events, final Consumer<JournalCorruptException> onDamage)
    {
        adminChangesNanos(reader, fromMillis * 1_000_000L, toMillis * 1_000_000L, events, onDamage);
    }

    /**
     * As {@link #adminChanges(JournalReader, long, long, List, Consumer)}, the range {@code [fromNanos, toNanos)} in
     * epoch nanoseconds, the precision records carry and audit prints.
     */
    public static void adminChangesNanos(final JournalReader reader, final long fromNanos, final long toNanos,
                                         final List<JournalEvent> events, final Consumer<JournalCorruptException> onDamage)
    {
        reader.fromTime(Math.floorDiv(fromNanos, 1_000_000L)).readToEnd(r ->
        {
            if (r.type() == EventType.ADMIN && r.epochNanos() >= fromNanos && r.epochNanos() < toNanos)
            {
                events.add(r.toEvent());
            }
        }, onDamage);
    }

    /**
     * @param agentId only this agent's events (as the agent, or as the one stolen from), or null for every event.
     * @return the records with a wall-clock time in {@code [fromMillis, toMillis)}, in journal order.
     * @throws JournalCorruptException after reading every readable record, if the journal is damaged.
     */
    public static List<JournalEvent> activity(final JournalReader reader, final long fromMillis, final long toMillis,
                                              final String agentId)
    {
        final List<JournalEvent> events = new ArrayList<>();
        activity(reader, fromMillis, toMillis, agentId, events);
        return events;
    }

    /** As {@link #activity(JournalReader, long, long, String)}, adding to {@code events}: all readable ones on damage. */
    public static void activity(final JournalReader reader, final long fromMillis, final long toMillis,
                                final String agentId, final List<JournalEvent> events)
    {
        throwingFirst(onDamage -> activity(reader, fromMillis, toMillis, agentId, events, onDamage));
    }

    /** As {@link #activity(JournalReader, long, long, String, List)}, handing each damaged region to {@code onDamage}. */
    public static void activity(final JournalReader reader, final long fromMillis, final long toMillis,
                                final String agentId, final List<JournalEvent> events,
                                final Consumer<JournalCorruptException> onDamage)
    {
        activityNanos(reader, fromMillis * 1_000_000L, toMillis * 1_000_000L, agentId, events, onDamage);
    }

    /**
     * As {@link #activity(JournalReader, long, long, String, List, Consumer)}, the range {@code [fromNanos, toNanos)}
     * in epoch nanoseconds. Why: reading starts at the time index's entry, which may lie before {@code fromNanos}, so
     * the start is checked per record too; an audit that printed times to the nanosecond took ranges only to the
     * millisecond, and listed records from before its inclusive start.
     */
    public static void activityNanos(final JournalReader reader, final long fromNanos, final long toNanos,
                                     final String agentId, final List<JournalEvent> events,
                                     final Consumer<JournalCorruptException> onDamage)
    {
        reader.fromTime(Math.floorDiv(fromNanos, 1_000_000L)).readToEnd(r ->
        {
            final long at = r.epochNanos();
            if (at >= fromNanos && at < toNanos && (agentId == null || agentId.equals(r.agentId()) ||
                agentId.equals(r.fromAgentId())))
            {
                events.add(r.toEvent());
            }
        }, onDamage);
    }

    /** Runs a query that reads past damage, then throws its first damaged region with the later ones suppressed. */
    private static void throwingFirst(final Consumer<Consumer<JournalCorruptException>> query)
    {
        final List<JournalCorruptException> damage = new ArrayList<>();
        query.accept(damage::add);
        if (!damage.isEmpty())
        {
            final JournalCorruptException first = damage.get(0);
            damage.subList(1, damage.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
