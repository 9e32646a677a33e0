package dev.ringmaster.admin.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.Locale;

/**
 * Refuses a request whose {@code Host} header is not a loopback name: a web page that rebinds its own DNS name to
 * 127.0.0.1 sends its name, not ours, so it cannot read the endpoint through the victim's browser. Stateless and
 * thread-safe.
 */
public final class HostCheck extends Filter
{
    @Override
    public void doFilter(final HttpExchange x, final Chain chain) throws IOException
    {
        final String host = x.getRequestHeaders().getFirst("Host");
        if (host != null && !isLoopback(host))
        {
            try (x)
            {
                Responses.json(x, 421, Views.error("Host '" + host + "' is not this endpoint's",
                    "address the endpoint as localhost, 127.0.0.1 or [::1]"));
            }
            return;
        }
        chain.doFilter(x);
    }

    /** @return true for localhost, 127.x.y.z and [::1], with or without a port. */
    public static boolean isLoopback(final String hostHeader)
    {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("["))
        {
            final int end = host.indexOf(']');
            return end > 0 && host.substring(1, end).equals("::1") && (end + 1 == host.length() || host.charAt(end + 1) == ':');
        }
        final int colon = host.indexOf(':');
        if (colon >= 0)
        {
            host = host.substring(0, colon);
        }
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    @Override
    public String description()
    {
        return "refuses Host headers that are not loopback names";
    }
}
