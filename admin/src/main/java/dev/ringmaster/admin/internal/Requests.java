package dev.ringmaster.admin.internal;

import dev.ringmaster.admin.AdminServer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reading an admin request: path segments, query parameters, the JSON body and the agent spec in it, each failure an
 * {@link ApiException} that names the problem and the fix; stateless, any thread.
 */
final class Requests
{
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final List<String> SPEC_FIELDS = List.of("id", "type", "capacity", "weight", "speed", "skills",
        "token_budget", "new_type");
    private Requests()
    {
    }

    static void expect(final String segment, final String expected, final String route)
    {
        if (!segment.equals(expected))
        {
            throw new ApiException(404, "no route ends in '/" + segment + "'", "did you mean " + route + "? GET / lists the routes");
        }
    }

    static ApiException notFound(final HttpExchange x)
    {
        return new ApiException(404, "no route " + x.getRequestMethod() + " " + x.getRequestURI().getPath(),
            "GET / lists the routes");
    }

    /** @param example a body this route accepts, for the fix of a body that is empty or not an object. */
    static JsonNode body(final HttpExchange x, final String example)
    {
        final byte[] bytes;
        try (InputStream in = x.getRequestBody())
        {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        catch (final IOException e)
        {
            throw new ApiException(400, "could not read the request body: " + e.getMessage(), "send the body again");
        }
        if (bytes.length > MAX_BODY_BYTES)
        {
            throw new ApiException(413, "the request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB (" +
                MAX_BODY_BYTES + " bytes), the most the endpoint reads", "send a shorter payload: pass a large prompt " +
                "by reference (a path or URL in the payload) for the agent to fetch");
        }
        try
        {
            final JsonNode node = Views.JSON.readTree(bytes);
            if (node == null || !node.isObject())
            {
                throw new ApiException(400, "the body must be one JSON object", "send e.g. " + example);
            }
            return node;
        }
        catch (final JsonProcessingException e)
        {
            throw new ApiException(400, "the body is not valid JSON: " + e.getOriginalMessage(), "send one JSON object, e.g. " + example);
        }
        catch (final IOException e)
        {
            throw new ApiException(400, "could not parse the body: " + e.getMessage(), "send one JSON object, e.g. " + example);
        }
    }

    static AgentSpec spec(final JsonNode body)
    {
        onlyFields(body, SPEC_FIELDS.toArray(new String[0]));
        final String id = text(body, "id");
        final String type = text(body, "type");
        for (final String[] named : new String[][]{{"id", id}, {"type", type}})
        {
            if (!AdminServer.isValidName(named[1]))
            {
                throw new ApiException(400, "agent " + named[0] + " '" + named[1].replace("\n", "\\n") +
                    "' is not a valid name", "use 1 to 128 letters, digits and . _ : @ -, starting with a letter or digit");
            }
        }
        try
        {
            final AgentSpec.Builder b = AgentSpec.builder(id, type);
            if (body.has("capacity"))
            {
                b.capacity(integer(body, "capacity"));
            }
            if (body.has("weight"))
            {
                b.weight(integer(body, "weight"));
            }
            if (body.has("speed"))
            {
                final JsonNode speed = body.get("speed");
                if (!speed.isNumber())
                {
                    throw new ApiException(400, "\"speed\" must be a number, got " + speed,
                        "send e.g. \"speed\": 2.0 for an agent twice as fast as the reference agent");
                }
                b.speed(speed.asDouble());
            }
            if (body.has("token_budget"))
            {
                b.tokenBudget(body.get("token_budget").asLong(-1));
            }
            final JsonNode skills = body.get("skills");
            if (skills != null)
            {
                if (!skills.isObject())
                {
                    throw new ApiException(400, "\"skills\" must be an object of skill name to proficiency",
                        "send e.g. \"skills\": {\"java\": 0.9}");
                }
                for (final Iterator<Map.Entry<String, JsonNode>> it = skills.fields(); it.hasNext(); )
                {
                    final Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isNumber())
                    {
                        throw new ApiException(400, "proficiency of skill '" + e.getKey() + "' must be a number in [0, 1]",
                            "send e.g. \"skills\": {\"" + e.getKey() + "\": 0.9}");
                    }
                    b.skill(e.getKey(), e.getValue().asDouble());
                }
            }
            return b.build();
        }
        catch (final IllegalArgumentException | IllegalStateException e)
        {
            throw new ApiException(400, e.getMessage(), "correct the agent spec and send it again");
        }
    }

    /** @throws ApiException 400 naming a field that is not among {@code allowed}: a typo must not pass silently. */
    static void onlyFields(final JsonNode body, final String... allowed)
    {
        final List<String> known = List.of(allowed);
        for (final Iterator<String> names = body.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!known.contains(name))
            {
                throw new ApiException(400, "unknown field '" + name + "'", "use only " + known);
            }
        }
    }

    static long taskId(final String raw)
    {
        try
        {
            return Long.parseLong(raw);
        }
        catch (final NumberFormatException e)
        {
            throw new ApiException(400, "task id '" + raw + "' is not a whole number", "use the numeric id the " +
                "dispatcher gave the task (POST /tasks answers it)");
        }
    }

    static String text(final JsonNode body, final String field)
    {
        final JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank())
        {
            throw new ApiException(400, "the agent spec needs \"" + field + "\" as a non-blank string",
                "send e.g. {\"id\":\"coder-9\",\"type\":\"coder\",\"capacity\":2,\"skills\":{\"java\":0.9}}");
        }
        return n.asText();
    }

    static int integer(final JsonNode body, final String field)
    {
        final JsonNode n = body.get(field);
        if (!n.canConvertToInt() || !n.isIntegralNumber())
        {
            throw new ApiException(400, "\"" + field + "\" must be a whole number, got " + n, "send e.g. \"" + field + "\": 2");
        }
        return n.asInt();
    }

    static Priority priority(final String value)
    {
        try
        {
            return Priority.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            throw new ApiException(400, "unknown priority '" + value + "'", "use one of " + Arrays.toString(Priority.values()));
        }
    }

    static int intParam(final HttpExchange x, final String name, final int fallback)
    {
        final String raw = query(x, name);
        if (raw == null)
        {
            return fallback;
        }
        try
        {
            final int v = Integer.parseInt(raw);
            if (v >= 0)
            {
                return v;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the fix
        }
        throw new ApiException(400, "query parameter " + name + "='" + raw + "' is not a count", "use e.g. ?" + name + "=" + fallback);
    }

    static double doubleParam(final HttpExchange x, final String name, final double fallback)
    {
        final String raw = query(x, name);
        if (raw == null)
        {
            return fallback;
        }
        try
        {
            final double v = Double.parseDouble(raw);
            if (v >= 0 && v <= 3600)
            {
                return v;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the fix
        }
        throw new ApiException(400, "query parameter " + name + "='" + raw + "' is not a number of seconds in [0, 3600]",
            "use e.g. ?" + name + "=10");
    }

    static String query(final HttpExchange x, final String name)
    {
        final String raw = x.getRequestURI().getRawQuery();
        if (raw == null)
        {
            return null;
        }
        for (final String pair : raw.split("&"))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0 && decode(pair.substring(0, eq)).equals(name))
            {
                return decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    static List<String> segments(final String rawPath)
    {
        final List<String> out = new ArrayList<>();
        for (final String s : rawPath.split("/"))
        {
            if (!s.isEmpty())
            {
                out.add(decode(s));
            }
        }
        return out;
    }

    /** Percent-decoding only: a '+' in a path is a plus, not a space. */
    static String decode(final String s)
    {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
