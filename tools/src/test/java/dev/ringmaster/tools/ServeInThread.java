package dev.ringmaster.tools;

import dev.ringmaster.admin.AdminClient;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringmaster serve} run on a thread of the test's JVM, with its output captured and its admin endpoint found
 * in it; one per test, used from the test's thread.
 */
final class ServeInThread
{
    private static final Pattern URL_LINE = Pattern.compile("admin endpoint: (http://127\\.0\\.0\\.1:\\d+)");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<Integer> code = new AtomicReference<>();
    private final Thread thread;

    private ServeInThread(final String... args)
    {
        final var cmd = RingmasterCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        thread = new Thread(() -> code.set(cmd.execute(args)), "serve-under-test");
    }

    /**
     * Starts {@code ringmaster ARGS} (args begin with "serve") and waits up to 30 s for its endpoint's line and the
     * token line printed just after it.
     */
    static ServeInThread start(final String... args) throws InterruptedException
    {
        final ServeInThread serve = new ServeInThread(args);
        serve.thread.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(URL_LINE.matcher(serve.out.toString()).find() && serve.out.toString().contains("admin token:")) &&
            serve.thread.isAlive())
        {
            assertThat(System.nanoTime() - deadline).as("serve started within 30 s; stderr: %s", serve.err).isNegative();
            Thread.sleep(20);
        }
        assertThat(URL_LINE.matcher(serve.out.toString()).find()).as("serve started; stderr: %s", serve.err).isTrue();
        return serve;
    }

    /** @return the endpoint's base URL. */
    String url()
    {
        final Matcher m = URL_LINE.matcher(out.toString());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** @return a client of the endpoint, with this token. */
    AdminClient client(final String token)
    {
        return new AdminClient(url(), token, Duration.ofSeconds(10));
    }

    String out()
    {
        return out.toString();
    }

    String err()
    {
        return err.toString();
    }

    /** Waits up to {@code seconds} for serve to end (its --duration), and @return its exit code. */
    int exitCode(final int seconds) throws InterruptedException
    {
        thread.join(TimeUnit.SECONDS.toMillis(seconds));
        assertThat(thread.isAlive()).as("serve ended within %s s; stderr: %s", seconds, err).isFalse();
        return code.get();
    }
}
