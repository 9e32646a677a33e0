package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringmaster.admin.AdminClient;
import dev.ringmaster.model.Priority;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ringmaster admin ...}: talks to the admin endpoint of a running dispatcher (e.g. {@code ringmaster serve});
 * picocli creates one instance per execution and calls it on the executing thread.
 *
 * <p>Exit codes: 0 done, 1 the server refused or could not be reached (the reason on stderr), 2 bad options, 3 a task
 * {@code submit --wait} waited for still under way.
 */
@Command(name = "admin",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    description = {"Ask a running dispatcher's admin endpoint (started by 'ringmaster serve') or change its fleet.", ""},
    subcommands = {AdminCommand.Status.class, AdminCommand.QueueDepth.class, AdminCommand.Agents.class,
        AdminCommand.Distribution.class, AdminCommand.DeadLetters.class, AdminCommand.Pause.class,
        AdminCommand.Resume.class, AdminCommand.Drain.class, AdminCommand.AddAgent.class,
        AdminCommand.Reprioritize.class, AdminTaskCommands.Submit.class, AdminTaskCommands.Find.class,
        AdminTaskCommands.Cancel.class, AdminTaskCommands.Requeue.class, AdminTaskCommands.Purge.class,
        AdminTaskCommands.Scale.class, AdminTaskCommands.Audit.class, CommandLine.HelpCommand.class},
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "Exit code: 0 done, 1 refused by the server or nothing listening, 2 bad options, 3 the task " +
        "'submit --wait' waited for is still under way.",
        "Example: ringmaster admin --url http://127.0.0.1:7070 --token s3cret pause --type coder"})
public final class AdminCommand implements Runnable
{
    static final String DEFAULT_URL = "http://127.0.0.1:7070";
    /** {@code submit --wait}'s exit code for a task not ended when the wait ran out (1 would read as refused). */
    static final int EXIT_STILL_PENDING = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
        defaultValue = "${env:RINGMASTER_ADMIN_URL:-" + DEFAULT_URL + "}",
        description = "Admin endpoint (default: $RINGMASTER_ADMIN_URL, else " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
        defaultValue = "${env:RINGMASTER_ADMIN_TOKEN}",
        description = "Bearer token of the admin endpoint: every command needs it (the reads too, unless the server "
            + "runs with serve --public-reads) (default: $RINGMASTER_ADMIN_TOKEN, which other users cannot see in the "
            + "process list as they can --token).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "Read the token from FILE instead, as serve --token-file does (it must not be readable by other "
            + "users); it takes the place of --token and $RINGMASTER_ADMIN_TOKEN.")
    java.nio.file.Path tokenFile;

    @Option(names = "--json", scope = ScopeType.INHERIT,
        description = "Print the server's JSON answer as is, one object on stdout, a refusal's too (its error also on stderr).")
    boolean json;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "missing admin command: say what to ask or change, e.g. " +
            "'ringmaster admin status'; the commands are " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * The server's fixes name its routes ("GET /agents lists them"), which is right for an HTTP client; a user of this
     * command wants the command that shows the same thing.
     */
    static String forCommandLine(final String fix)
    {
        return fix.replaceAll("GET /tasks/(\\d+)", "'ringmaster admin task --id $1'")
            .replace("GET /agents", "'ringmaster admin agents'")
            .replace("GET /types", "'ringmaster admin queue-depth'")
            .replace("GET /dead-letters", "'ringmaster admin dead-letters'")
            .replace("POST /agents", "'ringmaster admin add-agent'");
    }

    /**
     * One request to the endpoint and its rendering; subclasses say which request and how to print the answer.
     * Not thread-safe: one instance per execution, like every picocli command.
     */
    abstract static class Call implements Callable<Integer>
    {
        @ParentCommand
        AdminCommand admin;

        @Spec
        CommandSpec spec;

        private String fileToken;

        /** @return the answer of the server. */
        abstract AdminClient.Response send(AdminClient client) throws IOException, InterruptedException;

        /** Prints a successful answer for people. */
        abstract void print(JsonNode body, int status, PrintWriter out);

        /** Longest the call may take; a drain waits longer. */
        Duration timeout()
        {
            return Duration.ofSeconds(10);
        }

