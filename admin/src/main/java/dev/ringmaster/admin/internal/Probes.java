package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ringmaster.admin.DispatcherMetrics;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.DispatcherState;
import dev.ringmaster.spi.AgentView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /health}, {@code /ready} and {@code /metrics} (Prometheus text), for load balancers, Kubernetes probes and
 * scrapers; runs on the server's executor threads, several at once (the registry is thread-safe).
 *
 * <p>Live means the endpoint answers. Ready means the dispatcher accepts tasks, every agent type has an agent that
 * can take one (not paused, not every agent ejected), and the embedder's own check (the journal's writer, say) finds
 * nothing wrong: 200 when ready, 503 with the reasons when not, the status code a probe acts on.
 */
public final class Probes implements HttpHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(Probes.class);

    private final Dispatcher dispatcher;
    private final Supplier<String> extraCheck;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DispatcherMetrics metrics;

    /** @param extraCheck returns why the service is not ready (e.g. the journal stopped), or null when it is. */
    public Probes(final Dispatcher dispatcher, final Supplier<String> extraCheck)
    {
        this.dispatcher = dispatcher;
        this.extraCheck = extraCheck;
        this.metrics = new DispatcherMetrics(dispatcher);
        metrics.bindTo(registry);
    }

    @Override
    public void handle(final HttpExchange x)
    {
        try (x)
        {
            final String method = x.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                x.getResponseHeaders().set("Allow", "GET, HEAD");
                Responses.json(x, 405, Views.error(method + " is not allowed on " + x.getRequestURI().getPath(), "use GET"));
                return;
            }
            switch (x.getRequestURI().getPath())
            {
                case "/health" -> Responses.json(x, 200, Views.object().put("status", "live"));
                case "/ready" -> ready(x);
                case "/metrics" ->
                {
                    metrics.refresh();
                    Responses.send(x, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                }
                default -> Responses.json(x, 404, Views.error("no such route: " + x.getRequestURI().getPath(),
                    "GET / lists the routes"));
            }
        }
        catch (final RuntimeException | LinkageError e)
        {
            LOG.warn("probe {} failed", x.getRequestURI(), e);
        }
    }

    private void ready(final HttpExchange x)
    {
        final List<String> problems = new ArrayList<>();
        final DispatcherState state = dispatcher.state();
        if (state != DispatcherState.RUNNING)
        {
            problems.add("the dispatcher is " + state.name().toLowerCase(java.util.Locale.ROOT) + ", not accepting");
        }
        final Set<String> able = new HashSet<>();
        for (final AgentView a : dispatcher.agents())
        {
            // a draining agent takes no new task: while the last of a type drains (its running calls may take minutes),
            // the type's queued tasks wait for an agent that is not there
            if (!a.ejected() && !a.draining())
            {
                able.add(a.spec().type());
            }
        }
        for (final Map.Entry<String, Boolean> type : dispatcher.types().entrySet())
        {
            if (type.getValue())
            {
                problems.add("agent type '" + type.getKey() + "' is paused");
            }
            else if (!able.contains(type.getKey()))
            {
                problems.add("agent type '" + type.getKey() + "' has no agent that can take a task");
            }
        }
        final String extra = extraCheck == null ? null : extraCheck.get();
        if (extra != null)
        {
            problems.add(extra);
        }
        final ObjectNode o = Views.object();
        o.put("ready", problems.isEmpty());
        final var reasons = o.putArray("problems");
        problems.forEach(reasons::add);
        Responses.json(x, problems.isEmpty() ? 200 : 503, o);
    }
}
