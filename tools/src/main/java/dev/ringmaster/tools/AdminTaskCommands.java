package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringmaster.admin.AdminClient;
import dev.ringmaster.model.Priority;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The task and fleet-size commands of {@code ringmaster admin}: submit, task, cancel, requeue, purge-dead-letters,
 * scale and audit; picocli creates one instance of a command per execution and calls it on the executing thread.
 */
final class AdminTaskCommands
{
    /**
     * The status {@code submit --wait} gives an answer that did not come in time, never one the server sends: the
     * command then exits {@value AdminCommand#EXIT_STILL_PENDING}, so a script can tell a task still under way (ask
     * again later) from one refused or ended without an answer (exit 1).
     */
    static final int STILL_PENDING = 408;

    /** The ends a task can reach, as GET /tasks/{id} names them. */
    static final Set<String> ENDS = Set.of("COMPLETED", "DEAD_LETTERED", "EXPIRED", "CANCELLED");

    private AdminTaskCommands()
    {
    }

    /** {@code admin submit --type T ...}; one instance per execution. */
    @Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Delegate a task to the fleet: prints its id, or the refusal and its reason.",
            "With --wait, waits for its answer and prints it."},
        footer = {"", "Exit code: 0 accepted (with --wait: completed), 1 refused, or ended without an answer, or " +
            "nothing listening, 2 bad options, " + AdminCommand.EXIT_STILL_PENDING + " still waiting or running when " +
            "--wait ran out (follow it with 'admin task --id N')."})
    static final class Submit extends AdminCommand.Call
    {
        @Option(names = "--type", paramLabel = "TYPE", required = true, description = "Agent type, e.g. coder.")
        String type;

        @Option(names = "--priority", paramLabel = "P", converter = AdminCommand.PriorityName.class,
            description = "CRITICAL, HIGH, MEDIUM or LOW (default: MEDIUM).")
        Priority priority;

        @Option(names = "--skill", paramLabel = "NAME", description = "A skill the agent must have; repeat for more.")
        List<String> skills = new ArrayList<>();

        @Option(names = "--tenant", paramLabel = "NAME", description = "The tenant the task is billed to.")
        String tenant;

        @Option(names = "--ttl", paramLabel = "SECONDS", converter = Ttl.class,
            description = "Time to live, in (0, 86400] seconds as POST /tasks takes it: a task still waiting after " +
                "it expires instead of running (default: none).")
        Double ttl;

        @Option(names = "--payload", paramLabel = "TEXT", description = "What the agent gets to work on; the " +
            "request, this text included, is at most 64 KiB (pass a large prompt by reference: a path or a URL).")
        String payload;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0", converter = AdminCommand.Seconds.class,
            description = "Wait up to this long for the answer (default: ${DEFAULT-VALUE}, print the id and return).")
        double waitSeconds;

        @Override
        Duration timeout()
        {
            return Duration.ofMillis(Math.round(waitSeconds * 1000) + 10_000);
        }

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            final ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("type", type);
            if (priority != null)
            {
                body.put("priority", priority.name());
            }
            if (!skills.isEmpty())
            {
                skills.forEach(body.putArray("skills")::add);
            }
            if (tenant != null)
            {
                body.put("tenant", tenant);
            }
            if (ttl != null)
            {
                body.put("ttl_s", ttl);
            }
            if (payload != null)
            {
                body.put("payload", payload);
            }
            final AdminClient.Response submitted = client.post("/tasks", body);
            if (!submitted.ok() || waitSeconds <= 0)
            {
                return submitted;
            }
            final long id = submitted.body().path("task_id").asLong();
            final long deadline = System.nanoTime() + Math.round(waitSeconds * 1e9);
            while (true)
            {
                final AdminClient.Response found = client.get("/tasks/" + id);
                final String state = found.body().path("state").asText();
                if (!found.ok() || state.equals("COMPLETED"))
                {
                    return found;
                }
                if (ENDS.contains(state))
                {
                    return failed(found.body(), "task " + id + " ended " + state + ": " + found.body().path("reason").asText(),
                        afterEnd(id, state));
                }
                if (System.nanoTime() - deadline > 0)
                {
                    final AdminClient.Response waitedOut = failed(found.body(), "task " + id + " is still " + state +
                        " after " + waitSeconds + " s", "follow it with 'ringmaster admin task --id " + id +
                        "', or wait longer with --wait");
                    return new AdminClient.Response(STILL_PENDING, waitedOut.body());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            if (body.has("state"))
            {
                out.println("task " + body.path("task_id").asLong() + " COMPLETED by " + body.path("agent").asText() +
                    " in " + body.path("latency_ms").asDouble() + " ms: " + text(body.path("result")));
            }
            else
            {
                out.println("task " + body.path("task_id").asLong() + " accepted (" + body.path("type").asText() + ", " +
                    body.path("priority").asText() + "); follow it with 'ringmaster admin task --id " +
                    body.path("task_id").asLong() + "'");
            }
        }
    }

    /**
     * What an operator can do about a task that ended without an answer: only a dead letter (failed every attempt, or
     * expired) can be requeued by id; a cancelled task leaves no dead letter, so requeue would answer "no dead letter".
     */
    static String afterEnd(final long id, final String state)
    {
        return state.equals("CANCELLED") ? "it was cancelled; submit it again with 'ringmaster admin submit' if it " +
            "is still wanted" : "see 'ringmaster admin dead-letters'; requeue it with 'ringmaster admin requeue --task " +
            id + "'";
    }

    /** @return an agent's answer for people: text as it is, a structured one (e.g. a chat reply) as JSON. */
    static String text(final JsonNode result)
    {
        return result.isTextual() ? result.asText() : result.toString();
    }

    /** A response that the caller renders as an error line and its fix, exiting 1. */
    private static AdminClient.Response failed(final JsonNode found, final String error, final String fix)
    {
        final ObjectNode o = found.deepCopy();
        o.put("error", error);
        o.put("fix", fix);
        return new AdminClient.Response(409, o);
    }

    /**
     * {@code admin task --task N} (or {@code --id N}, as in every command that takes a task id); one instance per
     * execution.
     */
    @Command(name = "task", mixinStandardHelpOptions = true,
        description = "Where a task is: waiting, with which agent, or how it ended (with its answer).")
    static final class Find extends AdminCommand.Call
    {
        @Option(names = {"--task", "--id"}, paramLabel = "ID", required = true, converter = AdminCommand.TaskId.class,
            description = "Task id.")
        long id;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.get("/tasks/" + id);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            final String state = body.path("state").asText();
            switch (state)
            {
                case "waiting" -> out.println("task " + id + " is waiting in its type's queue");
                case "assigned" -> out.println("task " + id + " is with agent '" + body.path("agent").asText() + "'");
                case "COMPLETED" -> out.println("task " + id + " COMPLETED by " + body.path("agent").asText() + " after " +
                    AdminText.count(body.path("attempts").asInt(), "attempt") + ": " + text(body.path("result")));
                default -> out.println("task " + id + " " + state + ": " + body.path("reason").asText());
            }
        }
    }

    /** {@code admin cancel --task N}; one instance per execution. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a task that has not started; a running one runs to its end.")
    static final class Cancel extends AdminCommand.Call
    {
        @Option(names = {"--task", "--id"}, paramLabel = "ID", required = true, converter = AdminCommand.TaskId.class,
            description = "Task id.")
        long task;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.post("/tasks/" + task + "/cancel", null);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            out.println("task " + task + " " + body.path("reason").asText());
        }
    }

    /** {@code admin requeue --task N}; one instance per execution. */
    @Command(name = "requeue", mixinStandardHelpOptions = true,
        description = "Queue a dead letter's task again, with its id; it leaves the dead letters.")
    static final class Requeue extends AdminCommand.Call
    {
        @Option(names = {"--task", "--id"}, paramLabel = "ID", required = true, converter = AdminCommand.TaskId.class,
            description = "Task id of the dead letter.")
        long task;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.post("/dead-letters/" + task + "/requeue", null);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            out.println("requeued task " + task + "; follow it with 'ringmaster admin task --id " + task + "'");
        }
    }

    /** {@code admin purge-dead-letters}; one instance per execution. */
    @Command(name = "purge-dead-letters", mixinStandardHelpOptions = true,
        description = "Empty the dead-letter list (the counters keep them).")
    static final class Purge extends AdminCommand.Call
    {
        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.delete("/dead-letters");
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            out.println("purged " + AdminText.count(body.path("purged").asInt(), "dead letter"));
        }
    }

    /** {@code admin scale --type T --agents N}; one instance per execution. */
    @Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Run N agents of a type: new ones from the type's agent factory, surplus ones drained "
            + "(no new tasks, they leave once their running tasks finish)."})
    static final class Scale extends AdminCommand.Call
    {
        @Option(names = "--type", paramLabel = "TYPE", required = true, description = "Agent type, e.g. coder.")
        String type;

        @Option(names = "--agents", paramLabel = "N", required = true, converter = AgentCount.class,
            description = "How many agents of the type to run, 0 to 1024.")
        int agents;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            final ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("agents", agents);
            return client.post("/types/" + AdminClient.segment(type) + "/scale", body);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            out.println("type '" + type + "': " + body.path("before").asInt() + " -> " +
                AdminText.count(agents, "agent") + "; added " +
                AdminText.list(body.path("added")) + "; draining " + AdminText.list(body.path("draining")));
        }
    }

    /** {@code admin audit}; one instance per execution. */
    @Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The changes asked of the endpoint: when, from where, what, and how each ended.")
    static final class Audit extends AdminCommand.Call
    {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", converter = DemoCommand.PositiveCount.class,
            description = "How many to show, newest last (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.get("/audit?limit=" + limit);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            for (final JsonNode c : body.path("changes"))
            {
                out.printf(Locale.ROOT, "%s  %-21s %-6s %-40s %d %s%n", c.path("at").asText(), c.path("from").asText(),
                    c.path("method").asText(), c.path("path").asText(), c.path("status").asInt(), c.path("outcome").asText());
            }
            // as dead-letters says it: '17 changes kept' under two rows read as the whole list
            out.printf(Locale.ROOT, "%s kept, the last %d shown%n", AdminText.count(body.path("kept").asInt(), "change"),
                body.path("changes").size());
        }
    }

    /** Parses a number of agents in [0, 1024]; stateless. */
    static final class AgentCount implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            try
            {
                final int n = Integer.parseInt(value.trim());
                if (n >= 0 && n <= 1024)
                {
                    return n;
                }
            }
            catch (final NumberFormatException ignored)
            {
                // reported below with the fix
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number of agents; give a whole " +
                "number from 0 to 1024");
        }
    }

    /**
     * A task's time to live in the endpoint's own range, (0, 86400] seconds, so the command refuses what the server
     * would and takes all it would; 0 is refused rather than read as "none", which leaving the option out says.
     * Stateless, any thread.
     */
    static final class Ttl implements CommandLine.ITypeConverter<Double>
    {
        @Override
        public Double convert(final String value)
        {
            final double d = AdminCommand.Seconds.parse(value);
            if (!(d > 0 && d <= 86_400))
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is out of range; give seconds in " +
                    "(0, 86400], or leave --ttl out for a task that never expires");
            }
            return d;
        }
    }
}
