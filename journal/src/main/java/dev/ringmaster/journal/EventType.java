package dev.ringmaster.journal;

/**
 * The kind of one journal record: one per {@link dev.ringmaster.spi.DispatchListener} event, plus the journal's own
 * RECOVERED marker and the ADMIN record of an operator's change; immutable. The {@link #code()} is what the record stores, so codes are never reused or renumbered.
 */
public enum EventType
{
    ACCEPTED(1, false),
    ASSIGNED(2, false),
    STOLEN(3, false),
    STARTED(4, false),
    COMPLETED(5, true),
    FAILED(6, false),
    RETRIED(7, false),
    EXPIRED(8, true),
    DEAD_LETTERED(9, true),
    CANCELLED(10, true),
    /** Written by {@link Recovery} just before it dispatches a task again; the task's new ACCEPTED record follows. */
    RECOVERED(11, false),
    /**
     * An operator's change through the admin endpoint ({@link Journal#recordAdmin}); no task's: task id and sequence
     * -1, what was asked in the task-type field, the client's address in the from-agent field, the HTTP status in the
     * value field and the outcome in the reason ({@link JournalRecord#adminWhat()} and the like read them).
     */
    ADMIN(12, false),
    /**
     * Written by predictive pre-routing ({@link Journal#predictionLog()}): a prediction acted on. Not a task's event:
     * task id and sequence are -1; the task type field holds the predicted type, the reason field the predicted context
     * key, the strategy field the action (PREDICTED, WARMED, CAPACITY), the agent id field the agent warmed, the score
     * field the confidence, the runner-up field the expected arrivals and the value field the horizon in nanoseconds.
     */
    PREDICTION(13, false);

    private static final EventType[] BY_CODE = new EventType[16];

    static
    {
        for (final EventType t : values())
        {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final boolean terminal;

    EventType(final int code, final boolean terminal)
    {
        this.code = code;
        this.terminal = terminal;
    }

    /** @return the byte stored in the record. */
    public int code()
    {
        return code;
    }

    /** @return true for the states that end a task: completed, expired, dead-lettered, cancelled. */
    public boolean terminal()
    {
        return terminal;
    }

    /** @return the type of a stored code, or null if no type has it (a corrupt or newer record). */
    public static EventType ofCode(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
