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
        // the record's own fields and strings beside the payload, at their widest, as the encoder counts them
        final int room = maxLength - CompactEncoder.FIXED_ROOM - 3 * (chars(task.tenant()) + chars(task.avoidAgent()) +
            chars(task.affinityKey()) + chars(task.targetAgent()) + chars(task.type()));
        if (length > room)
        {
            return "its payload of " + length + " bytes is larger than the " + Math.max(0, room) + " bytes a record " +
                "has room for (the journal's largest record is an eighth of its ringCapacity, now " + maxLength + " bytes)";
        }
        return null;
    }

    private static int chars(final String s)
    {
        return s == null ? 0 : s.length();
    }
}
