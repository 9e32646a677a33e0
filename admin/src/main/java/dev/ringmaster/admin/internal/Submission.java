package dev.ringmaster.admin.internal;

import dev.ringmaster.admin.AdminServer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ringmaster.model.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the task of a {@code POST /tasks} body, naming a bad field and the fix; stateless, any thread. */
final class Submission
{
    static final String[] FIELDS = {"type", "priority", "skills", "tenant", "ttl_s", "timeout_s", "max_retries",
        "affinity_key", "cost_tokens", "payload"};
    static final String EXAMPLE = "{\"type\":\"coder\",\"priority\":\"HIGH\",\"skills\":[\"java\"],\"tenant\":\"team-a\"," +
        "\"ttl_s\":30,\"payload\":\"fix the build\"}";

    private Submission()
    {
    }

    static Task task(final JsonNode body)
    {
        Requests.onlyFields(body, FIELDS);
        final String type = string(body, "type", true);
        if (!AdminServer.isValidName(type))
        {
            throw new ApiException(400, "task type '" + type.replace("\n", "\\n") + "' is not a valid name",
                "use 1 to 128 letters, digits and . _ : @ -; GET /types lists the types");
        }
        final Task.Builder b = Task.builder(type);
        final String priority = string(body, "priority", false);
        if (priority != null)
        {
            b.priority(Requests.priority(priority));
        }
        final JsonNode skills = body.get("skills");
        if (skills != null)
        {
            if (!skills.isArray())
            {
                throw new ApiException(400, "\"skills\" must be an array of skill names, got " + skills,
                    "send e.g. \"skills\": [\"java\", \"sql\"]");
            }
            final List<String> names = new ArrayList<>();
            for (final JsonNode s : skills)
            {
                if (!s.isTextual() || s.asText().isBlank())
                {
                    throw new ApiException(400, "every skill must be a non-blank string, got " + s,
                        "send e.g. \"skills\": [\"java\", \"sql\"]");
                }
                names.add(s.asText());
            }
            try
            {
                b.requiredSkills(names);
            }
            catch (final IllegalArgumentException e)
            {
                throw new ApiException(400, e.getMessage(), "require fewer or known skills");
            }
        }
        final String tenant = string(body, "tenant", false);
        // a tenant becomes a metrics label and a rate limit's key: "" would be a series of its own beside "(none)",
        // and a label of any length a registry's problem
        if (tenant != null && !AdminServer.isValidName(tenant))
        {
            throw new ApiException(400, "tenant '" + tenant.replace("\n", "\\n") + "' is not a valid name",
                "use 1 to 128 letters, digits and . _ : @ -, or leave \"tenant\" out for a task with no tenant");
        }
        b.tenant(tenant);
        b.affinityKey(string(body, "affinity_key", false));
        b.payload(string(body, "payload", false));
        final Duration ttl = seconds(body, "ttl_s");
        if (ttl != null)
        {
            b.ttl(ttl);
        }
        final Duration timeout = seconds(body, "timeout_s");
        if (timeout != null)
        {
            b.timeout(timeout);
        }
        if (body.has("max_retries"))
        {
            final JsonNode n = body.get("max_retries");
            if (!n.isIntegralNumber() || n.asInt() < 0 || n.asInt() > 100)
            {
                throw new ApiException(400, "\"max_retries\" must be a whole number in [0, 100], got " + n,
                    "send e.g. \"max_retries\": 3");
            }
            b.maxRetries(n.asInt());
        }
        if (body.has("cost_tokens"))
        {
            final JsonNode n = body.get("cost_tokens");
            if (!n.isIntegralNumber() || n.asLong() < 0)
            {
                throw new ApiException(400, "\"cost_tokens\" must be a whole number of at least 0, got " + n,
                    "send the task's estimated token cost, e.g. \"cost_tokens\": 1200");
            }
            b.costTokens(n.asLong());
        }
        return b.build();
    }

    private static String string(final JsonNode body, final String field, final boolean required)
    {
        final JsonNode n = body.get(field);
        if (n == null || n.isNull())
        {
            if (required)
            {
                throw new ApiException(400, "the task needs \"" + field + "\" as a string", "send e.g. " + EXAMPLE);
            }
            return null;
        }
        if (!n.isTextual())
        {
            throw new ApiException(400, "\"" + field + "\" must be a string, got " + n, field.equals("payload") ?
                "send the payload as text; for JSON, send it encoded as a string" : "send e.g. " + EXAMPLE);
        }
        return n.asText();
    }

    private static Duration seconds(final JsonNode body, final String field)
    {
        final JsonNode n = body.get(field);
        if (n == null || n.isNull())
        {
            return null;
        }
        if (!n.isNumber() || !(n.asDouble() > 0) || n.asDouble() > 86_400)
        {
            throw new ApiException(400, "\"" + field + "\" must be a number of seconds in (0, 86400], got " + n,
                "send e.g. \"" + field + "\": 30, or leave the field out for none (0 is not \"none\")");
        }
        return Duration.ofNanos(Math.round(n.asDouble() * 1e9));
    }
}
