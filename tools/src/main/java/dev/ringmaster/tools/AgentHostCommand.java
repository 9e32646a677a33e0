package dev.ringmaster.tools;

import dev.ringmaster.autoscale.AgentFactories;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.plugin.PluginRegistry;
import dev.ringmaster.remote.AgentHost;
import dev.ringmaster.remote.RemoteSettings;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code ringmaster agent-host}: hosts agents for a dispatcher on another process or machine, over Aeron, until the
 * process is stopped; picocli creates one instance per execution and calls it on the executing thread.
 */
@Command(name = "agent-host",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Host agents for a dispatcher over Aeron (UDP): register them (id, type, capacity, skills, speed) when the "
            + "dispatcher answers, run the tasks it sends, send back completions and heartbeats. Runs until stopped "
            + "(Ctrl-C or SIGTERM); a dispatcher not reachable yet is waited for, and one that goes silent is "
            + "registered with again when it comes back. A dispatcher that refuses the agents (e.g. an agent id it "
            + "already has) ends the run: restarted unchanged, the host would be refused again. A dispatcher that "
            + "cannot add them yet (not started, its slots full) is waited for: it says why in its log.",
        "",
        "Agents: --fleet demo (the demo's 15 simulated agents) and/or --agent FACTORY:TYPE[:COUNT] from the agent "
            + "factories (./ringmaster plugins lists them: echo, openai-http, any in --plugins DIR). Agent ids get "
            + "'@HOST_ID' appended, so that several hosts can serve one dispatcher.",
        ""},
    footer = {"", "Exit code: 0 when stopped, 1 if the host could not start or the dispatcher refused it (the "
        + "dispatcher's reason and the fix are printed), 2 for bad options.",
        "Example: ringmaster agent-host --host-id gpu-1 --agent echo:coder:4 --dispatcher 127.0.0.1:40400"})
