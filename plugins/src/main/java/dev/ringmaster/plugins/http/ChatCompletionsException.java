package dev.ringmaster.plugins.http;

/**
 * Why one attempt of a {@link ChatCompletionsAdapter} failed, with the endpoint and, for an HTTP answer, its status;
 * immutable once thrown. Its message never holds the API key.
 */
public final class ChatCompletionsException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** {@link #status()} when no HTTP answer came (timeout, connection refused, bad payload). */
    public static final int NO_STATUS = -1;

    private final int status;

    ChatCompletionsException(final String message, final int status, final Throwable cause)
    {
        super(message, cause);
        this.status = status;
    }

    /** @return the HTTP status of the last answer, or {@link #NO_STATUS}. */
    public int status()
    {
        return status;
    }
}
