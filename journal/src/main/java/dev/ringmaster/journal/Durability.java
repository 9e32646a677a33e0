package dev.ringmaster.journal;

/** How much the journal promises about an accepted task surviving a crash; immutable. */
public enum Durability
{
    /** No journal: nothing is recorded, nothing can be recovered. */
    NONE,
    /**
     * Every event is recorded by the writer thread shortly after it happens; a crash loses the events still in the
     * in-memory ring (at most its capacity), so a task accepted just before a crash may be missed by recovery.
     */
    ASYNC,
    /**
     * As ASYNC, and {@link Journal#submitAcknowledged} completes only once the task's ACCEPTED record is in the
     * queue's memory-mapped file: from then on the task survives {@code kill -9} of the process (not a power cut,
     * the page cache is not forced to disk).
     */
    ACKNOWLEDGED
}
