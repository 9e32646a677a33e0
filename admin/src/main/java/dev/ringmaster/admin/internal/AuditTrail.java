package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every change asked of the endpoint (a POST or DELETE, refused ones included): what, when, from where and how it
 * ended, as one SLF4J line on the {@code dev.ringmaster.admin.audit} logger and in a bounded in-memory list for
 * {@code GET /audit}; thread-safe, recorded on the server's threads.
 *
 * <p>Not in the journal: its records are fixed-layout task lifecycle events, and a fleet change is not a task's.
 */
final class AuditTrail
{
    /** One change; immutable. */
    record Entry(Instant at, String from, String method, String path, int status, String outcome)
    {
    }

    private static final Logger LOG = LoggerFactory.getLogger("dev.ringmaster.admin.audit");

    private final int capacity;
    private final ConcurrentLinkedDeque<Entry> entries = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    AuditTrail(final int capacity)
    {
        this.capacity = capacity;
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
        final String outcome = body.has("error") ? body.path("error").asText() : status < 300 ? "done" : "refused";
        final String query = x.getRequestURI().getRawQuery();
        final Entry e = new Entry(Instant.now(), from, method, x.getRequestURI().getRawPath() +
            (query == null ? "" : "?" + query), status, outcome);
        LOG.info("admin change {} {} from {}: {} {}", e.method(), e.path(), e.from(), e.status(), e.outcome());
        entries.addLast(e);
        if (size.incrementAndGet() > capacity && entries.pollFirst() != null)
        {
            size.decrementAndGet();
        }
    }

    List<Entry> entries()
    {
        return new ArrayList<>(entries);
    }

    ObjectNode view(final int limit)
    {
        final List<Entry> all = entries();
        final ObjectNode o = Views.object();
        o.put("kept", all.size());
        final ArrayNode list = o.putArray("changes");
        for (final Entry e : all.subList(Math.max(0, all.size() - limit), all.size()))
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
