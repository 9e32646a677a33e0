package dev.ringmaster.plugins.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serve config of many chat agents without a key warns once per variable, not once per agent built, even when
 * the agents are built on several threads at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MissingKeyWarningTest
{
    @Test
    void aMissingKeyIsWarnedOncePerVariableNotOncePerAgent() throws Exception
    {
        // a loopback server first: its class sets the adapter's log level before the first logger reads the settings,
        // as the other tests of this package (one runs before or after this one in the same JVM) expect
        try (LoopbackServer server = new LoopbackServer())
        {
            assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
        }
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream logs = new ByteArrayOutputStream();
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try
        {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Future<?>> built = new ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                final String variable = i % 2 == 0 ? "RINGMASTER_TEST_NO_KEY_A" : "RINGMASTER_TEST_NO_KEY_B";
                built.add(threads.submit(() ->
                {
                    go.await(10, TimeUnit.SECONDS);
                    return ChatCompletionsAdapter.builder("http://127.0.0.1:9", "m").apiKeyVariable(variable)
                        .environment(name -> null).build();
                }));
            }
            go.countDown();
            for (final Future<?> f : built)
            {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        finally
        {
            threads.shutdownNow();
            System.setErr(stderr);
        }
        final String text = logs.toString(StandardCharsets.UTF_8);
        assertThat(count(text, "RINGMASTER_TEST_NO_KEY_A is not set")).as(text).isEqualTo(1);
        assertThat(count(text, "RINGMASTER_TEST_NO_KEY_B is not set")).as(text).isEqualTo(1);
    }

    private static int count(final String text, final String what)
    {
        final Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find())
        {
            n++;
        }
        return n;
    }
}
