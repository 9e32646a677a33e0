package dev.ringmaster.plugins.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A chat-completions server on loopback, port 0, whose answers a test scripts; its handler runs on a pool of its
 * own, so a slow answer does not hold the others, and the recorded requests may be read from any thread.
 */
final class LoopbackServer implements AutoCloseable
{
    static
    {
        // show the adapter's debug lines, so that the test that looks for a leaked key in the logs has some to read
        System.setProperty("org.slf4j.simpleLogger.log.dev.ringmaster.plugins.http", "debug");
    }

    /** One scripted answer. */
    record Answer(int status, Map<String, String> headers, String body, long delayMillis)
    {
        static Answer ok(final String content, final long totalTokens)
        {
            return new Answer(200, Map.of(), completion(content, totalTokens), 0);
        }

        static Answer status(final int status, final String body)
        {
            return new Answer(status, Map.of(), body, 0);
        }

        Answer header(final String name, final String value)
        {
            final java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
            h.put(name, value);
            return new Answer(status, h, body, delayMillis);
        }

        Answer delayed(final long millis)
        {
            return new Answer(status, headers, body, millis);
        }
    }

    /** What the server received. */
    record Received(String method, String path, String authorization, String body, long nanos)
    {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "loopback-server");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Function<Received, Answer> script = r -> Answer.ok("hello", 42);

    LoopbackServer() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    static String completion(final String content, final long totalTokens)
    {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"test-model\"," +
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"}," +
            "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + (totalTokens / 2) +
            ",\"completion_tokens\":" + (totalTokens - totalTokens / 2) + ",\"total_tokens\":" + totalTokens + "}}";
    }

    /** Answers every request with {@code script}, which sees the request and may count calls. */
    LoopbackServer answer(final Function<Received, Answer> script)
    {
        this.script = script;
        return this;
    }

    /** Answers the n-th call (0-based) with {@code answers[n]}, and every later one with the last. */
    LoopbackServer answers(final Answer... answers)
    {
        final AtomicInteger n = new AtomicInteger();
        return answer(r -> answers[Math.min(n.getAndIncrement(), answers.length - 1)]);
    }

    String baseUrl()
    {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    String url()
    {
        return baseUrl() + ChatCompletionsAdapter.PATH;
    }

    List<Received> received()
    {
        return List.copyOf(received);
    }

    int calls()
    {
        return calls.get();
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), System.nanoTime());
            received.add(r);
            calls.incrementAndGet();
            final Answer a = script.apply(r);
            if (a.delayMillis() > 0)
            {
                try
                {
                    TimeUnit.MILLISECONDS.sleep(a.delayMillis());
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            final byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0)
            {
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(bytes);
                }
            }
        }
        catch (final IOException e)
        {
            // the client gave up (timeout) and closed the connection: expected in the slow tests
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        pool.shutdownNow();
    }
}
