package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.remote.RemoteFleet;
import dev.ringmaster.remote.RemoteSettings;
import dev.ringmaster.remote.RemoteStats;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo across agent-host processes: starts N child JVMs of this same program ({@code agent-host --fleet demo})
 * over UDP loopback, optionally kills one with {@code kill -9} part-way, and counts what happened to the killed host's
 * tasks; driven by the demo's thread, its listener called by whichever thread holds the dispatcher's routing role.
 */
final class RemoteDemo implements DispatchListener, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDemo.class);

    /** What the remote part of a demo run did; immutable. */
    record Summary(int hosts, int hostsKilled, RemoteStats stats, long killedHostTasks, long completedElsewhere,
                   long deadLetteredAfterLoss, long completedOnKilledHost, String killedHost)
    {
    }

    private static final String VICTIM = "host-1";

    private final int hostCount;
    private final long killAfterNanos;
    private final long seed;
    private final List<Process> hosts = new ArrayList<>();
    private final List<Path> aeronDirs = new ArrayList<>();
    private final int tasks;
    /** By task id (0 to tasks - 1); the listener is called one call at a time, each ordered after the previous. */
    private final BitSet completed;
    private final BitSet completedOnKilledHost;
    private final BitSet deadLettered;
    private Path workDir;
    private volatile RemoteFleet fleet;
    private volatile String killedHost;
    private Thread killer;

    /** @param killAfterNanos when to kill the first host after production starts; 0 for never. */
    RemoteDemo(final int hostCount, final long killAfterNanos, final long seed, final int tasks)
    {
        this.tasks = tasks;
        this.completed = new BitSet(tasks);
        this.completedOnKilledHost = new BitSet(tasks);
        this.deadLettered = new BitSet(tasks);
        this.hostCount = hostCount;
        this.killAfterNanos = killAfterNanos;
        this.seed = seed;
    }

    /** Gives the builder the placeholder agent and this listener, instead of the in-process fleet. */
    Dispatcher.Builder prepare(final Dispatcher.Builder builder)
    {
        return RemoteFleet.placeholder(builder).listener(this);
    }

    /** Starts the remote link and the host processes, and waits until every host's agents are in the dispatcher. */
    void start(final Dispatcher dispatcher) throws IOException, InterruptedException
    {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        workDir = Files.createTempDirectory("ringmaster-remote-demo");
        fleet = RemoteFleet.start(dispatcher, RemoteSettings.loopback().withDispatcherEndpoint("127.0.0.1:" + port),
            RemoteCodec.INSTANCE);
        for (int i = 1; i <= hostCount; i++)
        {
            hosts.add(startHost("host-" + i, port));
        }
        LOG.info("started {} agent-host process(es); their logs are in {}", hostCount, workDir);
        final int expected = Fleet.standard().profiles().size() * hostCount + 1;
        final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (fleet.connectedHosts() < hostCount || dispatcher.agents().size() < expected)
        {
            for (final Process p : hosts)
            {
                if (!p.isAlive())
                {
                    throw new IllegalStateException("an agent-host process exited with " + p.exitValue() +
                        " before registering; see its log in " + workDir);
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("only " + fleet.connectedHosts() + " of " + hostCount +
                    " agent hosts registered within 90 s; see their logs in " + workDir);
            }
            Thread.sleep(20);
        }
        LOG.info("{} agent host(s) registered {} agents over Aeron UDP on 127.0.0.1:{}", hostCount, expected - 1,
            port);
    }

    private Process startHost(final String hostId, final int port) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // the flags this JVM was started with that the program needs (module openings, Chronicle's settings)
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle."))
            {
                cmd.add(arg);
            }
        }
        // the driver's files on the default Aeron directory's file system (/dev/shm on Linux), not the disk
        final Path aeronDir = Path.of(io.aeron.CommonContext.getAeronDirectoryName() + "-demo-" + hostId + "-" +
            ProcessHandle.current().pid());
        aeronDirs.add(aeronDir);
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            RingmasterCli.class.getName(), "agent-host", "--host-id", hostId, "--dispatcher", "127.0.0.1:" + port,
            "--fleet", "demo", "--seed", String.valueOf(seed), "--aeron-dir", aeronDir.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(workDir.resolve(hostId + ".log").toFile()).start();
    }

    /** @return the remote link, once {@link #start} has run. */
    RemoteFleet fleet()
    {
        return fleet;
    }

    /** Called as production starts: arms the kill, if one was asked for. */
    void producing()
    {
        if (killAfterNanos <= 0)
        {
            return;
        }
        killer = new Thread(() ->
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(killAfterNanos);
            }
            catch (final InterruptedException e)
            {
                return;
            }
            final Process victim = hosts.get(0);
            killedHost = VICTIM;
            LOG.warn("killing agent host '{}' (pid {}) with kill -9", VICTIM, victim.pid());
            victim.destroyForcibly();
        }, "remote-demo-killer");
        killer.setDaemon(true);
        killer.start();
    }

    @Override
    public void onCompleted(final TaskView task, final AgentView agent, final long tokensUsed, final long nanos)
    {
        final long id = task.task().id();
        if (id >= 0 && id < tasks)
        {
            completed.set((int)id);
            // the victim is always host-1; a dead host completes nothing, so this was before the kill
            if (agent.id().endsWith("@" + VICTIM))
            {
                completedOnKilledHost.set((int)id);
            }
        }
    }

    @Override
    public void onDeadLettered(final TaskView task, final String reason, final long nanos)
    {
        final long id = task.task().id();
        if (id >= 0 && id < tasks)
        {
            deadLettered.set((int)id);
        }
    }

    /** @return the summary; call once the dispatcher has terminated (no listener call is running). */
    Summary summary()
    {
        final RemoteFleet f = fleet;
        long elsewhere = 0;
        long dead = 0;
        long onKilled = 0;
        final java.util.Set<Long> lost = f == null ? java.util.Set.of() : f.tasksOfLostHosts();
        for (final long id : lost)
        {
            if (id < 0 || id >= tasks)
            {
                continue;
            }
            if (completed.get((int)id))
            {
                elsewhere += completedOnKilledHost.get((int)id) ? 0 : 1;
                onKilled += completedOnKilledHost.get((int)id) ? 1 : 0;
            }
            else if (deadLettered.get((int)id))
            {
                dead++;
            }
        }
        return new Summary(hostCount, killedHost == null ? 0 : 1, f == null ? null : f.stats(), lost.size(),
            elsewhere, dead, onKilled, killedHost);
    }

    /** Stops the kill timer, the hosts (gracefully, then by force) and the remote link; deletes the Aeron dirs. */
    @Override
    public void close()
    {
        if (killer != null)
        {
            killer.interrupt();
        }
        for (final Process p : hosts)
        {
            p.destroy();
        }
        for (final Process p : hosts)
        {
            try
            {
                if (!p.waitFor(10, TimeUnit.SECONDS))
                {
                    p.destroyForcibly();
                }
            }
            catch (final InterruptedException e)
            {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (fleet != null)
        {
            fleet.close();
        }
        // a killed host leaves its media driver's files behind
        for (final Path dir : aeronDirs)
        {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException e)
        {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
