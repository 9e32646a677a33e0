package dev.ringmaster.plugins.http;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Makes agents that call an OpenAI-compatible chat-completions endpoint, one {@link ChatCompletionsAdapter} per agent
 * over one shared {@link HttpClient}; immutable, so its methods may be called from any thread. Registered as the agent
 * factory plugin "openai-http".
 */
public final class ChatCompletionsAgentFactory implements AgentFactory
{
    public static final String NAME = "openai-http";
    /** Option, required: the endpoint's base URL; /v1/chat/completions is appended. */
    public static final String BASE_URL = "baseUrl";
    /** Option, required: the model to call. */
    public static final String MODEL = "model";
    /** Option: the environment variable holding the API key (default OPENAI_API_KEY). */
    public static final String API_KEY_ENV = "apiKeyEnv";
    /** Option: the timeout of an attempt whose task has none: 500ms, 30s, 2m or plain milliseconds (default 60s). */
    public static final String TIMEOUT = "timeout";
    /** Option: retries of a 429 or 5xx answer within one attempt (default 2). */
    public static final String MAX_RETRIES = "maxRetries";
    /** Option: tasks each agent runs at once (default 4). */
    public static final String CAPACITY = "capacity";
    /** Option: tokens each agent may spend, published as its token budget (default unlimited). */
    public static final String TOKEN_BUDGET = "tokenBudget";
    private static final Set<String> OPTIONS =
        Set.of(BASE_URL, MODEL, API_KEY_ENV, TIMEOUT, MAX_RETRIES, CAPACITY, TOKEN_BUDGET);

    private final String type;
    private final int capacity;
    private final Map<String, String> options;
    private final Function<String, String> environment;
    private final HttpClient client;

    /**
     * @param type        the agent type of every agent made.
     * @param options     the options above; unknown keys are an error.
     * @param environment where the API key variable is looked up, e.g. {@link System#getenv(String)}.
     * @throws IllegalArgumentException naming the bad option and what it accepts.
     */
    public ChatCompletionsAgentFactory(final String type, final Map<String, String> options,
                                       final Function<String, String> environment)
    {
        if (type == null || type.isBlank())
        {
            throw new IllegalArgumentException("agent type must be a non-blank string, got '" + type + "'");
        }
        for (final String key : options.keySet())
        {
            if (!OPTIONS.contains(key))
            {
                throw new IllegalArgumentException("unknown option '" + key + "' of agent factory '" + NAME +
                    "'; it accepts " + OPTIONS.stream().sorted().toList());
            }
        }
        for (final String required : new String[] {BASE_URL, MODEL})
        {
            if (options.get(required) == null || options.get(required).isBlank())
            {
                throw new IllegalArgumentException("agent factory '" + NAME + "' needs option '" + required + "'" +
                    (required.equals(BASE_URL) ? ", e.g. baseUrl=http://localhost:8000" : ", e.g. model=gpt-4o-mini"));
            }
        }
        this.type = type;
        this.options = Map.copyOf(options);
        this.environment = Objects.requireNonNull(environment, "environment lookup must not be null");
        this.capacity = (int)positive(CAPACITY, options.getOrDefault(CAPACITY, "4"), Integer.MAX_VALUE);
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // fail now, on the caller's thread, rather than when the first agent is made
        adapter();
    }

    @Override
    public String type()
    {
        return type;
    }

    @Override
    public AgentSpec spec(final String id)
    {
        return AgentSpec.builder(id, type).capacity(capacity).build();
    }

    @Override
    public AgentAdapter create(final AgentSpec spec)
    {
        // one adapter per agent: each has its own token budget
        return adapter();
    }

    private ChatCompletionsAdapter adapter()
    {
        final ChatCompletionsAdapter.Builder b = ChatCompletionsAdapter.builder(options.get(BASE_URL), options.get(MODEL))
            .client(client)
            .environment(environment)
            .apiKeyVariable(options.getOrDefault(API_KEY_ENV, ChatCompletionsAdapter.DEFAULT_KEY_VARIABLE))
            .defaultTimeout(duration(options.getOrDefault(TIMEOUT, "60s")))
            .maxRetries((int)positive(MAX_RETRIES, options.getOrDefault(MAX_RETRIES, "2"), 100, true));
        if (options.containsKey(TOKEN_BUDGET))
        {
            b.tokenBudget(positive(TOKEN_BUDGET, options.get(TOKEN_BUDGET), Long.MAX_VALUE, true));
        }
        return b.build();
    }

    private static long positive(final String option, final String value, final long max)
    {
        return positive(option, value, max, false);
    }

    private static long positive(final String option, final String value, final long max, final boolean zeroOk)
    {
        try
        {
            final long n = Long.parseLong(value.trim().replace("_", ""));
            if (n >= (zeroOk ? 0 : 1) && n <= max)
            {
                return n;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below, with what is accepted
        }
        throw new IllegalArgumentException("option '" + option + "' of agent factory '" + NAME + "' must be an " +
            "integer from " + (zeroOk ? 0 : 1) + " to " + max + ", got '" + value + "'");
    }

    /** Parses 500ms, 30s, 2m or plain milliseconds. */
    static Duration duration(final String value)
    {
        final String v = value.trim().toLowerCase(Locale.ROOT);
        try
        {
            final Duration d;
            if (v.endsWith("ms"))
            {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            else if (v.endsWith("s"))
            {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            else if (v.endsWith("m"))
            {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            else
            {
                d = Duration.ofMillis(Long.parseLong(v));
            }
            if (!d.isNegative() && !d.isZero())
            {
                return d;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below, with what is accepted
        }
        throw new IllegalArgumentException("option '" + TIMEOUT + "' of agent factory '" + NAME + "' must be a " +
            "positive duration such as 500ms, 30s or 2m, got '" + value + "'");
    }

    /** Registers {@link ChatCompletionsAgentFactory} with the ServiceLoader; stateless, keys come from the environment. */
    public static final class Provider implements AgentFactoryProvider
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "agents that call an OpenAI-compatible /v1/chat/completions endpoint; options: baseUrl, model " +
                "(required), apiKeyEnv (default OPENAI_API_KEY), timeout (60s), maxRetries (2), capacity (4), " +
                "tokenBudget";
        }

        @Override
        public AgentFactory create(final String type, final Map<String, String> options)
        {
            return new ChatCompletionsAgentFactory(type, Objects.requireNonNull(options, "options must not be null"),
                System::getenv);
        }
    }
}
