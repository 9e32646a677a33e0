package dev.ringmaster.tools;

import dev.ringmaster.admin.AdminServer;
import dev.ringmaster.admin.DispatcherJmx;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.journal.Durability;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalStats;
import dev.ringmaster.journal.Recovery;
import dev.ringmaster.journal.RecoveryPlan;
import dev.ringmaster.journal.WriterClaim;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.model.Task;
import dev.ringmaster.plugin.PluginRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ringmaster serve}: runs the demo's simulated fleet under a steady, rate-limited workload with the admin
 * endpoint on, until interrupted (Ctrl-C drains); picocli creates one instance per execution and calls it on the
 * executing thread, which waits while a producer thread, the dispatcher and the admin server do the work.
 */
@Command(name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = RingmasterCli.Version.class,
    sortOptions = false,
    description = {
        "Run the demo fleet (15 simulated agents: coder, reviewer, researcher) under a steady workload with the admin "
            + "endpoint on 127.0.0.1, so that 'ringmaster admin ...' has something to talk to.",
        "Prints the URL and the token; Ctrl-C drains the dispatcher and stops.", ""},
    footer = {"", "Exit code: 0 after a clean drain, 1 if the port is taken, the drain timed out, the strategy failed "
            + "every decision or placed no task, or the --journal is damaged or still written by a running process; 2 "
            + "for bad options.",
        "Example: ringmaster serve --port 7171 --token s3cret"})
