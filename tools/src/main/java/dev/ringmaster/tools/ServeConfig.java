package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ringmaster.admin.AdminServer;
import dev.ringmaster.autoscale.AgentFactories;
import dev.ringmaster.dispatch.RateLimit;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.routing.RoutingStrategies;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fleet declared in a file for {@code ringmaster serve --config FILE} (YAML, or JSON, which YAML reads too): agent
 * types with their agent factory, its options, how many agents or which ones with their skills and speeds, the
 * strategy, rate limits, the journal and the admin endpoint. Everything is checked, and every agent made, before
 * anything starts; a problem is a {@link ConfigProblem} naming the line, the key and what it accepts. Immutable once
 * loaded; load on one thread.
 *
 * <pre>
 * strategy: least-connections
 * admin: {port: 7070, publicReads: false}
 * journal: {dir: /var/lib/ringmaster, durability: acknowledged}
 * rateLimits:
 *   - {type: coder, tasksPerSecond: 5, tokensPerMinute: 90000}
 *   - {tenant: team-a, tasksPerSecond: 2}
 * types:
 *   coder:
 *     factory: openai-http
 *     options: {baseUrl: "http://127.0.0.1:8000", model: gpt-4o-mini, apiKeyEnv: OPENAI_API_KEY, capacity: 4}
 *     agents: 2                 # made by the factory: coder-1, coder-2
 *     skills: {java: 0.9}       # given to every agent of the type that does not list its own
 *   reviewer:
 *     factory: echo
 *     agents:
 *       - {id: reviewer-fast, capacity: 2, speed: 2.0, skills: {security: 0.9}}
 * </pre>
 */
final class ServeConfig
{
    private static final Set<String> TOP = Set.of("strategy", "admin", "journal", "rateLimits", "types");
    private static final Set<String> ADMIN = Set.of("port", "publicReads");
    private static final Set<String> JOURNAL = Set.of("dir", "durability");
    private static final Set<String> LIMIT = Set.of("type", "tenant", "tasksPerSecond", "tokensPerMinute", "burst");
    private static final Set<String> TYPE = Set.of("factory", "options", "agents", "skills", "speed");
    private static final Set<String> AGENT = Set.of("id", "capacity", "weight", "speed", "skills", "tokenBudget");

    /** One check of the file that may find a problem; the file's other checks go on past it. */
    @FunctionalInterface
    private interface Check<T>
    {
        T run() throws ConfigProblem;
    }

    /** One agent to register, with the adapter its factory made; immutable. */
    record Agent(AgentSpec spec, AgentAdapter adapter)
    {
    }

    final String strategy;
    final Integer port;
    final Boolean publicReads;
    final Path journalDir;
    final Durability durability;
    final List<RateLimit> rateLimits = new ArrayList<>();
    final Map<String, AgentFactory> factories = new LinkedHashMap<>();
    final List<Agent> agents = new ArrayList<>();