        /** @return the token from --token-file if given (read once per command), else --token or the environment. */
        private String token()
        {
            if (admin.tokenFile == null)
            {
                return admin.token;
            }
            if (fileToken == null)
            {
                fileToken = AdminTokens.read(spec.commandLine(), admin.tokenFile);
            }
            return fileToken;
        }

        @Override
        public Integer call() throws Exception
        {
            final AdminClient client;
            try
            {
                client = new AdminClient(admin.url, token(), timeout());
            }
            catch (final IllegalArgumentException e)
            {
                throw new ParameterException(spec.commandLine(), e.getMessage() + " for --url");
            }
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final AdminClient.Response response;
            try
            {
                response = send(client);
            }
            catch (final AdminClient.UnreachableException e)
            {
                err.println("error: " + e.getMessage() + "; start it with ./ringmaster serve" +
                    (admin.url.equals(DEFAULT_URL) ? "" : ", or check --url / RINGMASTER_ADMIN_URL"));
                err.flush();
                return 1;
            }
            if (!response.ok() && admin.json && response.body() != null && !response.body().isEmpty())
            {
                // --json promises the server's answer as is: a script reads why it was refused from stdout too
                out.println(response.body().toString());
                out.flush();
            }
            if (response.status() == 401)
            {
                err.println(token() == null || token().isEmpty() ?
                    "error: this command needs the admin token; pass --token or --token-file, or set " +
                        "RINGMASTER_ADMIN_TOKEN (./ringmaster serve prints it)" :
                    "error: the admin token was refused; pass --token or --token-file, or set RINGMASTER_ADMIN_TOKEN");
                err.flush();
                return 1;
            }
            if (!response.ok())
            {
                err.println("error: " + (response.error() != null ? response.error() :
                    "the server answered HTTP " + response.status()));
                if (response.fix() != null)
                {
                    err.println("fix: " + forCommandLine(response.fix()));
                }
                err.flush();
                return response.status() == AdminTaskCommands.STILL_PENDING ? EXIT_STILL_PENDING : 1;
            }
            if (admin.json)
            {
                out.println(response.body().toString());
            }
            else
            {
                print(response.body(), response.status(), out);
            }
            out.flush();
            if (response.body() != null && response.body().hasNonNull("warning"))
            {
                // done, but something needs the operator's attention: tasks left with no agent to take them
                err.println("warning: " + forCommandLine(response.body().get("warning").asText()));
                err.flush();
            }
            return 0;
        }
    }

    // ---------------------------------------------------------------- reads