public final class ServeCommand implements Callable<Integer>
{
    /** Longest a producer burst may be after a stall (GC, a suspended laptop): a tenth of a second of tasks. */
    private static final int MAX_BURST_FRACTION = 10;
    /** Workload ids count up from the journal's highest; ids generated for submitted tasks start this far above. */
    private static final long GENERATED_ID_OFFSET = 1L << 40;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "7070", converter = Port.class,
        description = "Loopback port of the admin endpoint, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--token", paramLabel = "T",
        description = "Bearer token of the admin endpoint (visible to other users in the process list: prefer "
            + "--token-file or $RINGMASTER_ADMIN_TOKEN; default: $RINGMASTER_ADMIN_TOKEN, else a random one, printed once).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
        description = "Read the admin token from FILE, which other users must not be able to read (chmod 600).")
    Path tokenFile;

    @Option(names = "--public-reads",
        description = "Let GET requests in without the token (default: every route but /health and /ready needs it).")
    boolean publicReads;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", converter = DemoCommand.Seed.class,
        description = "Seed of the workload and the simulated outcomes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "2000", converter = DemoCommand.PositiveCount.class,
        description = "Tasks submitted per second to the demo fleet, not with --config (default: ${DEFAULT-VALUE}); the "
            + "fleet keeps up with a few thousand.")
    int rate;

    @Option(names = {"-s", "--strategy"}, paramLabel = "NAME", defaultValue = "least-connections",
        completionCandidates = DemoCommand.StrategyNames.class,
        description = "Routing strategy, one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
        description = "Stop (and drain) after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Mixin
    PluginsOption plugins;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Serve the fleet FILE declares (YAML or JSON: agent types with their agent factory, options, "
            + "agents, skills and speeds; strategy, rate limits, journal, admin) instead of the demo fleet, with no "
            + "generated load: tasks come over POST /tasks. Options given here win over the file.")
    Path configFile;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "Journal every lifecycle event to a Chronicle Queue in DIR. On start, the tasks a previous run "
            + "left open there (a crash, a kill) are dispatched again first; a journal a running process still "
            + "writes is refused (default: no journal).")
    Path journalDir;

    @Option(names = "--durability", paramLabel = "MODE", defaultValue = "async",
        converter = DemoCommand.DurabilityConverter.class,
        description = "With --journal: async or acknowledged, in which the generated tasks and POST /tasks count as "
            + "submitted (202) only once journaled, and a failed journal refuses them (default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--remote-hosts", paramLabel = "N", converter = DemoCommand.PositiveCount.class,
        description = "Run the fleet on N agent-host processes over Aeron UDP on loopback (as demo --remote-hosts); "
            + "GET /agents then shows each agent's host and connection state.")
    Integer remoteHosts;

    /** Where the admin token came from, for the one line that mentions it; "" when it was generated. */
    private String tokenSource;
    /** The exit code once serving ended, for a shutdown hook that ends the JVM with it after a signal. */
    private final AtomicInteger exitCode = new AtomicInteger(-1);

    /** The journal while serving, or null; confined to the executing thread. */
    private DemoJournal journal;
    /**
     * The journal's claim from before the scan, or null; confined to the executing thread. Closed when serving ends,
     * whichever way (a no-op once the journal took it over): a scan, a config or a journal that fails in between
     * would otherwise leave it held, and this JVM would refuse the journal as live for good.
     */
    private WriterClaim claim;
    /** The first workload index: above every task id already in the journal, so ids are never reused. */
    private long firstIndex;

    @Override
    public Integer call() throws Exception
    {
        // open while serving: the strategy, and agents the admin endpoint adds, may run code from its jars
        try (PluginRegistry registry = plugins.open())
        {
            try
            {
                return run(registry);
            }
            finally
            {
                // whichever way the run ended (hosts that did not come up, a port taken, a throw): a journal left open
                // keeps its writer thread and its writer lock, and the next serve or recover on it takes it for live.
                // Here, last: the paths that stop the dispatcher have, so its last records reach the writer
                if (journal != null)
                {
                    journal.close();
                }
                if (claim != null)
                {
                    claim.close();
                }
            }
        }
    }

    private int run(final PluginRegistry registry) throws Exception
    {
        plugins.requireStrategies(registry, List.of(strategy), "--strategy");
        if (durationSeconds < 0)
        {
            throw new ParameterException(spec.commandLine(), "--duration must be 0 (until Ctrl-C) or a number of seconds");
        }
        final String[] source = new String[1];
        final String adminToken = AdminTokens.resolve(spec.commandLine(), token, tokenFile, source);
        tokenSource = source[0];
        final PrintWriter err = spec.commandLine().getErr();

        if (configFile != null && spec.commandLine().getParseResult().hasMatchedOption("--rate"))
        {
            throw new ParameterException(spec.commandLine(), "--rate sets the demo fleet's generated load, and a " +
                "--config fleet gets no generated load (its tasks come over POST /tasks or 'ringmaster admin " +
                "submit'): drop --rate");
        }
        if (configFile != null && remoteHosts != null)
        {
            err.println("error: --remote-hosts serves the demo fleet on agent hosts and --config declares a fleet of " +
                "its own; give one of them");
            err.flush();
            return 2;
        }
        final ServeConfig config = configFile == null ? null : loadConfig(registry);
        if (journalDir == null && (spec.commandLine().getParseResult().hasMatchedOption("--durability") ||
            config != null && config.durability != null))
        {
            // without a journal nothing waits for a record: an acknowledged serve would silently be an unjournaled one
            throw new ParameterException(spec.commandLine(), (config != null && config.durability != null ?
                "journal.durability in " + configFile + " needs journal.dir there, or --journal DIR" :
                "--durability needs --journal DIR") + ": it says when a submission counts as journaled, and without " +
                "a journal nothing is; add e.g. --journal /tmp/journal");
        }
        final Fleet fleet = Fleet.standard();
        final Workload workload = new Workload(seed, 0.0005);
        // room for agents added over the admin endpoint: the clock's hand-over queue is sized from this
        final SimulationClock clock = new SimulationClock(fleet.totalCapacity() * 4);
        final boolean existing = journalDir != null && DemoRecovery.exists(journalDir);
        // claimed before the scan, and taken over by the journal opened below: a serve or recover started meanwhile
        // finds the journal taken instead of scanning the same open tasks
        claim = existing ? WriterClaim.take(journalDir) : null;
        boolean live = existing && claim == null;
        final dev.ringmaster.journal.PayloadCodec recorded = existing ? DemoRecovery.codecOf(journalDir) : null;
        final RecoveryPlan plan = existing ? Recovery.scan(journalDir, recorded) : null;
        final FollowedEnds recoveredEnds = new FollowedEnds(); // GET /tasks/{id} answers for them once the endpoint is up
        live |= existing && Journal.isBeingWritten(journalDir);
        if (live)
        {
            clock.close();
            err.println("error: a running process still writes the journal " + journalDir + " (it holds the " +
                "journal's writer lock); the tasks open in it (" + plan.open() + ") are in that process's hands, and " +
                "dispatching them again would run them twice. Stop that process (or let it finish) and serve again, " +
                "or give --journal a directory of its own");
            err.flush();
            return 1;
        }
        if (plan != null && plan.corruption() != null)
        {
            clock.close();
            err.println("error: the journal is damaged, so serving on it would leave the tasks journaled after the " +
                "damage unrecovered: " + plan.corruption().getMessage() + ". " + (recorded == WorkCodec.SERVE_CONFIG ?
                // recover dispatches on the demo's fleet and refuses this journal's tasks: it is no way out here
                "Move the damaged file aside (its tasks stay lost; 'ringmaster recover " + journalDir + " --dry-run' " +
                    "lists what can be read) and serve again" :
                "Run './ringmaster recover " + journalDir + " --accept-damage' to dispatch what can be read, or move " +
                    "the damaged file aside"));
            err.flush();
            return 1;
        }
        if (config == null && recorded == WorkCodec.SERVE_CONFIG)
        {
            clock.close();
            err.println("error: the journal " + journalDir + " was written by 'ringmaster serve --config': its open " +
                "tasks belong to the fleet that file declares, not the demo's; serve it with the same file: " +
                "'ringmaster serve --config FILE --journal " + journalDir + "'");
            err.flush();
            return 2;
        }
        final Dispatcher.Builder builder = Dispatcher.builder().pluginClassLoader(registry.classLoader())
            .strategy(strategy).seed(seed).queueCapacity(16_384);
        if (config != null)
        {
            config.agents.forEach(a -> builder.agent(a.spec(), a.adapter()));
            config.factories.values().forEach(builder::agentFactory);
            config.rateLimits.forEach(builder::rateLimit);
        }
        if (journalDir != null)
        {
            // an existing journal keeps the name it records (serve --config journals from before it had its own)
            journal = DemoJournal.open(journalDir, durability, recorded instanceof WorkCodec w ? w :
                config != null ? WorkCodec.SERVE_CONFIG : WorkCodec.INSTANCE);
            builder.listener(journal.listener());
        }
        final AtomicInteger nextIndex = new AtomicInteger(fleet.profiles().size());
        final RemoteDemo remote = remoteHosts == null ? null : new RemoteDemo(remoteHosts, 0, seed, 0);
        if (remote != null)
        {
            remote.prepare(builder);
        }
        else if (config == null)
        {
            fleet.register(builder, seed, clock);
            fleet.registerFactories(builder, seed, clock, nextIndex);
        }
        final Dispatcher dispatcher = FactoryCalls.start(builder, config, configFile);
        if (remote != null)
        {
            try
            {
                remote.start(dispatcher);
            }
            catch (final java.io.IOException | RuntimeException e)
            {
                remote.close();
                dispatcher.shutdownNow();
                dispatcher.awaitTermination(Duration.ofSeconds(5));
                clock.close();
                err.println("error: the agent hosts did not come up: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
        if (plan != null)
        {
            plan.notes().forEach(note -> err.println("note: " + note)); // e.g. a roll a crash interrupted: nothing lost
            firstIndex = plan.maxTaskId() + 1;
            if (!plan.pending().isEmpty())
            {
                final List<RejectedTaskException> refusals = new java.util.ArrayList<>();
                final long refused = journal.redispatch(plan, dispatcher, Duration.ofSeconds(10), recoveredEnds::add,
                    refusals::add);
                err.printf("recovered %,d task(s) left open in %s%s%n", plan.pending().size() - refused, journalDir,
                    refused > 0 ? "; " + refused + " refused (they stay open in the journal): " +
                        ServeShutdown.refusals(refusals) : "");
                err.flush();
            }
        }
        // tasks submitted over the endpoint take generated ids: far above the workload's, so the two never collide
        Task.reserveIdsAbove(firstIndex + GENERATED_ID_OFFSET);

        final AdminServer server;
        try
        {
            final AdminServer.Builder admin = AdminServer.builder(dispatcher);
            if (journal != null && journal.submitter() != null)
            {
                admin.submitter(journal.submitter()); // acknowledged: POST /tasks answers once the task is journaled
            }
            server = admin.port(port).token(adminToken).publicReads(publicReads)
                .agentDetails(remote == null ? id -> java.util.Map.of() : remote.fleet()::agentDetails)
                .readiness(() -> journal == null || journal.stats().failure() == null ? null :
                    "the journal's writer stopped: " + journal.stats().failure())
                .changes(change -> // every change through the endpoint journaled too: what, when, from where
                {
                    if (journal != null)
                    {
                        journal.recordAdmin(change);
                    }
                })
                // an added agent is simulated like the others; its weight is its speed (1, 2, 4 or 8 in the fleet)
                .adapters(config != null ? config::adapter : spec -> new SimulatedAgent(spec, nextIndex.getAndIncrement(),
                    Math.max(1, Math.min(8, spec.weight())), 0.01, seed, clock))
                .start();
            recoveredEnds.followWith(server::follow);
        }
        catch (final UncheckedIOException e)
        {
            if (remote != null)
            {
                remote.close();
            }
            dispatcher.shutdownNow();
            dispatcher.awaitTermination(Duration.ofSeconds(5));
            clock.close();
            err.println("error: " + e.getMessage() + " (--port)");
            err.flush();
            return 1;
        }

        final AtomicLongArray statuses = new AtomicLongArray(SubmitStatus.values().length);
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread producer = new Thread(() -> produce(dispatcher, workload, statuses, stop), "serve-producer");
        producer.setDaemon(true);
        if (config == null)
        {
            producer.start(); // a declared fleet serves what its clients submit, nothing generated
        }
        final Thread hook = new Thread(new ServeShutdown(stop, finished, exitCode, () ->
        {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
        }, Runtime.getRuntime()::halt), "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try
        {
            final String fleetLine = config == null ? AdminText.count(fleet.profiles().size(), "agent") + " " +
                fleet.countByType() + ", strategy " + dispatcher.strategy() + ", " +
                String.format(java.util.Locale.ROOT, "%,d", rate) + " tasks/s, seed " + seed :
                AdminText.count(config.agents.size(), "agent") + " " + config.countByType() + " from " + configFile +
                    ", strategy " + dispatcher.strategy();
            final int code = serve(dispatcher, server, clock, adminToken, stop, producer, statuses, fleetLine);
            exitCode.set(code);
            return code;
        }
        finally
        {
            if (remote != null)
            {
                remote.close();
            }
            // whatever happened, let a Ctrl-C hook return, so the JVM does not wait for its timeout
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // Ctrl-C: the hook is running and returns now that we are finished
            }
        }
    }

    /**
     * Loads the fleet file; what it sets applies where no option on the command line did.
     *
     * @throws ParameterException naming the line, the key and what it accepts, before anything starts.
     */
    private ServeConfig loadConfig(final PluginRegistry registry)
    {
        final ServeConfig config;
        try
        {
            config = ServeConfig.load(configFile, registry.classLoader());
        }
        catch (final ConfigProblem e)
        {
            throw new ParameterException(spec.commandLine(), "--config " + e.getMessage());
        }
        final CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (config.strategy != null && !given.hasMatchedOption("--strategy"))
        {
            strategy = config.strategy;
        }
        if (config.port != null && !given.hasMatchedOption("--port"))
        {
            port = config.port;
        }
        publicReads |= Boolean.TRUE.equals(config.publicReads);
        if (config.journalDir != null && journalDir == null)
        {
            journalDir = config.journalDir;
        }
        if (config.durability != null && !given.hasMatchedOption("--durability"))
        {
            durability = config.durability;
        }
        return config;
    }

    /** Announces the endpoint, waits for the stop, drains and reports. @return the exit code. */
    private int serve(final Dispatcher dispatcher, final AdminServer server, final SimulationClock clock,
                      final String adminToken, final CountDownLatch stop, final Thread producer,
                      final AtomicLongArray statuses, final String fleetLine) throws InterruptedException
    {
        // the port makes the name unique when several serve processes, or tests, share a JVM
        final DispatcherJmx jmx = DispatcherJmx.register(dispatcher, "serve-" + server.port());
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        out.println("ringmaster serve: " + fleetLine);
        out.println("admin endpoint: " + server.url() + " (and JMX: " + jmx.objectName() + ")");
        // the token is printed once, and only when it was generated: a given one is already known to its owner
        out.println("admin token:    " + (tokenSource.isEmpty() ? adminToken : "from " + tokenSource));
        out.println("try:            export RINGMASTER_ADMIN_URL=" + server.url() +
            " RINGMASTER_ADMIN_TOKEN=<the token>; ./ringmaster admin status");
        out.println(durationSeconds > 0 ? "stops after " + durationSeconds + " s" : "Ctrl-C drains and stops.");
        out.flush();

        try
        {
            if (durationSeconds > 0)
            {
                stop.await(durationSeconds, TimeUnit.SECONDS);
            }
            else
            {
                stop.await();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        stop.countDown();
        producer.join(TimeUnit.SECONDS.toMillis(5));

        out.println("draining: no new tasks; every accepted task finishes, expires or is dead-lettered ...");
        out.flush();
        // the endpoint stays up while draining, so 'admin status' shows the drain
        final boolean drained = ServeShutdown.drain(dispatcher, err, Duration.ofSeconds(30), journalDir);
        server.close();
        jmx.close();
        final MetricsSnapshot m = dispatcher.metrics();
        clock.close();
        String journalError = null;
        if (journal != null)
        {
            dispatcher.close(); // before the journal: its last records must reach the writer
            journal.close();
            final JournalStats j = journal.stats();
            // the writer counts what it appends, and one record may hold two events (an acceptance and its assignment,
            // or a start and its outcome), so replay and recover, which count events, report more: say so, or an
            // operator suspects a loss
            out.printf("journal %s (%s): %,d records written (a record may hold two events; replay counts events)%s%n",
                journalDir, journal.durability(), j.recordsWritten(), journal.submitter() == null ? "" :
                    String.format(java.util.Locale.ROOT, "; %,d generated tasks acknowledged", journal.acknowledged()));
            if (j.failure() != null || j.dropped() > 0)
            {
                journalError = "the journal did not record everything: " + j.dropped() + " record(s) dropped" +
                    (j.failure() == null ? "" : "; its writer failed: " + j.failure()) +
                    " (check the journal directory's disk space and permissions)";
            }
        }
        out.printf("served %s: %,d completed, %,d dead-lettered, %,d expired, %,d cancelled; %,d refused " +
                "(queue full); %,d outstanding%n", AdminText.count(m.accepted(), "task"), m.completed(), m.deadLettered(), m.expired(),
            m.cancelled(), statuses.get(SubmitStatus.QUEUE_FULL.ordinal()) + statuses.get(SubmitStatus.RING_FULL.ordinal()),
            m.outstanding());
        out.flush();
        if (journalError != null)
        {
            err.println("error: " + journalError);
            err.flush();
        }
        // as demo: a strategy that failed every decision, or placed nothing, served through the fallback or not at all
        final StrategyFailure strategyFailure = StrategyFailure.of(m);
        if (strategyFailure != null)
        {
            err.println("error: " + strategyFailure.describe());
            err.flush();
        }
        return drained && journalError == null && strategyFailure == null ? 0 : 1;
    }

    /**
     * Submits the workload at {@code rate} tasks per second without blocking on the dispatcher: a full queue (a paused
     * type) refuses the task, which is counted, so that the queues stay moderate and an operator sees backpressure
     * instead of a stall. With an acknowledged journal each task goes through its acknowledged submit, as in demo,
     * waiting only when {@value DemoJournal#ACK_WINDOW} acknowledgements are outstanding.
     */
    private void produce(final Dispatcher dispatcher, final Workload workload, final AtomicLongArray statuses,
                         final CountDownLatch stop)
    {
        // acknowledged: through the journal, as demo does, with a window of acknowledgements outstanding
        final DemoJournal.Producer acked = journal == null || journal.submitter() == null ? null :
            journal.producer(dispatcher, Duration.ZERO);
        try
        {
            produce(dispatcher, workload, statuses, stop, acked);
            if (acked != null)
            {
                acked.finish();
            }
        }
        catch (final java.util.concurrent.CompletionException e)
        {
            // an accepted task's record was never written: the writer failed, which the end of the run reports
            statuses.incrementAndGet(SubmitStatus.JOURNAL_FAILED.ordinal());
        }
    }

    private void produce(final Dispatcher dispatcher, final Workload workload, final AtomicLongArray statuses,
                         final CountDownLatch stop, final DemoJournal.Producer acked)
    {
        final long start = System.nanoTime();
        final long maxBurst = Math.max(1, rate / MAX_BURST_FRACTION);
        long next = 0;
        long skipped = 0;
        while (stop.getCount() > 0)
        {
            final long due = (System.nanoTime() - start) * rate / 1_000_000_000L - skipped;
            if (due - next > maxBurst)
            {
                skipped += due - next - maxBurst;
            }
            final long target = Math.min(due, next + maxBurst);
            while (next < target)
            {
                final Task task = workload.task(firstIndex + next++);
                final SubmitStatus status = acked == null ? dispatcher.submit(task) : acked.submit(task);
                statuses.incrementAndGet(status.ordinal());
                if (status == SubmitStatus.NOT_RUNNING)
                {
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Parses a TCP port in [0, 65535]; stateless. */
    static final class Port implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            try
            {
                final int p = Integer.parseInt(value);
                if (p >= 0 && p <= 65_535)
                {
                    return p;
                }
            }
            catch (final NumberFormatException ignored)
            {
                // reported below with the fix
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a port; give one in [0, 65535], " +
                "0 for any free one");
        }
    }
}
