package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ringmaster.admin.AdminChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Every change asked of the endpoint (a POST or DELETE, refused ones included): what, when, from where and how it
 * ended, as one SLF4J line on the {@code dev.ringmaster.admin.audit} logger and in a bounded in-memory list for
 * {@code GET /audit}, and to the embedder's change sink (the serve command's journals each one as an ADMIN record);
 * thread-safe, recorded on the server's threads.
 */
final class AuditTrail
{
    private static final Logger LOG = LoggerFactory.getLogger("dev.ringmaster.admin.audit");

    private final int capacity;
    private final ConcurrentLinkedDeque<AdminChange> entries = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Consumer<AdminChange> sink;

    /** @param sink gets every change after it is logged; called on a server thread, what it throws is contained. */
    AuditTrail(final int capacity, final Consumer<AdminChange> sink)
    {
        this.capacity = capacity;
        this.sink = sink;
    }

    /** Records the answer to a request if the request asked for a change; reads are not recorded. */
    void record(final HttpExchange x, final int status, final ObjectNode body)
    {
        final String method = x.getRequestMethod();
        if (!"POST".equals(method) && !"DELETE".equals(method))
        {
            return;
        }
        final InetSocketAddress remote = x.getRemoteAddress();
        final String from = remote == null ? "unknown" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
        final String outcome = body.has("error") ? body.path("error").asText() : status >= 300 ? "refused" :
            body.has("task_id") ? "done: task " + body.path("task_id").asText() : "done";
        final String query = x.getRequestURI().getRawQuery();
        final AdminChange e = new AdminChange(Instant.now(), from, method, x.getRequestURI().getRawPath() +
            (query == null ? "" : "?" + query), status, outcome);
        LOG.info("admin change {} {} from {}: {} {}", e.method(), e.path(), e.from(), e.status(), e.outcome());
        try
        {
            sink.accept(e);
        }
        catch (final Throwable t)
        {
            // the change was made and answered; a failing sink costs its record, not the request
            LOG.warn("the admin change sink failed on {} from {}", e.what(), e.from(), t);
        }
        entries.addLast(e);
        if (size.incrementAndGet() > capacity && entries.pollFirst() != null)
        {
            size.decrementAndGet();
        }
    }

    List<AdminChange> entries()
    {
        return new ArrayList<>(entries);
    }

    ObjectNode view(final int limit)
    {
        final List<AdminChange> all = entries();
        final ObjectNode o = Views.object();
        o.put("kept", all.size());
        final ArrayNode list = o.putArray("changes");
        for (final AdminChange e : all.subList(Math.max(0, all.size() - limit), all.size()))
        {
            final ObjectNode n = list.addObject();
            n.put("at", e.at().toString());
            n.put("from", e.from());
            n.put("method", e.method());
            n.put("path", e.path());
            n.put("status", e.status());
            n.put("outcome", e.outcome());
        }
        return o;
    }
}
