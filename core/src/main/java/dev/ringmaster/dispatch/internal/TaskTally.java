package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.Priority;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Tasks by state per priority and per tenant; the routing role's holder is the single writer (ordered stores, no
 * allocation once a tenant has its row), any thread may read.
 *
 * <p>By priority, every count of a task goes to the priority it was submitted with, whatever it was moved to since.
 *
 * <p>Tenants get a row each in the order they first appear, up to {@link #TENANTS}; later tenants share the
 * {@link #OTHER} row, and tasks without a tenant the {@link #NO_TENANT} row, so the number of series a metrics
 * registry sees stays bounded whatever tenants clients send. A tenant's row is found by a probe of a small
 * open-addressed table (its cached hash, then identity, then equals).
 */
public final class TaskTally
{
    /** Tenants counted under their own name. */
    public static final int TENANTS = 32;
    /** The row of tasks without a tenant. */
    public static final String NO_TENANT = "(none)";
    /** The row of the tenants after the first {@link #TENANTS}. */
    public static final String OTHER = "(other)";
    /** Accepted, then one per {@link TerminalState}. */
    public static final int STATES = 1 + TerminalState.values().length;

    private static final int NONE_ROW = TENANTS;
    private static final int OTHER_ROW = TENANTS + 1;
    private static final int TABLE = 2 * TENANTS; // a power of two, half full at most

    private final AtomicLongArray byPriority = new AtomicLongArray(Priority.COUNT * STATES);
    private final AtomicLongArray byTenant = new AtomicLongArray((TENANTS + 2) * STATES);
    /** Row i's tenant, published by an ordered store before {@link #tenantRows} counts it. */
    private final AtomicReferenceArray<String> names = new AtomicReferenceArray<>(TENANTS);
    private volatile int tenantRows;
    /** Writer only: the hash table of tenant to row (row + 1, 0 = empty). */
    private final String[] tableKeys = new String[TABLE];
    private final int[] tableRows = new int[TABLE];

    void accepted(final TaskRecord r)
    {
        add(submittedLevel(r), r.task.tenant(), 0);
    }

    void ended(final TaskRecord r, final TerminalState state)
    {
        add(submittedLevel(r), r.task.tenant(), 1 + state.ordinal());
    }

    /**
     * The level a task was submitted at, not its current {@link TaskRecord#level}: a reprioritization must not move
     * its end to another row than its acceptance (which left the old row outstanding for good and the new one
     * negative), and moving the acceptance instead would make an accepted count fall, which a scraper reads as a
     * counter reset. The task itself keeps its submitted priority, so this costs no field and no write per task.
     */
    private static int submittedLevel(final TaskRecord r)
    {
        return r.task.priority().ordinal();
    }

    private void add(final int level, final String tenant, final int state)
    {
        increment(byPriority, level * STATES + state);
        increment(byTenant, row(tenant) * STATES + state);
    }

    private static void increment(final AtomicLongArray counts, final int i)
    {
        counts.lazySet(i, counts.get(i) + 1); // single writer: an ordered store, no atomic read-modify-write
    }

    private int row(final String tenant)
    {
        if (tenant == null)
        {
            return NONE_ROW;
        }
        int i = tenant.hashCode() & (TABLE - 1);
        while (tableRows[i] != 0)
        {
            final String key = tableKeys[i];
            if (key == tenant || key.equals(tenant))
            {
                return tableRows[i] - 1;
            }
            i = (i + 1) & (TABLE - 1);
        }
        final int rows = tenantRows;
        if (rows == TENANTS)
        {
            return OTHER_ROW; // the table stays half full: every later tenant probes to an empty cell and lands here
        }
        tableKeys[i] = tenant;
        tableRows[i] = rows + 1;
        names.lazySet(rows, tenant);
        tenantRows = rows + 1; // volatile: readers that see the row see its name
        return rows;
    }

    /** Any thread: @return the counts of priority {@code p}, accepted first, then one per {@link TerminalState}. */
    public long[] byPriority(final Priority p)
    {
        return read(byPriority, p.ordinal());
    }

    /** Any thread: @return the tenants with a row of their own, in the order they first appeared. */
    public String[] tenants()
    {
        final int rows = tenantRows;
        final String[] out = new String[rows];
        for (int i = 0; i < rows; i++)
        {
            out[i] = names.get(i);
        }
        return out;
    }

    /** Any thread: @return the counts of {@code tenants()[row]}, or of {@link #NO_TENANT} or {@link #OTHER}. */
    public long[] byTenant(final int row)
    {
        return read(byTenant, row);
    }

    /** @return the row of {@link #NO_TENANT} or {@link #OTHER} for {@link #byTenant}. */
    public static int rowOf(final String special)
    {
        return NO_TENANT.equals(special) ? NONE_ROW : OTHER_ROW;
    }

    private static long[] read(final AtomicLongArray counts, final int row)
    {
        final long[] out = new long[STATES];
        for (int s = 0; s < STATES; s++)
        {
            out[s] = counts.get(row * STATES + s);
        }
        return out;
    }
}
