package dev.ringmaster.plugins.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.spi.TaskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An agent adapter that runs each task as one call to an OpenAI-compatible {@code POST {baseUrl}/v1/chat/completions}
 * endpoint with the JDK {@link HttpClient}; thread-safe, {@link #execute} returns at once and the completion is called
 * later from the client's executor. Use one adapter per agent (its token budget is the agent's).
 *
 * <p>Request: a {@code String} payload becomes one user message; a {@code Map}, record or bean with a
 * {@code messages} field is sent as it is (other fields such as {@code temperature} pass through), with the adapter's
 * model unless it names its own. {@code stream} is always false.
 *
 * <p>Result: a {@link ChatReply}; {@code usage.total_tokens} is reported to the dispatcher as the tokens used (so
 * token-aware strategies see it), and subtracted from the token budget, if one is configured, which is then published
 * through {@link AgentTelemetry#tokenBudgetLeft}. No quality score (NaN). Configure a budget here or on the agent's
 * {@code AgentSpec}, not both; and note that the dispatcher itself subtracts reported tokens from any finite budget it
 * holds, the published one included, so the router's view of an adapter-owned budget runs ahead by the latest
 * answer's tokens until the next publication (exact accounting: a budget on the {@code AgentSpec} only).
 *
 * <p>Time and retries: an attempt has the task's timeout, or the adapter's default when the task has none, and every
 * HTTP call and wait of the attempt fits in it. A 429 or 5xx answer is retried up to {@code maxRetries} times within
 * the attempt, after the {@code Retry-After} the server asked for (seconds or an HTTP date), else after an exponential
 * back-off with jitter; a wait beyond the deadline, or beyond {@code maxRetryWait}, ends the attempt at once instead.
 * The dispatcher's own retries come on top: each dispatcher attempt gets a fresh set of adapter retries, so a task
 * makes at most {@code (task.maxRetries + 1) * (maxRetries + 1)} calls. Timeouts, connection errors, other 4xx and bad
 * answers are not retried here: they fail the attempt and the dispatcher decides, with its back-off.
 *
 * <p>The API key: read once, when the adapter is built, from an environment variable (OPENAI_API_KEY unless told
 * otherwise) and sent only as {@code Authorization: Bearer}. It is never logged, and it is redacted from every failure
 * message (response bodies are quoted in them, and some servers echo what they were sent).
 */
public final class ChatCompletionsAdapter implements AgentAdapter
{
    /** The environment variable the key is read from by default. */
    public static final String DEFAULT_KEY_VARIABLE = "OPENAI_API_KEY";
    /** The path appended to the base URL. */
    public static final String PATH = "/v1/chat/completions";

    private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionsAdapter.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int EXCERPT = 300;
    private static final String REDACTED = "[redacted]";

    private final HttpClient client;
    private final URI endpoint;
    private final String model;
    private final String keyVariable;
    private final String key;
    private final long defaultTimeoutNanos;
    private final int maxRetries;
    private final long maxRetryWaitMillis;
    private final long backoffBaseMillis;
    private final Executor retryExecutor;
    private final Clock clock;
    private final AtomicLong budgetLeft;

    private ChatCompletionsAdapter(final Builder b)
    {
        this.client = b.client != null ? b.client : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.endpoint = endpoint(b.baseUrl);
        this.model = b.model;
        this.keyVariable = b.keyVariable;
        final String value = b.environment.apply(b.keyVariable);
        this.key = value == null || value.isBlank() ? null : value.trim();
        this.defaultTimeoutNanos = b.defaultTimeout.toNanos();
        this.maxRetries = b.maxRetries;
        this.maxRetryWaitMillis = b.maxRetryWait.toMillis();
        this.backoffBaseMillis = b.backoffBase.toMillis();
        this.retryExecutor = b.retryExecutor != null ? b.retryExecutor : client.executor().orElse(ForkJoinPool.commonPool());
        this.clock = b.clock;
        this.budgetLeft = b.tokenBudget < 0 ? null : new AtomicLong(b.tokenBudget);
        if (key == null && MissingKeyWarning.first(keyVariable))
        {
            LOG.warn("environment variable {} is not set: calling {} (and every other agent reading it) without an " +
                "Authorization header; set it if the endpoint needs a key (warned once per variable)", keyVariable,
                endpoint);
        }
    }

    /**
     * @param baseUrl the endpoint's base, e.g. "https://api.openai.com" or "http://localhost:8000"; {@value #PATH}
     *                is appended (a trailing "/v1" or "/" is tolerated).
     * @param model   the model every request names unless the payload names its own.
     * @return a builder with defaults: key from OPENAI_API_KEY, 60 s timeout, 2 retries, waits of at most 30 s.
     */
    public static Builder builder(final String baseUrl, final String model)
    {
        return new Builder(baseUrl, model);
    }

    /** @return the URL every request goes to. */
    public URI endpoint()
    {
        return endpoint;
    }

    /** @return tokens left of the budget, or {@link Long#MAX_VALUE} if none is configured. */
    public long tokenBudgetLeft()
    {
        return budgetLeft == null ? Long.MAX_VALUE : Math.max(0, budgetLeft.get());
    }

    @Override
    public void execute(final TaskView task, final Completion completion, final AgentTelemetry telemetry)
    {
        final Task t = task.task();
        final long timeoutNanos = t.timeoutNanos() > 0 ? t.timeoutNanos() : defaultTimeoutNanos;
        final byte[] body = requestBody(t);
        new Call(body, System.nanoTime() + timeoutNanos, timeoutNanos, completion, telemetry).send(1);
    }

    @Override
    public String toString()
    {
        return "ChatCompletionsAdapter{" + endpoint + ", model " + model + ", key from $" + keyVariable + '}';
    }

    private byte[] requestBody(final Task task)
    {
        final Object payload = task.payload();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        if (payload instanceof String text)
        {
            body.put("messages", List.of(Map.of("role", "user", "content", text)));
        }
        else
        {
            final Map<?, ?> fields;
            try
            {
                fields = payload instanceof Map<?, ?> map ? map : payload == null ? null :
                    JSON.convertValue(payload, Map.class);
            }
            catch (final IllegalArgumentException e)
            {
                throw badPayload(task, "cannot be written as JSON (" + firstLine(e.getMessage()) + ")");
            }
            if (fields == null || !(fields.get("messages") instanceof List<?> messages) || messages.isEmpty())
            {
                throw badPayload(task, "has no non-empty 'messages' list");
            }
            fields.forEach((k, v) -> body.put(String.valueOf(k), v));
        }
        // a streamed answer is a series of events, not one JSON document
        body.put("stream", false);
        try
        {
            return JSON.writeValueAsBytes(body);
        }
        catch (final JsonProcessingException e)
        {
            throw badPayload(task, "cannot be written as JSON (" + firstLine(e.getOriginalMessage()) + ")");
        }
    }

    private ChatCompletionsException badPayload(final Task task, final String problem)
    {
        final String type = task.payload() == null ? "null" : task.payload().getClass().getName();
        return new ChatCompletionsException("the payload of task " + task.id() + " (" + type + ") " + problem +
            "; give a String (sent as one user message) or a Map or record with 'messages' " +
            "(sent as the request body) for " + endpoint, ChatCompletionsException.NO_STATUS, null);
    }

    private String redact(final String text)
    {
        if (text == null)
        {
            return "";
        }
        return key == null ? text : text.replace(key, REDACTED);
    }

    private String excerpt(final String body)
    {
        final String oneLine = redact(body).replaceAll("\\s+", " ").strip();
        return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "...";
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "";
        }
        final int eol = message.indexOf('\n');
        return eol < 0 ? message : message.substring(0, eol);
    }

    private static URI endpoint(final String baseUrl)
    {
        Objects.requireNonNull(baseUrl, "baseUrl must not be null");
        String base = baseUrl.strip();
        while (base.endsWith("/"))
        {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1"))
        {
            base = base.substring(0, base.length() - 3);
        }
        final URI uri;
        try
        {
            uri = URI.create(base + PATH);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("baseUrl '" + baseUrl + "' is not a URL; give one such as " +
                "http://localhost:8000 or https://api.openai.com", e);
        }
        if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null)
        {
            throw new IllegalArgumentException("baseUrl '" + baseUrl + "' must be an http or https URL with a host, " +
                "such as http://localhost:8000 or https://api.openai.com");
        }
        if (uri.getUserInfo() != null)
        {
            throw new IllegalArgumentException("baseUrl must not carry credentials; put the key in an environment " +
                "variable and name it with apiKeyEnv");
        }
        return uri;
    }

    /** One attempt: its HTTP calls and waits, ending exactly once; touched by one HTTP callback at a time. */
    private final class Call
    {
        private final byte[] body;
        private final long deadlineNanos;
        private final long timeoutNanos;
        private final Completion completion;
        private final AgentTelemetry telemetry;
        private final AtomicBoolean finished = new AtomicBoolean();

        Call(final byte[] body, final long deadlineNanos, final long timeoutNanos, final Completion completion,
             final AgentTelemetry telemetry)
        {
            this.body = body;
            this.deadlineNanos = deadlineNanos;
            this.timeoutNanos = timeoutNanos;
            this.completion = completion;
            this.telemetry = telemetry;
        }

        void send(final int call)
        {
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                fail(timedOut(), null);
                return;
            }
            final HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofNanos(remaining))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (key != null)
            {
                request.header("Authorization", "Bearer " + key);
            }
            final CompletableFuture<HttpResponse<String>> sent;
            try
            {
                sent = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            catch (final RuntimeException e)
            {
                fail("could not call " + endpoint + ": " + redact(e.toString()), null);
                return;
            }
            // the request timeout covers the wait for the headers only; this one covers a body that trickles too
            sent.copy().orTimeout(remaining, TimeUnit.NANOSECONDS).whenComplete((response, error) ->
            {
                try
                {
                    if (error != null)
                    {
                        // cancelling aborts the exchange, so a slow server does not keep the connection
                        sent.cancel(true);
                        onError(error);
                    }
                    else
                    {
                        onResponse(call, response);
                    }
                }
                catch (final RuntimeException | Error e)
                {
                    fail("the answer from " + endpoint + " could not be handled: " + redact(e.toString()), null);
                }
            });
        }

        private void onError(final Throwable error)
        {
            final Throwable cause = error instanceof CompletionException && error.getCause() != null ?
                error.getCause() : error;
            if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException)
            {
                fail(timedOut(), null);
            }
            else if (cause instanceof IOException)
            {
                // JDK I/O exceptions name the host and the problem, never the request's headers
                fail("could not call " + endpoint + ": " + redact(cause.toString()), cause);
            }
            else
            {
                fail("could not call " + endpoint + ": " + redact(cause.toString()), null);
            }
        }

        private void onResponse(final int call, final HttpResponse<String> response)
        {
            final int status = response.statusCode();
            if (status >= 200 && status < 300)
            {
                succeed(status, response.body());
                return;
            }
            if (status != 429 && status < 500)
            {
                fail("HTTP " + status + " from " + endpoint + hint(status) + ": " + excerpt(response.body()), status);
                return;
            }
            if (call > maxRetries)
            {
                fail("HTTP " + status + " from " + endpoint + " after " + call + " call(s), the adapter's limit; " +
                    "last answer: " + excerpt(response.body()), status);
                return;
            }
            final String header = response.headers().firstValue("Retry-After").orElse(null);
            final long asked = RetryAfter.millis(header, clock.instant());
            final long waitMillis = asked != RetryAfter.ABSENT ? asked : backoffMillis(call);
            if (waitMillis > maxRetryWaitMillis)
            {
                fail("HTTP " + status + " from " + endpoint + " asks to wait " + waitMillis + " ms (Retry-After: " +
                    header + "), more than the adapter's maxRetryWait of " + maxRetryWaitMillis + " ms", status);
                return;
            }
            final long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (waitMillis >= leftMillis)
            {
                fail("HTTP " + status + " from " + endpoint + " asks to wait " + waitMillis + " ms" +
                    (header != null ? " (Retry-After: " + header + ")" : "") + ", but only " + Math.max(0, leftMillis) +
                    " ms are left of the attempt's " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms timeout", status);
                return;
            }
            LOG.debug("HTTP {} from {}: call {} of at most {}, retrying in {} ms", status, endpoint, call,
                maxRetries + 1, waitMillis);
            CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS, retryExecutor).execute(() -> send(call + 1));
        }

        private void succeed(final int status, final String text)
        {
            final JsonNode root;
            try
            {
                root = JSON.readTree(text);
            }
            catch (final JsonProcessingException e)
            {
                fail("malformed JSON from " + endpoint + " (HTTP " + status + "): " + redact(firstLine(e.getOriginalMessage())) +
                    "; the answer began: " + excerpt(text), status);
                return;
            }
            final JsonNode message = root == null ? null : root.path("choices").path(0).path("message");
            if (message == null || !message.isObject())
            {
                fail("no choices[0].message in the answer from " + endpoint + " (HTTP " + status + "); is it an " +
                    "OpenAI-compatible chat-completions endpoint? The answer began: " + excerpt(text), status);
                return;
            }
            final JsonNode usage = root.path("usage");
            final long total = Math.max(0, usage.path("total_tokens").asLong(0));
            final ChatReply reply = new ChatReply(
                message.path("content").isTextual() ? message.path("content").asText() : null,
                root.path("choices").path(0).path("finish_reason").textValue(),
                root.path("model").textValue(),
                usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                total);
            if (finished.compareAndSet(false, true))
            {
                if (budgetLeft != null)
                {
                    telemetry.tokenBudgetLeft(Math.max(0, budgetLeft.addAndGet(-total)));
                }
                completion.succeed(reply, total, Double.NaN);
            }
        }

        private long backoffMillis(final int call)
        {
            final long ceiling = backoffBaseMillis << Math.min(call - 1, 16);
            return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        }

        private String hint(final int status)
        {
            if (status == 401 || status == 403)
            {
                return key == null ? " (no API key was sent: environment variable " + keyVariable + " is not set)" :
                    " (check the API key in environment variable " + keyVariable + ")";
            }
            return status == 404 ? " (is the base URL right? the adapter appends " + PATH + ")" : "";
        }

        private String timedOut()
        {
            return "timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms calling " + endpoint;
        }

        private void fail(final String message, final int status)
        {
            if (finished.compareAndSet(false, true))
            {
                completion.fail(new ChatCompletionsException(message, status, null));
            }
        }

        private void fail(final String message, final Throwable cause)
        {
            if (finished.compareAndSet(false, true))
            {
                completion.fail(new ChatCompletionsException(message, ChatCompletionsException.NO_STATUS, cause));
            }
        }
    }

    /** Collects the settings of a {@link ChatCompletionsAdapter}; not thread-safe, use from one thread. */
    public static final class Builder
    {
        private final String baseUrl;
        private final String model;
        private String keyVariable = DEFAULT_KEY_VARIABLE;
        private Function<String, String> environment = System::getenv;
        private Duration defaultTimeout = Duration.ofSeconds(60);
        private int maxRetries = 2;
        private Duration maxRetryWait = Duration.ofSeconds(30);
        private Duration backoffBase = Duration.ofMillis(250);
        private long tokenBudget = -1;
        private HttpClient client;
        private Executor retryExecutor;
        private Clock clock = Clock.systemUTC();

        private Builder(final String baseUrl, final String model)
        {
            if (model == null || model.isBlank())
            {
                throw new IllegalArgumentException("model must name the model to call, e.g. gpt-4o-mini, got '" +
                    model + "'");
            }
            endpoint(baseUrl);
            this.baseUrl = baseUrl;
            this.model = model;
        }

        /** The environment variable that holds the API key (default OPENAI_API_KEY). */
        public Builder apiKeyVariable(final String name)
        {
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("the API key variable must be a name such as OPENAI_API_KEY");
            }
            this.keyVariable = name;
            return this;
        }

        /** Where variables are looked up (default {@link System#getenv(String)}); tests pass a map's {@code get}. */
        public Builder environment(final Function<String, String> lookup)
        {
            this.environment = Objects.requireNonNull(lookup, "environment lookup must not be null");
            return this;
        }

        /** Timeout of an attempt whose task has none (default 60 s). */
        public Builder defaultTimeout(final Duration timeout)
        {
            if (timeout.isNegative() || timeout.isZero())
            {
                throw new IllegalArgumentException("default timeout must be positive, got " + timeout);
            }
            this.defaultTimeout = timeout;
            return this;
        }

        /** Retries of a 429 or 5xx answer within one attempt (default 2; 0 leaves every retry to the dispatcher). */
        public Builder maxRetries(final int retries)
        {
            if (retries < 0)
            {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /** Longest wait before a retry; a longer Retry-After fails the attempt instead (default 30 s). */
        public Builder maxRetryWait(final Duration wait)
        {
            if (wait.isNegative())
            {
                throw new IllegalArgumentException("maxRetryWait must be >= 0, got " + wait);
            }
            this.maxRetryWait = wait;
            return this;
        }

        /** First back-off without Retry-After, doubling per retry, with jitter in [half, all] (default 250 ms). */
        public Builder backoffBase(final Duration base)
        {
            if (base.isNegative() || base.isZero())
            {
                throw new IllegalArgumentException("backoffBase must be positive, got " + base);
            }
            this.backoffBase = base;
            return this;
        }

        /** Tokens the agent may spend; each answer's total is subtracted and published as telemetry (default none). */
        public Builder tokenBudget(final long tokens)
        {
            if (tokens < 0)
            {
                throw new IllegalArgumentException("tokenBudget must be >= 0, got " + tokens);
            }
            this.tokenBudget = tokens;
            return this;
        }

        /** The client to call with, e.g. one shared by every agent of a factory (default: a new one). */
        public Builder client(final HttpClient client)
        {
            this.client = Objects.requireNonNull(client, "client must not be null");
            return this;
        }

        /** Where retries are sent from once their wait is over (default: the client's executor, else the common pool). */
        public Builder retryExecutor(final Executor executor)
        {
            this.retryExecutor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /** The clock that Retry-After dates are compared with (default UTC system clock). */
        public Builder clock(final Clock clock)
        {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** @return the adapter; it reads the API key now. */
        public ChatCompletionsAdapter build()
        {
            return new ChatCompletionsAdapter(this);
        }
    }
}
