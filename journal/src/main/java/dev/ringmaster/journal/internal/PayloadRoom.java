package dev.ringmaster.journal.internal;

import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.model.Task;
import org.agrona.ExpandableArrayBuffer;

/**
 * Whether a task's payload fits in the journal, asked before an acknowledged submit: a payload the codec refuses or
 * that is larger than the journal's largest record is journaled without it ({@link CompactEncoder} flags it), and the
 * task then comes back from a crash unrecoverable, which an acknowledgement promises it will not. Stateless; any
 * thread (each call encodes into a buffer of its own: the acknowledged path waits for a disk anyway).
 */
public final class PayloadRoom
{
    private PayloadRoom()
    {
    }

    /**
     * @param maxLength the ring's largest message, as the router's encoder is given it.
     * @return why the payload cannot be journaled, or null if it can (or the task has none).
     */
    public static String problem(final PayloadCodec codec, final Task task, final int maxLength)
    {
        final Object payload = task.payload();
        if (payload == null)
        {
            return null;
        }
        final int length;
        try
        {
            length = codec.encode(payload, new ExpandableArrayBuffer(256), 0);
        }
        catch (final RuntimeException e)
        {
            return "the journal's payload codec '" + codec.name() + "' cannot encode a " + payload.getClass().getName() +
                " (" + e.getMessage() + ")";
        }
        // The encoder's room for a payload depends on what else its message holds (the record's numbers, the strings
        // new to its epoch, an agent id folded in), which is not known here: so a payload may take at most half of
        // the largest record, and the task's own strings (3 bytes a char at their widest) and the fixed part must
        // fit beside it; what is left covers the rest with room to spare.
        final int strings = chars(task.tenant()) + chars(task.avoidAgent()) + chars(task.affinityKey()) +
            chars(task.targetAgent()) + chars(task.type()) + skillChars(task);
        final int room = Math.min(maxLength / 2, maxLength - CompactEncoder.FIXED_ROOM - MESSAGE_ROOM - 3 * strings);
        if (length > room)
        {
            return "its payload of " + length + " bytes is larger than the " + Math.max(0, room) + " bytes a record " +
                "keeps for it (half the journal's largest record, " + maxLength + " bytes, an eighth of its " +
                "ringCapacity, less the task's other strings)";
        }
        return null;
    }

    /** The message header, the epoch's base and an agent id folded in, at their usual widest. */
    private static final int MESSAGE_ROOM = 256;

    private static int skillChars(final Task task)
    {
        int n = 0;
        for (final String skill : task.requiresUnknownSkill() ? task.requiredSkillNames() :
            dev.ringmaster.model.Skills.names(task.requiredSkills()))
        {
            n += skill.length() + 1;
        }
        return n;
    }

    private static int chars(final String s)
    {
        return s == null ? 0 : s.length();
    }
}
