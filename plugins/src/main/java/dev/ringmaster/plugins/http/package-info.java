/**
 * The HTTP agent adapter for OpenAI-compatible chat-completions endpoints
 * ({@link dev.ringmaster.plugins.http.ChatCompletionsAdapter}) and its agent factory plugin "openai-http"
 * ({@link dev.ringmaster.plugins.http.ChatCompletionsAgentFactory}).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>asynchronous: {@code execute} returns once the request is handed to the JDK {@code HttpClient}; the
 *       completion is called from the client's executor (or, after a timeout, from the JDK's delayer thread);</li>
 *   <li>each attempt ends exactly once, within its timeout: the task's own, else the adapter's default;</li>
 *   <li>429 and 5xx answers are retried inside the attempt, honouring {@code Retry-After}, a bounded number of times
 *       and never past the attempt's deadline; every other failure ends the attempt and leaves the retry to the
 *       dispatcher;</li>
 *   <li>the API key is read from an environment variable and only ever sent as {@code Authorization: Bearer}: it is
 *       never logged, and failure messages, results and everything listeners see have it redacted.</li>
 * </ul>
 */
package dev.ringmaster.plugins.http;
