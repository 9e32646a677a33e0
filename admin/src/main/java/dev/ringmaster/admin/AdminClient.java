package dev.ringmaster.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ringmaster.admin.internal.Views;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A small client of an {@link AdminServer}, on the JDK's {@link HttpClient}; immutable and thread-safe, one instance
 * may serve concurrent calls.
 */
public final class AdminClient
{
    /**
     * One answer of the server; immutable.
     *
     * @param status the HTTP status.
     * @param body   the JSON body (an object; for errors it has "error" and usually "fix").
     */
    public record Response(int status, JsonNode body)
    {
        public boolean ok()
        {
            return status >= 200 && status < 300;
        }

        /** @return the server's error message, or null. */
        public String error()
        {
            final JsonNode e = body.get("error");
            return e == null || e.isNull() ? null : e.asText();
        }

        /** @return the server's suggested fix, or null. */
        public String fix()
        {
            final JsonNode f = body.get("fix");
            return f == null || f.isNull() ? null : f.asText();
        }
    }

    /** Nothing answered at the URL: no server, a wrong port, or it did not answer in time; immutable. */
    public static final class UnreachableException extends IOException
    {
        private static final long serialVersionUID = 1L;

        UnreachableException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:7070}.
     * @param token   the bearer token for mutating calls, or null.
     * @param timeout the longest one call may take (a drain waits up to the server's drain wait: leave room for it).
     * @throws IllegalArgumentException if the URL is not an absolute http URL, or its port is not from 1 to 65535.
     */
    public AdminClient(final String baseUrl, final String token, final Duration timeout)
    {
        this.base = parse(baseUrl);
        this.token = token;
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** @return the base URL as given, without a trailing slash. */
    public String url()
    {
        final String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public Response get(final String path) throws IOException, InterruptedException
    {
        return send(request(path).GET());
    }

    /** POSTs a JSON body (or none if null). */
    public Response post(final String path, final JsonNode body) throws IOException, InterruptedException
    {
        final HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() :
            HttpRequest.BodyPublishers.ofByteArray(Views.JSON.writeValueAsBytes(body));
        return send(request(path).header("Content-Type", "application/json").POST(publisher));
    }

    public Response delete(final String path) throws IOException, InterruptedException
    {
        return send(request(path).DELETE());
    }

    /** @return a path segment percent-encoded, so that ids with spaces or slashes reach the server intact. */
    public static String segment(final String raw)
    {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(final String path)
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(timeout)
            .header("Accept", "application/json");
        if (token != null && !token.isEmpty())
        {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(final HttpRequest.Builder request) throws IOException, InterruptedException
    {
        final HttpResponse<byte[]> response;
        try
        {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (final ConnectException | HttpConnectTimeoutException e)
        {
            throw new UnreachableException("nothing is listening at " + url(), e);
        }
        catch (final HttpTimeoutException e)
        {
            throw new UnreachableException("no answer from " + url() + " within " + timeout.toSeconds() + " s", e);
        }
        catch (final IOException e)
        {
            // the JDK client wraps a refused connection in a plain IOException on some paths
            if (e.getCause() instanceof ConnectException)
            {
                throw new UnreachableException("nothing is listening at " + url(), e);
            }
            throw e;
        }
        JsonNode body;
        try
        {
            body = response.body().length == 0 ? Views.object() : Views.JSON.readTree(response.body());
        }
        catch (final JsonProcessingException e)
        {
            body = Views.error("the server at " + url() + " answered " + response.statusCode() +
                " with something that is not JSON; is it a ringmaster admin endpoint?", null);
        }
        if (body == null || !body.isObject())
        {
            body = Views.error("the server at " + url() + " answered " + response.statusCode() +
                " without a JSON object; is it a ringmaster admin endpoint?", null);
        }
        return new Response(response.statusCode(), body);
    }

    private static URI parse(final String url)
    {
        final URI uri;
        try
        {
            uri = new URI(Objects.requireNonNull(url, "url must not be null"));
        }
        catch (final java.net.URISyntaxException e)
        {
            throw new IllegalArgumentException("'" + url + "' is not a URL; give one such as http://127.0.0.1:7070", e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null)
        {
            throw new IllegalArgumentException("'" + url + "' is not an http URL with a host; give one such as " +
                "http://127.0.0.1:7070 (the admin endpoint speaks plain HTTP on loopback)");
        }
        // a URI takes any digits as a port; the HTTP client refused them only at the first request, as "port out
        // of range:99999", a failure of the call rather than of the URL
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65_535))
        {
            throw new IllegalArgumentException("'" + url + "' has port " + uri.getPort() + ", out of range: give one " +
                "such as http://127.0.0.1:7070 (a port from 1 to 65535)");
        }
        return uri;
    }
}