public final class AgentHostCommand implements Callable<Integer>
{
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** How often the waiting thread looks for a refusal: an operator waits at most this long for the error line. */
    private static final long REFUSAL_CHECK_MILLIS = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--host-id", paramLabel = "ID",
        description = "This host's name, unique among the dispatcher's hosts (default: host-<pid>).")
    String hostId;

    @Option(names = "--dispatcher", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:40400",
        converter = Endpoint.class, description = "Where the dispatcher receives (default: ${DEFAULT-VALUE}).")
    String dispatcher;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0", converter = Endpoint.class,
        description = "Where this host receives tasks; port 0 picks a free one (default: ${DEFAULT-VALUE}, "
            + "loopback only: give this machine's address to serve a dispatcher elsewhere).")
    String listen;

    @Option(names = "--fleet", paramLabel = "NAME",
        description = "Host a whole named fleet: 'demo' is the demo's 15 simulated agents.")
    String fleet;

    @Option(names = "--agent", paramLabel = "FACTORY:TYPE[:COUNT]",
        description = "Host COUNT (default 1) agents of TYPE from the agent factory FACTORY; repeatable.")
    List<String> agents = new ArrayList<>();

    @Option(names = "--agent-option", paramLabel = "KEY=VALUE",
        description = "An option for the agent factories, e.g. capacity=4; repeatable.")
    Map<String, String> agentOptions = new LinkedHashMap<>();

    @Option(names = "--threads", paramLabel = "N", converter = NonNegative.class,
        description = "Threads that run tasks; 0 runs them on the poller, for asynchronous agents only "
            + "(default: 0 with only --fleet demo, else 2).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", converter = DemoCommand.Seed.class,
        description = "With --fleet demo: the seed of the simulated outcomes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "The Aeron media driver's directory (default: a fresh one for an embedded driver).")
    String aeronDir;

    @Option(names = "--external-driver",
        description = "Use a media driver already running at --aeron-dir instead of starting one in this process.")
    boolean externalDriver;

    @Option(names = "--heartbeat", paramLabel = "TIME", defaultValue = "100ms", converter = BenchCommand.Time.class,
        description = "How often to tell the dispatcher this host is alive (default: ${DEFAULT-VALUE}).")
    long heartbeatNanos;

    @Option(names = "--silence-timeout", paramLabel = "TIME", defaultValue = "1s", converter = BenchCommand.Time.class,
        description = "Register again after the dispatcher has been silent this long (default: ${DEFAULT-VALUE}).")
    long silenceNanos;

    @Mixin
    PluginsOption plugins;

    @Override
    public Integer call() throws Exception
    {
        final String id = hostId != null ? hostId : "host-" + ProcessHandle.current().pid();
        if (!ID.matcher(id).matches())
        {
            throw new ParameterException(spec.commandLine(), "--host-id '" + id + "' is not a host id; use 1-64 " +
                "letters, digits and . _ : - (e.g. gpu-1)");
        }
        if (fleet == null && agents.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "no agents to host; give --fleet demo and/or " +
                "--agent FACTORY:TYPE[:COUNT] (e.g. --agent echo:coder:2)");
        }
        if (fleet != null && !"demo".equals(fleet))
        {
            throw new ParameterException(spec.commandLine(), "--fleet '" + fleet + "' is not a fleet; the only " +
                "named fleet is 'demo'");
        }
        if (externalDriver && aeronDir == null)
        {
            throw new ParameterException(spec.commandLine(), "--external-driver needs --aeron-dir DIR: the " +
                "directory of the running media driver");
        }
        final RemoteSettings settings;
        try
        {
            settings = RemoteSettings.loopback().withDispatcherEndpoint(dispatcher).withHostEndpoint(listen)
                .withAeronDir(aeronDir, externalDriver)
                .withTimeouts(Duration.ofNanos(heartbeatNanos), Duration.ofNanos(silenceNanos));
        }
        catch (final IllegalArgumentException e)
        {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (PluginRegistry registry = plugins.open())
        {
            final List<Map.Entry<AgentSpec, AgentAdapter>> hosted = new ArrayList<>();
            SimulationClock clock = null;
            if (fleet != null)
            {
                clock = DemoHost.addDemoFleet(hosted, id, seed);
            }
            for (final String a : agents)
            {
                addFactoryAgents(hosted, id, a, registry.classLoader());
            }
            final int runThreads = threads != null ? threads : agents.isEmpty() ? 0 : 2;
            return serve(new AgentHost(id, settings, RemoteCodec.INSTANCE, hosted, runThreads), clock);
        }
    }

    private int serve(final AgentHost host, final SimulationClock clock) throws Exception
    {
        final CountDownLatch stopped = new CountDownLatch(1);
        final Runnable close = () ->
        {
            host.close();
            if (clock != null)
            {
                clock.close();
            }
        };
        host.start();
        final Thread hook = new Thread(() ->
        {
            close.run();
            stopped.countDown();
        }, "agent-host-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("agent-host " + host.hostId() + ": receiving on " + host.endpoint() + ", dispatcher at " +
                dispatcher + "; stop with Ctrl-C");
            err.flush();
            // a dispatcher not heard yet is only waited for; a refusal is final, since the host says HELLO no more
            // and its agents would be refused again: left running, it would look served while it never gets a task
            while (!stopped.await(REFUSAL_CHECK_MILLIS, TimeUnit.MILLISECONDS))
            {
                final String refused = host.refusal();
                if (refused != null)
                {
                    err.println("error: " + refused + " (dispatcher at " + dispatcher + ")");
                    err.flush();
                    return 1;
                }
            }
            return 0;
        }
        finally
        {
            // not stopped by a signal (refused, or the waiting thread interrupted): close here, not at JVM exit
            if (stopped.getCount() > 0 && removeHook(hook))
            {
                close.run();
            }
        }
    }

    /** @return false if the JVM is already shutting down, and the hook then closes the host. */
    private static boolean removeHook(final Thread hook)
    {
        try
        {
            return Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException e)
        {
            return false;
        }
    }

    private void addFactoryAgents(final List<Map.Entry<AgentSpec, AgentAdapter>> hosted, final String id,
                                  final String value, final ClassLoader loader) throws Exception
    {
        final String[] parts = value.split(":");
        int count = 1;
        if (parts.length == 3)
        {
            try
            {
                count = Integer.parseInt(parts[2]);
            }
            catch (final NumberFormatException e)
            {
                count = 0;
            }
        }
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank() || count < 1)
        {
            throw new ParameterException(spec.commandLine(), "--agent '" + value + "' is not FACTORY:TYPE[:COUNT] " +
                "with COUNT >= 1; e.g. --agent echo:coder:2");
        }
        final AgentFactory factory;
        try
        {
            factory = AgentFactories.create(parts[0], parts[1], agentOptions, loader);
        }
        catch (final IllegalArgumentException e)
        {
            throw new ParameterException(spec.commandLine(), "--agent '" + value + "': " + e.getMessage());
        }
        for (int i = 1; i <= count; i++)
        {
            final String agentId = parts[1] + "-" + (hosted.size() + 1) + "@" + id;
            try
            {
                final AgentSpec s = factory.spec(agentId);
                hosted.add(Map.entry(s, factory.create(s)));
            }
            catch (final RuntimeException | Error e) // a plugin's AssertionError or NoClassDefFoundError too
            {
                throw new IllegalStateException("--agent '" + value + "': agent factory '" + parts[0] +
                    "' could not make agent '" + agentId + "': " + e + "; fix the plugin, or host another factory " +
                    "(./ringmaster plugins --plugins DIR lists them)", e);
            }
        }
    }

    /** Parses HOST:PORT (a port from 0 to 65535), with a message that names the fix; stateless. */
    static final class Endpoint implements CommandLine.ITypeConverter<String>
    {
        @Override
        public String convert(final String value)
        {
            final int colon = value.lastIndexOf(':');
            int port = -1;
            if (colon > 0)
            {
                try
                {
                    port = Integer.parseInt(value.substring(colon + 1));
                }
                catch (final NumberFormatException e)
                {
                    port = -1;
                }
            }
            if (port < 0 || port > 65_535)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not HOST:PORT; give an address " +
                    "and a port from 0 to 65535, e.g. 127.0.0.1:40400");
            }
            return value;
        }
    }

    /** Parses a count >= 0, with a message that names the fix; stateless. */
    static final class NonNegative implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            try
            {
                final int n = Integer.parseInt(value.replace("_", ""));
                if (n >= 0 && n <= 256)
                {
                    return n;
                }
            }
            catch (final NumberFormatException e)
            {
                // said below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a thread count; give 0 to 256");
        }
    }
}
