package dev.ringmaster.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes every answer of the admin endpoint: JSON, the page or Prometheus text, never cached, and for {@code HEAD}
 * the headers alone; stateless, called on the server's executor threads.
 */
final class Responses
{
    static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses()
    {
    }

    static void json(final HttpExchange x, final int status, final ObjectNode body)
    {
        final String text;
        try
        {
            text = Views.JSON.writeValueAsString(body);
        }
        catch (final JsonProcessingException e)
        {
            throw new UncheckedIOException(e);
        }
        send(x, status, JSON_TYPE, text);
    }

    /** HEAD gets the headers alone (a length of -1), which keeps the JDK server from warning about a body. */
    static void send(final HttpExchange x, final int status, final String contentType, final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", contentType);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        try
        {
            if ("HEAD".equals(x.getRequestMethod()))
            {
                x.sendResponseHeaders(status, -1);
                return;
            }
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = x.getResponseBody())
            {
                out.write(bytes);
            }
        }
        catch (final IOException e)
        {
            LOG.debug("admin response not delivered (the client went away)", e);
        }
    }
}
