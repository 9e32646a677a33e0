package dev.ringmaster.plugins.http;

/**
 * The result a {@link ChatCompletionsAdapter} hands to the dispatcher for a successful attempt; immutable, so usable
 * from any thread.
 *
 * @param content          the first choice's message content; null when the model answered with tool calls only.
 * @param finishReason     why the model stopped, e.g. "stop" or "length"; null if the endpoint did not say.
 * @param model            the model that answered, as the endpoint reports it.
 * @param promptTokens     {@code usage.prompt_tokens}, 0 if absent.
 * @param completionTokens {@code usage.completion_tokens}, 0 if absent.
 * @param totalTokens      {@code usage.total_tokens}, 0 if absent; the figure reported to the dispatcher.
 */
public record ChatReply(String content, String finishReason, String model, long promptTokens, long completionTokens,
                        long totalTokens)
{
}
