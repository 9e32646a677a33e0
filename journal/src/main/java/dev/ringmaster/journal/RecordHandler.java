package dev.ringmaster.journal;

/** Receives journal records in order; called on the thread that polls the {@link JournalReader}. */
@FunctionalInterface
public interface RecordHandler
{
    /** @param record a flyweight valid only during this call; copy with {@link JournalRecord#toEvent()} to keep. */
    void onRecord(JournalRecord record);
}
