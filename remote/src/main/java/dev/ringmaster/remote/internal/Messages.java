package dev.ringmaster.remote.internal;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Skills;
import dev.ringmaster.model.Task;
import dev.ringmaster.remote.PayloadCodec;
import dev.ringmaster.spi.TaskView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The wire layouts between a dispatcher and its agent hosts; stateless, every method works on the caller's
 * {@link Wire}, so any thread may encode or decode.
 *
 * <pre>
 * every message: int header = VERSION &lt;&lt; 16 | type, then its fields in this order (little-endian;
 * string = int length + UTF-8 bytes; block = int length + bytes)
 *
 * HELLO      host to dispatcher, until WELCOMEd:  long session, string hostId, string replyEndpoint,
 *            int agents, per agent: string id, string type, int capacity, int weight, double speed,
 *            long tokenBudget, int skills, per skill: string name, double proficiency
 * WELCOME    dispatcher to host:                  long hostSession, long dispatcherSession
 * HEARTBEAT  both ways, every heartbeat interval: long session, string senderId
 * TASK       dispatcher to host:                  long correlationId, int agentIndex, long taskId, int attempt,
 *            int priority, long costTokens, long timeoutNanos, string type, string requiredSkills (comma-separated),
 *            string tenant, string affinityKey, block payload (the PayloadCodec's bytes),
 *            long sequence (the dispatcher's acceptance sequence; last, so a host that predates it reads the rest
 *            as before, and a host reading a TASK without it, from a dispatcher that predates it, takes the
 *            correlation id instead)
 * COMPLETION host to dispatcher:                  long correlationId, int ok (1 or 0), long tokensUsed,
 *            double quality, string result (ok) or failure reason (not ok)
 * TELEMETRY  host to dispatcher, when an agent published: long session, int agentIndex,
 *            double contextUtilization (NaN: not reported), long tokenBudgetLeft (-1: not reported)
 * REFUSED    dispatcher to host, instead of WELCOME, for every HELLO of a session it cannot admit:
 *            long hostSession, string reason (what was wrong and how to fix it)
 * CANCEL     dispatcher to host, for an attempt it gave up unanswered (at its answer deadline, or a heartbeat
 *            after its task's own timeout if that is shorter):
 *            long hostSession, long correlationId
 * </pre>
 *
 * A new message type keeps the version: a receiver drops a type it does not know with a rate-limited WARN about an
 * unknown message type (a host older than CANCEL logs that and keeps the attempt running, as before), so hosts and
 * dispatchers of either side of the change still talk.
 *
 * A session is a random number a process draws at start: a host that restarts comes back with another one, so the
 * dispatcher can tell a restarted host from one that was only silent.
 */
public final class Messages
{
    public static final int VERSION = 1;
    public static final int HELLO = 1;
    public static final int WELCOME = 2;
    public static final int HEARTBEAT = 3;
    public static final int TASK = 4;
    public static final int COMPLETION = 5;
    public static final int TELEMETRY = 6;
    public static final int REFUSED = 7;
    public static final int CANCEL = 8;

    /** Results and failure reasons longer than this are cut: completions stay one small message. */
    public static final int MAX_TEXT_CHARS = 4096;

    private Messages()
    {
    }

    /** @return the message type of a received fragment, or -1 if it is not of this protocol's version. */
    public static int type(final Wire in)
    {
        final int header = in.getInt();
        return header >>> 16 == VERSION ? header & 0xFFFF : -1;
    }

    private static Wire header(final Wire out, final int type)
    {
        return out.reset().putInt(VERSION << 16 | type);
    }

    /** A host's registration; immutable. */
    public record Hello(long session, String hostId, String replyEndpoint, List<AgentSpec> agents)
    {
    }

    public static Wire hello(final Wire out, final Hello hello)
    {
        header(out, HELLO).putLong(hello.session()).putString(hello.hostId()).putString(hello.replyEndpoint())
            .putInt(hello.agents().size());
        for (final AgentSpec a : hello.agents())
        {
            out.putString(a.id()).putString(a.type()).putInt(a.capacity()).putInt(a.weight()).putDouble(a.speed())
                .putLong(a.tokenBudget()).putInt(a.proficiency().size());
            for (final Map.Entry<String, Double> skill : a.proficiency().entrySet())
            {
                out.putString(skill.getKey()).putDouble(skill.getValue());
            }
        }
        return out;
    }

    /** Reads a HELLO after {@link #type}. */
    public static Hello readHello(final Wire in)
    {
        final long session = in.getLong();
        final String hostId = in.getString();
        final String reply = in.getString();
        final int n = in.getInt();
        final List<AgentSpec> agents = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final AgentSpec.Builder b = AgentSpec.builder(in.getString(), in.getString()).capacity(in.getInt())
                .weight(in.getInt()).speed(in.getDouble());
            final long budget = in.getLong();
            if (budget > 0)
            {
                b.tokenBudget(budget);
            }
            final int skills = in.getInt();
            for (int s = 0; s < skills; s++)
            {
                b.skill(in.getString(), in.getDouble());
            }
            agents.add(b.build());
        }
        return new Hello(session, hostId, reply, List.copyOf(agents));
    }

    public static Wire welcome(final Wire out, final long hostSession, final long dispatcherSession)
    {
        return header(out, WELCOME).putLong(hostSession).putLong(dispatcherSession);
    }

    public static Wire refused(final Wire out, final long hostSession, final String reason)
    {
        return header(out, REFUSED).putLong(hostSession).putString(reason);
    }

    public static Wire cancel(final Wire out, final long hostSession, final long correlationId)
    {
        return header(out, CANCEL).putLong(hostSession).putLong(correlationId);
    }

    public static Wire heartbeat(final Wire out, final long session, final String senderId)
    {
        return header(out, HEARTBEAT).putLong(session).putString(senderId);
    }

    /** Encodes one attempt of a task for the agent at {@code agentIndex} of the host's HELLO. */
    public static Wire task(final Wire out, final long correlationId, final int agentIndex, final TaskView view,
                            final PayloadCodec codec)
    {
        final Task t = view.task();
        header(out, TASK).putLong(correlationId).putInt(agentIndex).putLong(t.id()).putInt(view.attempt())
            .putInt(view.priority().ordinal()).putLong(t.costTokens()).putLong(t.timeoutNanos()).putString(t.type())
            .putString(t.requiredSkills() == 0 ? "" : String.join(",", Skills.names(t.requiredSkills())))
            .putString(t.tenant()).putString(t.affinityKey());
        final int block = out.beginBlock();
        out.endBlock(block, codec.encode(t.payload(), out.buffer(), block + Integer.BYTES));
        return out.putLong(view.sequence());
    }

    /**
     * One attempt as a host receives it; immutable.
     *
     * @param sequence the dispatcher's acceptance sequence of the task (lower is older), or the correlation id if
     *                 the dispatcher predates sending it.
     */
    public record TaskMessage(long correlationId, int agentIndex, int attempt, Priority priority, Task task,
                              long sequence)
    {
        /** An attempt whose sequence is not known: its correlation id stands in; for tests. */
        public TaskMessage(final long correlationId, final int agentIndex, final int attempt, final Priority priority,
                           final Task task)
        {
            this(correlationId, agentIndex, attempt, priority, task, correlationId);
        }
    }

    /**
     * Reads a TASK after {@link #type}, rebuilding the task (same id, type, priority, cost, skills and payload).
     *
     * @param end the offset just past the message in the buffer: a TASK of a dispatcher that predates the sequence
     *            ends at its payload.
     */
    public static TaskMessage readTask(final Wire in, final PayloadCodec codec, final int end)
    {
        final long correlationId = in.getLong();
        final int agentIndex = in.getInt();
        final long taskId = in.getLong();
        final int attempt = in.getInt();
        final Priority priority = Priority.values()[in.getInt()];
        final long cost = in.getLong();
        final long timeoutNanos = in.getLong();
        final Task.Builder b = Task.builder(in.getString()).id(taskId).priority(priority).costTokens(cost);
        final String skills = in.getString();
        if (!skills.isEmpty())
        {
            b.requiredSkills(skills.split(","));
        }
        final String tenant = in.getString();
        if (!tenant.isEmpty())
        {
            b.tenant(tenant);
        }
        final String affinity = in.getString();
        if (!affinity.isEmpty())
        {
            b.affinityKey(affinity);
        }
        if (timeoutNanos > 0)
        {
            b.timeout(java.time.Duration.ofNanos(timeoutNanos));
        }
        final int length = in.getBlockLength();
        b.payload(codec.decode(in.input(), in.position(), length));
        in.skip(length);
        final long sequence = end - in.position() >= Long.BYTES ? in.getLong() : correlationId;
        return new TaskMessage(correlationId, agentIndex, attempt, priority, b.build(), sequence);
    }

    public static Wire completion(final Wire out, final long correlationId, final boolean ok, final long tokens,
                                  final double quality, final String text)
    {
        final String cut = text == null ? "" : text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text;
        return header(out, COMPLETION).putLong(correlationId).putInt(ok ? 1 : 0).putLong(tokens).putDouble(quality)
            .putString(cut);
    }

    public static Wire telemetry(final Wire out, final long session, final int agentIndex, final double utilization,
                                 final long budgetLeft)
    {
        return header(out, TELEMETRY).putLong(session).putInt(agentIndex).putDouble(utilization).putLong(budgetLeft);
    }
}