    /** {@code admin status}; one instance per execution. */
    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Run state, task counts, throughput, Gini, overloaded agents, latency.")
    static final class Status extends Call
    {
        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.get("/status");
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            AdminText.status(body, out);
        }
    }

    /** {@code admin queue-depth}; one instance per execution. */
    @Command(name = "queue-depth", mixinStandardHelpOptions = true,
        description = "Tasks waiting centrally, per agent type and priority.")
    static final class QueueDepth extends Call
    {
        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.get("/queue-depth");
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            AdminText.queueDepth(body, out);
        }
    }

    /** {@code admin agents}; one instance per execution. */
    @Command(name = "agents", mixinStandardHelpOptions = true,
        description = "Per agent: load, utilization, in flight, counts; overloaded and draining ones flagged.")
    static final class Agents extends Call
    {
        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.get("/agents");
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            AdminText.agents(body, out);
        }
    }

    /** {@code admin distribution}; one instance per execution. */
    @Command(name = "distribution", mixinStandardHelpOptions = true,
        description = "How work is spread: tasks and tokens per agent, Gini by count and by tokens.")
    static final class Distribution extends Call
    {
        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.get("/distribution");
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            AdminText.distribution(body, out);
        }
    }

    /** {@code admin dead-letters}; one instance per execution. */
    @Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "The most recent tasks that failed every attempt or expired, with reasons.")
    static final class DeadLetters extends Call
    {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", converter = DemoCommand.PositiveCount.class,
            description = "How many to show, newest last (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.get("/dead-letters?limit=" + limit);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            AdminText.deadLetters(body, out);
        }
    }

    // ---------------------------------------------------------------- changes

    /** {@code admin pause --type T}; one instance per execution. */
    @Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stop routing to an agent type; its tasks stay queued in order (TTLs still apply).")
    static final class Pause extends Call
    {
        @Option(names = "--type", paramLabel = "TYPE", required = true, description = "Agent type, e.g. coder.")
        String type;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.post("/types/" + AdminClient.segment(type) + "/pause", null);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            // a server without "changed" (an older one) is taken at its word
            out.println((body.path("changed").asBoolean(true) ? "paused type '" + type + "': " :
                "type '" + type + "' was already paused, nothing changed: ") +
                AdminText.count(body.path("waiting").asLong(), "task") + " waiting; they stay queued until " +
                "'ringmaster admin resume --type " + type + "'");
        }
    }

    /** {@code admin resume --type T}; one instance per execution. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume routing to a paused agent type, in queue order.")
    static final class Resume extends Call
    {
        @Option(names = "--type", paramLabel = "TYPE", required = true, description = "Agent type, e.g. coder.")
        String type;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.post("/types/" + AdminClient.segment(type) + "/resume", null);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            final long waiting = body.path("waiting").asLong();
            out.println(body.hasNonNull("warning") ? "resumed type '" + type + "', but no agent of it can take a task: " +
                AdminText.count(waiting, "waiting task") + " wait for one (see the warning)" :
                body.path("changed").asBoolean(true) ? "resumed type '" + type + "': " +
                AdminText.count(waiting, "waiting task") + (waiting == 1 ? " is" : " are") + " dispatched in queue order" :
                "type '" + type + "' was not paused, nothing changed: " + AdminText.count(waiting, "task") +
                    " waiting, dispatched as usual");
        }
    }

    /** {@code admin drain --agent ID}; one instance per execution. */
    @Command(name = "drain", mixinStandardHelpOptions = true,
        description = {"Remove an agent gracefully: it gets no new tasks, its inbox goes back to the queues, and it "
            + "leaves once its running tasks finish. Nothing is lost or run twice."})
    static final class Drain extends Call
    {
        @Option(names = "--agent", paramLabel = "ID", required = true, description = "Agent id, e.g. coder-3.")
        String agent;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10", converter = Seconds.class,
            description = "How long to wait for the agent to leave before reporting that it is still draining "
                + "(default: ${DEFAULT-VALUE}).")
        double waitSeconds;

        @Override
        Duration timeout()
        {
            return Duration.ofMillis(Math.round(waitSeconds * 1000) + 10_000);
        }

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            return client.post("/agents/" + AdminClient.segment(agent) + "/drain?wait=" + waitSeconds, null);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            out.println(status == 200 ? "drained agent '" + agent + "': it finished what it held and left the fleet" :
                body.path("note").asText());
        }
    }

    /** {@code admin add-agent --id ID --type T ...}; one instance per execution. */
    @Command(name = "add-agent", mixinStandardHelpOptions = true,
        description = "Add an agent while tasks flow; the server makes its adapter (the serve demo: a simulated agent).")
    static final class AddAgent extends Call
    {
        @Option(names = "--id", paramLabel = "ID", required = true, description = "New agent id, unique in the fleet.")
        String id;

        @Option(names = "--type", paramLabel = "TYPE", required = true,
            description = "Agent type; it must exist unless --new-type is given.")
        String type;

        @Option(names = "--new-type", description = "Start a new agent type with this agent (it gets its own queues).")
        boolean newType;

        @Option(names = "--capacity", paramLabel = "N", defaultValue = "1", converter = DemoCommand.PositiveCount.class,
            description = "Tasks it runs at once (default: ${DEFAULT-VALUE}).")
        int capacity;

        @Option(names = "--weight", paramLabel = "W", converter = DemoCommand.PositiveCount.class,
            description = "Relative weight for weighted strategies (the serve demo uses it as the speed, 1-8).")
        Integer weight;

        @Option(names = "--speed", paramLabel = "S", converter = Speed.class,
            description = "Relative speed declared for speed-aware strategies: 1.0 for the reference agent, 2.0 for one "
                + "twice as fast (default: 1.0).")
        Double speed;

        @Option(names = "--skill", paramLabel = "NAME=PROFICIENCY", converter = Skill.class,
            description = "A skill with its proficiency in [0, 1]; repeat for more, e.g. --skill java=0.9 --skill sql=0.6.")
        List<Map.Entry<String, Double>> skills = new ArrayList<>();

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            final ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            body.put("id", id);
            body.put("type", type);
            body.put("capacity", capacity);
            if (newType)
            {
                body.put("new_type", true);
            }
            if (weight != null)
            {
                body.put("weight", weight);
            }
            if (speed != null)
            {
                body.put("speed", speed);
            }
            final ObjectNode s = body.putObject("skills");
            skills.forEach(e -> s.put(e.getKey(), e.getValue()));
            return client.post("/agents", body);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            out.println("added agent '" + body.path("id").asText() + "' (type " + body.path("type").asText() +
                ", capacity " + body.path("capacity").asInt() + ", skills " + body.path("skills") + ")");
        }
    }

    /** {@code admin reprioritize --task ID --priority P}; one instance per execution. */
    @Command(name = "reprioritize", mixinStandardHelpOptions = true,
        description = "Move a waiting task to another priority; a task already with an agent is left as it is.")
    static final class Reprioritize extends Call
    {
        @Option(names = {"--task", "--id"}, paramLabel = "ID", required = true, converter = TaskId.class,
            description = "Task id.")
        long task;

        @Option(names = "--priority", paramLabel = "P", required = true, converter = PriorityName.class,
            description = "CRITICAL, HIGH, MEDIUM or LOW (any case).")
        Priority priority;

        @Override
        AdminClient.Response send(final AdminClient client) throws IOException, InterruptedException
        {
            final ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            body.put("priority", priority.name());
            return client.post("/tasks/" + task + "/priority", body);
        }

        @Override
        void print(final JsonNode body, final int status, final PrintWriter out)
        {
            out.println("task " + task + " " + body.path("reason").asText() + " (" + priority + ")");
        }
    }

    /** Parses the id of a task the endpoint knows (never negative), naming where ids come from; stateless. */
    static final class TaskId implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            final String from = "the id 'ringmaster admin submit' printed, or one from 'ringmaster admin dead-letters'";
            return AuditCommand.TaskId.parse(value, "give a whole number such as 42: " + from, "give " + from);
        }
    }

    /** Parses a declared speed, a positive number, naming the fix on error; stateless. */
    static final class Speed implements CommandLine.ITypeConverter<Double>
    {
        @Override
        public Double convert(final String value)
        {
            final String fix = "give a positive number: 1.0 for the reference agent, 2.0 for one twice as fast";
            final double speed;
            try
            {
                speed = Double.parseDouble(value.trim());
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a speed; " + fix);
            }
            if (!(speed > 0) || Double.isInfinite(speed))
            {
                throw new CommandLine.TypeConversionException("speed " + value + " is not positive; " + fix);
            }
            return speed;
        }
    }

    /** Parses {@code NAME=PROFICIENCY} with a proficiency in [0, 1], naming the fix on error; stateless. */
    static final class Skill implements CommandLine.ITypeConverter<Map.Entry<String, Double>>
    {
        @Override
        public Map.Entry<String, Double> convert(final String value)
        {
            final String fix = "give NAME=PROFICIENCY with a proficiency from 0 to 1, e.g. java=0.9";
            final int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a skill with its proficiency; " + fix);
            }
            final String name = value.substring(0, eq).trim();
            final double proficiency;
            try
            {
                proficiency = Double.parseDouble(value.substring(eq + 1).trim());
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException("'" + value.substring(eq + 1) + "' is not a proficiency " +
                    "for skill '" + name + "'; " + fix);
            }
            if (!(proficiency >= 0 && proficiency <= 1))
            {
                throw new CommandLine.TypeConversionException("proficiency " + value.substring(eq + 1) + " of skill '" +
                    name + "' is outside [0, 1]; " + fix);
            }
            return Map.entry(name, proficiency);
        }
    }

    /** Parses a priority in any case, naming the choices on error; stateless. */
    static final class PriorityName implements CommandLine.ITypeConverter<Priority>
    {
        @Override
        public Priority convert(final String value)
        {
            try
            {
                return Priority.valueOf(value.trim().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a priority; use one of " +
                    Arrays.toString(Priority.values()));
            }
        }
    }

    /** Parses a number of seconds in [0, 3600]; stateless. */
    static final class Seconds implements CommandLine.ITypeConverter<Double>
    {
        @Override
        public Double convert(final String value)
        {
            final double d = parse(value);
            if (!(d >= 0 && d <= 3600))
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is out of range; give seconds in [0, 3600]");
            }
            return d;
        }

        static double parse(final String value)
        {
            try
            {
                return Double.parseDouble(value);
            }
            catch (final NumberFormatException e)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a number of seconds; give e.g. 10 or 0.5");
            }
        }
    }
}
