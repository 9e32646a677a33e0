package dev.ringmaster.journal.internal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.File;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells the roll cycle of an existing queue from its cycle file names, so that a reader opens it with the right one
 * (Chronicle would otherwise warn that it overrides the default); stateless.
 */
public final class RollCycleDetector
{
    private static final List<RollCycle> KNOWN = new ArrayList<>();

    static
    {
        KNOWN.addAll(List.of(RollCycles.values()));
        KNOWN.addAll(List.of(LegacyRollCycles.values()));
        KNOWN.addAll(List.of(TestRollCycles.values()));
    }

    private RollCycleDetector()
    {
    }

    /** @return the roll cycle whose file name format matches a cycle file in {@code directory}, or null. */
    public static RollCycle detect(final File directory)
    {
        final String[] names = directory.list((d, name) -> name.endsWith(RetentionSweeper.CYCLE_SUFFIX));
        if (names == null || names.length == 0)
        {
            return null;
        }
        final String name = names[0].substring(0, names[0].length() - RetentionSweeper.CYCLE_SUFFIX.length());
        for (final RollCycle rc : KNOWN)
        {
            try
            {
                DateTimeFormatter.ofPattern(rc.format()).parse(name);
                return rc;
            }
            catch (final DateTimeParseException | IllegalArgumentException e)
            {
                // not this one
            }
        }
        return null;
    }
}