    private final Path file;
    private final Map<String, Integer> lines;
    /** The key of the first type that declares no agent, for the message if none does. */
    private String noAgents;
    /** What the checks found so far: all of them are reported at once, in file order. */
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ServeConfig(final Path file, final JsonNode root, final Map<String, Integer> lines, final ClassLoader loader)
        throws ConfigProblem
    {
        this.file = file;
        this.lines = lines;
        keys(root, "", TOP);
        strategy = checked(() -> strategy(root, loader));
        final JsonNode admin = checked(() -> object(root, "admin", ADMIN));
        port = admin == null || !admin.has("port") ? null :
            checked(() -> (int)number(admin.get("port"), "admin.port", 0, 65_535));
        publicReads = admin == null || !admin.has("publicReads") ? null :
            checked(() -> bool(admin.get("publicReads"), "admin.publicReads"));
        final JsonNode journal = checked(() -> object(root, "journal", JOURNAL));
        journalDir = journal == null || !journal.has("dir") ? null :
            checked(() -> Path.of(text(journal.get("dir"), "journal.dir")));
        durability = journal == null || !journal.has("durability") ? null : checked(() -> durability(journal.get("durability")));
        JsonNode limits = root.path("rateLimits");
        if (!limits.isMissingNode() && !limits.isArray())
        {
            problems.add(problem("rateLimits", "rateLimits must be a list",
                "a list of {type or tenant, tasksPerSecond, tokensPerMinute, burst}"));
            limits = root.path("no such key");
        }
        for (int i = 0; i < limits.size(); i++)
        {
            final JsonNode limit = limits.get(i);
            final String at = "rateLimits[" + i + "]";
            final RateLimit checked = checked(() -> limit(limit, at));
            if (checked != null)
            {
                rateLimits.add(checked);
            }
        }
        final JsonNode types = root.path("types");
        if (!types.isObject() || types.isEmpty())
        {
            problems.add(problem(types.isMissingNode() ? "" : "types", "the file declares no agent types",
                "a 'types' map of type name to {factory, options, agents, skills, speed}"));
            throw ConfigProblem.of(file, problems);
        }
        for (int i = 0; i < limits.size(); i++)
        {
            // a limit on a type no agent has holds nothing back (the dispatcher would take it without a word); the
            // types are made and checked all the same, so that one start names every mistake (serve exits at once)
            final String limited = limits.get(i).path("type").asText(null);
            if (limited != null && !types.has(limited))
            {
                final List<String> declared = new ArrayList<>();
                types.fieldNames().forEachRemaining(declared::add);
                problems.add(problem("rateLimits[" + i + "].type", "unknown agent type '" + limited + "': the file " +
                    "declares no such type", "a type declared under 'types': " + declared));
            }
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> t = it.next();
            checked(() ->
            {
                type(t.getKey(), t.getValue(), loader);
                return null;
            });
        }
        if (!problems.isEmpty())
        {
            throw ConfigProblem.of(file, problems);
        }
        if (agents.isEmpty())
        {
            // a type at agents: 0 waits for 'admin add-agent' or 'admin scale' beside types that serve; with no agent
            // at all the dispatcher cannot start, and its own message speaks of builder calls, not of this file
            throw problem(noAgents, "no type declares an agent, so nothing would serve the tasks: declare at " +
                "least one", "'agents: 1' or more in some type (a type at 'agents: 0' is fine beside one with " +
                "agents, for 'ringmaster admin scale' or 'add-agent' to fill later)");
        }
    }

    /** @return what the check returns, or null after adding the problem it found to {@link #problems}. */
    private <T> T checked(final Check<T> check)
    {
        try
        {
            return check.run();
        }
        catch (final ConfigProblem p)
        {
            problems.add(p);
            return null;
        }
    }

    private String strategy(final JsonNode root, final ClassLoader loader) throws ConfigProblem
    {
        final String name = root.has("strategy") ? text(root.get("strategy"), "strategy") : null;
        if (name != null && !RoutingStrategies.available(loader).containsKey(name))
        {
            throw problem("strategy", "unknown strategy '" + name + "'",
                new TreeSet<>(RoutingStrategies.available(loader).keySet()).toString());
        }
        return name;
    }

