package dev.ringmaster.admin.internal;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Serves the live dashboard: one self-contained page read once from the jar; immutable and thread-safe. */
final class Dashboard
{
    private static final String PAGE = read();

    private Dashboard()
    {
    }

    private static String read()
    {
        try (var in = Dashboard.class.getResourceAsStream("/dev/ringmaster/admin/dashboard.html"))
        {
            if (in == null)
            {
                throw new IllegalStateException("dashboard.html is missing from the admin jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the dashboard from the admin jar", e);
        }
    }

    /** The page, unless the client asks for JSON (the CLI sends Accept: application/json): then the route index. */
    static boolean wanted(final HttpExchange x)
    {
        final String accept = x.getRequestHeaders().getFirst("Accept");
        return accept == null || !accept.contains("application/json") || accept.contains("text/html");
    }

    static void send(final HttpExchange x)
    {
        try (x)
        {
            // everything the page needs is in it; the policy keeps it from loading or sending anything elsewhere
            x.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; " +
                "style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'");
            x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            Responses.send(x, 200, "text/html; charset=utf-8", PAGE);
        }
    }
}
