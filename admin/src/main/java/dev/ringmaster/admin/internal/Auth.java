package dev.ringmaster.admin.internal;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The bearer-token check of the admin endpoint; immutable and thread-safe, called on the server's threads. */
final class Auth
{
    private final byte[] token;

    Auth(final String token)
    {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Compares in constant time, so the response time does not reveal how much of a guessed token was right.
     *
     * @throws ApiException 401 without the token or with another one.
     */
    void authorize(final HttpExchange x)
    {
        final String header = x.getRequestHeaders().getFirst("Authorization");
        final byte[] presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ?
            header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(presented, token))
        {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"ringmaster-admin\"");
            throw new ApiException(401, header == null ? "this call needs the admin token" :
                "the admin token was refused", "send 'Authorization: Bearer <token>' with the token the server was started with");
        }
    }
}