    /**
     * Reads and checks a file, and makes every agent through its type's factory.
     *
     * @throws ConfigProblem naming the line, the key and what it accepts, or why the file cannot be read.
     */
    static ServeConfig load(final Path file, final ClassLoader loader) throws ConfigProblem
    {
        if (!Files.exists(file) || Files.isDirectory(file))
        {
            throw new ConfigProblem(file + (Files.exists(file) ? " is a directory" : " does not exist") +
                "; give the path of a YAML file that declares the fleet (see 'ringmaster serve --help')");
        }
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final IOException e)
        {
            throw new ConfigProblem("cannot read " + file + " (" + e + "); check the path and its permissions");
        }
        final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        final JsonNode root;
        final Map<String, Integer> lines = new HashMap<>();
        try
        {
            root = yaml.readTree(text);
            try (JsonParser p = yaml.getFactory().createParser(text))
            {
                ConfigLines.index(p, lines, file);
            }
        }
        catch (final JsonProcessingException e)
        {
            final JsonLocation at = e.getLocation();
            throw new ConfigProblem(file + (at == null ? "" : " line " + at.getLineNr()) + ": not valid YAML or JSON: " +
                e.getOriginalMessage() + "; fix the syntax");
        }
        catch (final IOException e)
        {
            throw new ConfigProblem("cannot read " + file + " (" + e + ")");
        }
        if (root == null || !root.isObject())
        {
            throw new ConfigProblem(file + ": the file must be a map with 'types' (and optionally strategy, admin, journal, " +
                "rateLimits); see 'ringmaster serve --help'");
        }
        return new ServeConfig(file, root, lines, loader);
    }

    private void type(final String type, final JsonNode node, final ClassLoader loader) throws ConfigProblem
    {
        final String at = "types." + type;
        if (!AdminServer.isValidName(type))
        {
            // the endpoint refuses tasks of such a type: a fleet could start with it and never be sent work
            throw problem(at, "type name '" + type + "' is not one the admin endpoint accepts (POST /tasks refuses " +
                "its tasks)", "1 to 128 letters, digits and . _ : @ -, starting with a letter or digit");
        }
        if (!node.isObject())
        {
            throw problem(at, "type '" + type + "' must be a map", "{factory, options, agents, skills, speed}");
        }
        keys(node, at, TYPE);
        final String name = node.has("factory") ? text(node.get("factory"), at + ".factory") : null;
        final Set<String> known = new TreeSet<>(AgentFactories.available(loader).keySet());
        if (name == null || !known.contains(name))
        {
            throw problem(name == null ? at : at + ".factory", name == null ? "type '" + type + "' names no factory" :
                "unknown agent factory '" + name + "'", "'factory' set to one of " + known);
        }
        final Map<String, String> options = new LinkedHashMap<>();
        final JsonNode opts = node.path("options");
        if (!opts.isMissingNode() && !opts.isObject())
        {
            throw problem(at + ".options", "options must be a map", "e.g. {baseUrl: http://127.0.0.1:8000, model: gpt-4o-mini}");
        }
        opts.fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        final AgentFactory factory;
        try
        {
            factory = AgentFactories.create(name, type, options, loader);
        }
        catch (final IllegalArgumentException e)
        {
            // a factory that names what it accepts says it once: "it accepts [capacity]; it accepts the options of 'echo'"
            throw problem(opts.isMissingNode() ? at + ".factory" : at + ".options", e.getMessage(),
                String.valueOf(e.getMessage()).contains("accepts") ? null : "the options of '" + name + "'");
        }
        final Map<String, Double> typeSkills = skills(node.path("skills"), at + ".skills");
        final Double typeSpeed = node.has("speed") ? number(node.get("speed"), at + ".speed", 0.001, 1000) : null;
        factories.put(type, new DeclaredTypeFactory(factory, typeSpeed, typeSkills)); // what scale adds has the skills
        final JsonNode list = node.path("agents");
        if (list.isMissingNode() || list.isIntegralNumber())
        {
            final int n = list.isMissingNode() ? 1 : (int)number(list, at + ".agents", 0, 1024);
            if (n == 0 && noAgents == null)
            {
                noAgents = at + ".agents";
            }
            for (int i = 1; i <= n; i++)
            {
                final AgentSpec made = made(factory, type + "-" + i, type, at + ".agents");
                agent(factory, at + ".agents", spec(made.id(), type, made.capacity(), null, typeSpeed, typeSkills, made));
            }
            return;
        }
        if (!list.isArray())
        {
            throw problem(at + ".agents", "agents must be a count or a list", "a whole number, or a list of " + AGENT);
        }
        if (list.isEmpty() && noAgents == null)
        {
            noAgents = at + ".agents";
        }
        for (int i = 0; i < list.size(); i++)
        {
            final String ap = at + ".agents[" + i + "]";
            final JsonNode a = list.get(i);
            final int index = i;
            checked(() ->
            {
                listed(factory, type, index, a, ap, typeSpeed, typeSkills);
                return null;
            });
        }
    }

    /** One agent of a type's list, at {@code ap}: each one's problems are found, whatever the others'. */
    private void listed(final AgentFactory factory, final String type, final int i, final JsonNode a, final String ap,
                        final Double typeSpeed, final Map<String, Double> typeSkills) throws ConfigProblem
    {
        if (!a.isObject())
        {
            throw problem(ap, "an agent must be a map", AGENT.toString());
        }
        keys(a, ap, AGENT);
        final String id = a.has("id") ? text(a.get("id"), ap + ".id") : type + "-" + (i + 1);
        if (!AdminServer.isValidName(id))
        {
            // GET /agents/{id}, drain and the audit name an agent by it: one they refuse could not be operated
            throw problem(ap + ".id", "agent id '" + id + "' is not one the admin endpoint accepts",
                "1 to 128 letters, digits and . _ : @ -, starting with a letter or digit");
        }
        final AgentSpec made = made(factory, id, type, ap);
        final int capacity = a.has("capacity") ? (int)number(a.get("capacity"), ap + ".capacity", 1, 100_000) : made.capacity();
        final Integer weight = a.has("weight") ? (int)number(a.get("weight"), ap + ".weight", 1, 1_000_000) : null;
        // boxed on both sides: a primitive branch would unbox a type without a speed (null) and throw
        final Double speed = a.has("speed") ? Double.valueOf(number(a.get("speed"), ap + ".speed", 0.001, 1000))
            : typeSpeed;
        final Map<String, Double> skills = a.has("skills") ? skills(a.get("skills"), ap + ".skills") : typeSkills;
        final AgentSpec spec = spec(id, type, capacity, weight, speed, skills, made);
        agent(factory, ap, a.has("tokenBudget") ? DeclaredTypeFactory.copy(spec, spec.id(), spec.capacity())
            .tokenBudget((long)number(a.get("tokenBudget"), ap + ".tokenBudget", 1, 1e15)).build() : spec);
    }

    private AgentSpec spec(final String id, final String type, final int capacity, final Integer weight,
                           final Double speed, final Map<String, Double> skills, final AgentSpec made) throws ConfigProblem
    {
        try
        {
            final AgentSpec.Builder b = DeclaredTypeFactory.copy(made, id, capacity);
            if (weight != null)
            {
                b.weight(weight);
            }
            if (speed != null)
            {
                b.speed(speed);
            }
            skills.forEach(b::skill);
            return b.build();
        }
        catch (final IllegalArgumentException | IllegalStateException e)
        {
            throw problem("types." + type, "agent '" + id + "': " + e.getMessage(), "a valid agent");
        }
    }

    /** @return the factory's spec of agent {@code id} of {@code type} ({@link FactoryCalls#spec}). */
    private AgentSpec made(final AgentFactory factory, final String id, final String type, final String at)
        throws ConfigProblem
    {
        try
        {
            return FactoryCalls.spec(factory, id, type);
        }
        catch (final IllegalArgumentException e)
        {
            throw problem(at, e.getMessage(), null);
        }
    }

    private void agent(final AgentFactory factory, final String at, final AgentSpec spec) throws ConfigProblem
    {
        for (final Agent a : agents)
        {
            if (a.spec().id().equals(spec.id()))
            {
                throw problem(at, "duplicate agent id '" + spec.id() + "'", "ids unique across the file");
            }
        }
        try
        {
            agents.add(new Agent(spec, FactoryCalls.create(factory, spec)));
        }
        catch (final IllegalArgumentException e)
        {
            throw problem(at, e.getMessage(), "options under which the factory can make agents");
        }
    }

    private RateLimit limit(final JsonNode n, final String at) throws ConfigProblem
    {
        if (!n.isObject())
        {
            throw problem(at, "a rate limit must be a map", LIMIT.toString());
        }
        keys(n, at, LIMIT);
        if (n.has("type") == n.has("tenant"))
        {
            throw problem(at, "a rate limit names a type or a tenant, exactly one", "'type: coder' or 'tenant: team-a'");
        }
        final RateLimit.Scope scope = n.has("type") ? RateLimit.Scope.TYPE : RateLimit.Scope.TENANT;
        final String name = text(n.has("type") ? n.get("type") : n.get("tenant"), at + (n.has("type") ? ".type" : ".tenant"));
        if (!n.has("tasksPerSecond") && !n.has("tokensPerMinute"))
        {
            throw problem(at, "a rate limit needs tasksPerSecond or tokensPerMinute", "e.g. tasksPerSecond: 5");
        }
        RateLimit limit = n.has("tasksPerSecond") ?
            RateLimit.tasksPerSecond(scope, name, number(n.get("tasksPerSecond"), at + ".tasksPerSecond", 0.001, 1e9)) :
            RateLimit.tokensPerMinute(scope, name, number(n.get("tokensPerMinute"), at + ".tokensPerMinute", 1, 1e12));
        if (n.has("tasksPerSecond") && n.has("tokensPerMinute"))
        {
            limit = limit.andTokensPerMinute(number(n.get("tokensPerMinute"), at + ".tokensPerMinute", 1, 1e12));
        }
        if (n.has("burst"))
        {
            limit = limit.withTaskBurst(number(n.get("burst"), at + ".burst", 1, 1e9));
        }
        return limit;
    }

    private Durability durability(final JsonNode n) throws ConfigProblem
    {
        final String v = text(n, "journal.durability");
        try
        {
            return Durability.valueOf(v.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            throw problem("journal.durability", "unknown durability '" + v + "'", "async or acknowledged");
        }
    }

    private Map<String, Double> skills(final JsonNode n, final String at) throws ConfigProblem
    {
        final Map<String, Double> out = new LinkedHashMap<>();
        if (n.isMissingNode())
        {
            return out;
        }
        if (!n.isObject())
        {
            throw problem(at, "skills must be a map of skill to proficiency", "e.g. {java: 0.9, sql: 0.6}");
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); )
        {
            final Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), number(e.getValue(), at + "." + e.getKey(), 0, 1));
        }
        return out;
    }

    private JsonNode object(final JsonNode root, final String key, final Set<String> allowed) throws ConfigProblem
    {
        final JsonNode n = root.path(key);
        if (n.isMissingNode())
        {
            return n;
        }
        if (!n.isObject())
        {
            throw problem(key, "'" + key + "' must be a map", allowed.toString());
        }
        keys(n, key, allowed);
        return n;
    }

    /** Adds a problem for each key the map may not have; the checks of its other keys go on. */
    private void keys(final JsonNode n, final String at, final Set<String> allowed)
    {
        for (final Iterator<String> it = n.fieldNames(); it.hasNext(); )
        {
            final String key = it.next();
            if (!allowed.contains(key))
            {
                problems.add(problem(at.isEmpty() ? key : at + "." + key, "unknown key '" + key + "'", new TreeSet<>(allowed).toString()));
            }
        }
    }

    private String text(final JsonNode n, final String at) throws ConfigProblem
    {
        if (!n.isTextual() || n.asText().isBlank())
        {
            throw problem(at, "expected a non-blank string, got " + n, "text");
        }
        return n.asText();
    }

    private boolean bool(final JsonNode n, final String at) throws ConfigProblem
    {
        if (!n.isBoolean())
        {
            throw problem(at, "expected true or false, got " + n, "true or false");
        }
        return n.asBoolean();
    }

    private double number(final JsonNode n, final String at, final double min, final double max) throws ConfigProblem
    {
        if (!n.isNumber() || !(n.asDouble() >= min && n.asDouble() <= max))
        {
            throw problem(at, "expected a number in [" + fmt(min) + ", " + fmt(max) + "], got " + n,
                "a number from " + fmt(min) + " to " + fmt(max));
        }
        return n.asDouble();
    }

    private static String fmt(final double d)
    {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long)d) : Double.toString(d);
    }

    private ConfigProblem problem(final String key, final String what, final String accepts)
    {
        final Integer line = lines.get(key);
        return new ConfigProblem(file + (line == null ? "" : " line " + line) + (key.isEmpty() ? "" : ", key '" + key + "'") +
            ": " + what + (accepts == null ? "" : "; it accepts " + accepts), line == null ? Integer.MAX_VALUE : line);
    }

    /**
     * Makes the adapter of an agent added over the admin endpoint, through its type's factory; on a server thread.
     *
     * @throws IllegalArgumentException for a type the file gives no factory, or an agent the factory cannot make.
     */
    AgentAdapter adapter(final AgentSpec spec)
    {
        final AgentFactory factory = DeclaredTypeFactory.plugin(factories.get(spec.type()));
        if (factory == null)
        {
            throw new IllegalArgumentException("type '" + spec.type() + "' has no agent factory in " + file +
                "; the types with one: " + factories.keySet());
        }
        return FactoryCalls.create(factory, spec);
    }

    /** @return agents per type, in file order, for the start-up line. */
    Map<String, Integer> countByType()
    {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        agents.forEach(a -> counts.merge(a.spec().type(), 1, Integer::sum));
        return counts;
    }
}
