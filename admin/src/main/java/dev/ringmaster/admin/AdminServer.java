package dev.ringmaster.admin;

import com.sun.net.httpserver.HttpServer;
import dev.ringmaster.admin.internal.AdminHandler;
import dev.ringmaster.admin.internal.HostCheck;
import dev.ringmaster.admin.internal.Probes;
import dev.ringmaster.dispatch.Dispatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * An HTTP admin endpoint for one running {@link Dispatcher}, bound to loopback only and off until {@link Builder#start}
 * is called; requests are served on the server's own small fixed pool of daemon threads, never on the dispatcher's,
 * and {@link #close} may be called from any thread.
 *
 * <p>Routes, JSON in and out (GET unless noted; POST and DELETE need {@code Authorization: Bearer <token>}, and are audited):
 * <ul>
 *   <li>{@code /status}: run state, counters, throughput, Gini, outstanding, overloaded agents, latency per stage;</li>
 *   <li>{@code /queue-depth}: tasks waiting per priority and per agent type;</li>
 *   <li>{@code /agents}: per agent load, utilization, overloaded and draining flags, in flight, counts;</li>
 *   <li>{@code /distribution}: tasks and tokens per agent, Gini by count and by tokens;</li>
 *   <li>{@code /dead-letters?limit=N}: the most recent dead letters with reasons;</li>
 *   <li>{@code /types}: agent types and whether each is paused;</li>
 *   <li>POST {@code /types/{type}/pause}, POST {@code /types/{type}/resume};</li>
 *   <li>POST {@code /agents/{id}/drain?wait=S} and DELETE {@code /agents/{id}}: graceful removal, 200 once the agent
 *       left, 202 if it still finishes its tasks after the wait;</li>
 *   <li>POST {@code /agents} with {@code {"id","type","capacity","weight","speed","skills":{name: proficiency}}}:
 *       adds an agent whose adapter comes from the embedder's {@link AdapterSupplier};</li>
 *   <li>POST {@code /tasks/{id}/priority} with {@code {"priority":"CRITICAL"}}: the re-prioritize outcome and reason;</li>
 *   <li>POST {@code /tasks} with {@code {"type","priority","skills":[..],"tenant","ttl_s","timeout_s","max_retries",
 *       "affinity_key","cost_tokens","payload"}}: 202 with the task id (with a {@link Builder#submitter}, once it
 *       acknowledged the task), or the refusal with its reason (422, 429 with Retry-After, 409, 503);</li>
 *   <li>GET {@code /tasks/{id}}: waiting, assigned (to which agent), or its end with the answer;
 *       POST {@code /tasks/{id}/cancel} and DELETE {@code /tasks/{id}}: cancels a task that has not started;</li>
 *   <li>POST {@code /dead-letters/{task id}/requeue}, DELETE {@code /dead-letters}: requeue one (as POST /tasks
 *       submits: through the submitter, and followed by GET /tasks/{id}), purge the list;</li>
 *   <li>POST {@code /types/{type}/scale} with {@code {"agents": N}}: N agents of the type, new ones from its agent
 *       factory, surplus ones drained;</li>
 *   <li>GET {@code /audit?limit=N}: the changes asked of the endpoint, what, when, from where, and how they ended.</li>
 * </ul>
 * and, for probes and scrapers, {@code /health} (200 while the endpoint answers), {@code /ready} (200, or 503 with the
 * reasons) and {@code /metrics} (Prometheus text, {@code ringmaster_} series, see {@link DispatcherMetrics}).
 * Every route but {@code /health} and {@code /ready} needs the token unless {@link Builder#publicReads}; a
 * {@code Host} header that is not a loopback name is refused (421), against DNS rebinding; {@code HEAD} answers like
 * {@code GET} without a body. Errors are {@code {"error": ..., "fix": ...}} with 400, 401, 404, 405, 409, 413, 421, 422,
 * 429, 500, 502 or 503.
 */
public final class AdminServer implements AutoCloseable
{
    /** Seconds a client may take to send its request, after which the JDK server closes the connection. */
    static final int READ_TIMEOUT_SECONDS = 5;
    /** The names the endpoint takes for types, agent ids and tenants: see {@link #isValidName}. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    static
    {
        // read by the JDK server's configuration when its class loads: set them before the first server exists,
        // unless the embedder chose its own; without them a client that never finishes its headers holds a thread
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null)
        {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(READ_TIMEOUT_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.idleInterval") == null)
        {
            System.setProperty("sun.net.httpserver.idleInterval", "30");
        }
    }

    private final HttpServer server;
    private final AdminHandler handler;
    private final ExecutorService executor;
    /** Reads the metrics once a second, so the last minute's window has a slot per second (see MetricsSnapshot). */
    private final ScheduledExecutorService windowTicker;

    private AdminServer(final HttpServer server, final AdminHandler handler, final ExecutorService executor,
                        final ScheduledExecutorService windowTicker)
    {
        this.server = server;
        this.handler = handler;
        this.executor = executor;
        this.windowTicker = windowTicker;
    }

    private static ScheduledExecutorService tickWindow(final Dispatcher dispatcher)
    {
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "ringmaster-admin-window");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() ->
        {
            try
            {
                dispatcher.metrics(); // its reads fill the window's current slot
            }
            catch (final RuntimeException e)
            {
                // a throwing periodic task is never run again: log and tick on
                LoggerFactory.getLogger(AdminServer.class).warn("reading the dispatcher's metrics failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        return ticker;
    }

    /**
     * @return whether the endpoint accepts {@code name} as an agent type, agent id or tenant: 1 to 128 letters, digits
     *     and {@code . _ : @ -}, starting with a letter or digit. A fleet configured with another type name could
     *     never be sent a task over HTTP. Stateless.
     */
    public static boolean isValidName(final String name)
    {
        return name != null && NAME.matcher(name).matches();
    }

    /** @return a builder for an endpoint of this dispatcher; set the token, then {@code start()}. */
    public static Builder builder(final Dispatcher dispatcher)
    {
        return new Builder(dispatcher);
    }

    /** @return the port the server is bound to (the ephemeral one if it was started with port 0). */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:7070}. */
    public String url()
    {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    /** @return the address the server listens on, always a loopback address. */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /**
     * Keeps the end of a task the embedder submitted itself (one recovered from a journal on start, say) for
     * {@code GET /tasks/{id}}, as for the tasks {@code POST /tasks} submitted; any thread.
     */
    public void follow(final java.util.concurrent.CompletionStage<dev.ringmaster.dispatch.TaskResult> end)
    {
        handler.follow(end);
    }

    /** Stops accepting requests, lets exchanges in progress finish for up to a second, and stops the threads. */
    @Override
    public void close()
    {
        // HttpServer.stop(delay) on Java 17 sleeps the whole delay even when idle, so wait for open exchanges here
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (handler.openExchanges() > 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        server.stop(0);
        windowTicker.shutdownNow();
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the dispatcher's run state by name, lower case ("running", "draining", ...). */
    static String runState(final Dispatcher dispatcher)
    {
        return dispatcher.state().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Configures an {@link AdminServer}; not thread-safe, use from one thread. */
    public static final class Builder
    {
        private final Dispatcher dispatcher;
        private int port = 7070;
        private String token;
        private AdapterSupplier adapters;
        private Supplier<String> state;
        private int threads = 32;
        private boolean publicReads;
        private Supplier<String> readiness;
        private Duration drainWait = Duration.ofSeconds(10);
        private Duration commandWait = Duration.ofSeconds(5);
        private java.util.function.Function<String, java.util.Map<String, String>> agentDetails = id -> java.util.Map.of();
        private java.util.function.Consumer<AdminChange> changes = change -> { };
        private TaskSubmitter submitter;

        private Builder(final Dispatcher dispatcher)
        {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        }

        /** Loopback port to listen on, 0 for any free one (default 7070). */
        public Builder port(final int port)
        {
            if (port < 0 || port > 65_535)
            {
                throw new IllegalArgumentException("port must be in [0, 65535] (0 for any free port), got " + port);
            }
            this.port = port;
            return this;
        }

        /** The bearer token that POST and DELETE requests must present; required. */
        public Builder token(final String token)
        {
            if (token == null || token.isBlank() || !token.equals(token.strip()))
            {
                throw new IllegalArgumentException("the admin token must be non-blank, without leading or trailing " +
                    "spaces; generate one, e.g. with 'openssl rand -hex 16'");
            }
            this.token = token;
            return this;
        }

        /** Enables POST /agents: makes the adapter of an agent described in JSON. Without it that route answers 501. */
        public Builder adapters(final AdapterSupplier adapters)
        {
            this.adapters = Objects.requireNonNull(adapters, "adapter supplier must not be null");
            return this;
        }

        /** Overrides the run state shown by /status (called on a server thread per request). */
        public Builder state(final Supplier<String> state)
        {
            this.state = Objects.requireNonNull(state, "state supplier must not be null");
            return this;
        }

        /**
         * Most server threads (default 32, at least 2 kept): the JDK server reads a request's headers on a pool thread,
         * so each slow client holds one until the read timeout ({@value #READ_TIMEOUT_SECONDS} s) closes it; the
         * bound keeps a flood of them from growing threads without limit, and the headroom serves everyone else.
         */
        public Builder threads(final int threads)
        {
            if (threads < 2 || threads > 256)
            {
                throw new IllegalArgumentException("threads must be in [2, 256], got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Lets GET requests in without the token (default: every route but /health and /ready needs it). */
        public Builder publicReads(final boolean publicReads)
        {
            this.publicReads = publicReads;
            return this;
        }

        /**
         * An extra readiness check for {@code /ready}, called per probe on a server thread: returns why the service is
         * not ready (e.g. "the journal's writer stopped: disk full"), or null when it is.
         */
        public Builder readiness(final Supplier<String> check)
        {
            this.readiness = Objects.requireNonNull(check, "readiness check must not be null");
            return this;
        }

        /** How long a drain request waits for the agent to leave before answering 202 (default 10 s). */
        public Builder drainWait(final Duration wait)
        {
            if (wait.isNegative())
            {
                throw new IllegalArgumentException("drain wait must not be negative, got " + wait);
            }
            this.drainWait = wait;
            return this;
        }

        /**
         * Extra fields per agent for GET /agents, e.g. a remote agent's host and connection state
         * ({@code RemoteFleet::agentDetails}); called on a server thread, once per agent per request, and must not
         * block. Returns an empty map for an agent with nothing to add.
         */
        public Builder agentDetails(final java.util.function.Function<String, java.util.Map<String, String>> details)
        {
            this.agentDetails = Objects.requireNonNull(details, "agent details must not be null");
            return this;
        }

        /**
         * Where every change asked of the endpoint goes besides the log and {@code GET /audit}, e.g. a journal
         * ({@code change -> journal.recordAdmin(...)}); called on a server thread once the answer is known, and what it
         * throws is logged and contained.
         */
        public Builder changes(final java.util.function.Consumer<AdminChange> sink)
        {
            this.changes = Objects.requireNonNull(sink, "change sink must not be null");
            return this;
        }

        /**
         * Submits the tasks of {@code POST /tasks}, and the requeued dead letters, through {@code submitter},
         * answering each once its stage completes (202), with its refusal, or with 503 after the command wait; e.g. {@code journal::submitAcknowledged}, so
         * that with an acknowledged journal a client's 202 means the task is durable (default: the dispatcher's
         * submit, answered at once).
         */
        public Builder submitter(final TaskSubmitter submitter)
        {
            this.submitter = Objects.requireNonNull(submitter, "task submitter must not be null");
            return this;
        }

        /**
         * How long pause, resume, add and re-prioritize wait for the router to apply them, and a submission for its
         * {@link #submitter} (default 5 s).
         */
        public Builder commandWait(final Duration wait)
        {
            if (wait.isNegative() || wait.isZero())
            {
                throw new IllegalArgumentException("command wait must be positive, got " + wait);
            }
            this.commandWait = wait;
            return this;
        }

        /**
         * Binds to 127.0.0.1 and starts serving.
         *
         * @throws IllegalStateException if no token was set.
         * @throws UncheckedIOException if the port is taken or cannot be bound, naming the port.
         */
        public AdminServer start()
        {
            if (token == null)
            {
                throw new IllegalStateException("the admin server needs a token for its mutating calls: call token(...)");
            }
            final AtomicInteger n = new AtomicInteger();
            // two threads kept, up to 'threads' while clients are slow; a request beyond that is refused by the
            // server (the connection closed) rather than queued behind the slow ones
            final ThreadPoolExecutor executor = new ThreadPoolExecutor(2, threads, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r ->
                {
                    final Thread t = new Thread(r, "ringmaster-admin-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            final HttpServer server;
            try
            {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            }
            catch (final BindException e)
            {
                executor.shutdownNow();
                throw new UncheckedIOException("port " + port + " on loopback is in use or not allowed (" +
                    e.getMessage() + "); pick another port, or 0 for any free one", e);
            }
            catch (final IOException e)
            {
                executor.shutdownNow();
                throw new UncheckedIOException("could not open the admin endpoint on port " + port + ": " + e.getMessage(), e);
            }
            final Supplier<String> stateSource = state != null ? state : () -> runState(dispatcher);
            final AdminHandler handler = new AdminHandler(dispatcher, token, adapters, stateSource, executor, drainWait,
                commandWait, publicReads, agentDetails, changes, submitter);
            final HostCheck hosts = new HostCheck();
            server.createContext("/", handler).getFilters().add(hosts);
            final Probes probes = new Probes(dispatcher, readiness);
            for (final String path : new String[]{"/health", "/ready"})
            {
                server.createContext(path, probes).getFilters().add(hosts);
            }
            server.createContext("/metrics", publicReads ? probes : handler.authorized(probes)).getFilters().add(hosts);
            server.setExecutor(executor);
            server.start();
            return new AdminServer(server, handler, executor, tickWindow(dispatcher));
        }
    }
}
