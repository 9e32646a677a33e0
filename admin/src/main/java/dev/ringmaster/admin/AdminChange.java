package dev.ringmaster.admin;

import java.time.Instant;

/**
 * One change asked of the admin endpoint (a POST or DELETE, refused ones too), as given to the change sink of
 * {@link AdminServer.Builder#changes}; immutable.
 *
 * @param at      when it was answered.
 * @param from    the client's address and port, e.g. {@code 127.0.0.1:53122}.
 * @param method  POST or DELETE.
 * @param path    the path and query asked, e.g. {@code /types/coder/pause}.
 * @param status  the HTTP status of the answer.
 * @param outcome "done", "refused", or the error the answer named.
 */
public record AdminChange(Instant at, String from, String method, String path, int status, String outcome)
{
    /** @return what was asked: the method and the path, e.g. {@code POST /types/coder/pause}. */
    public String what()
    {
        return method + " " + path;
    }
}
