package dev.ringmaster.remote.internal;

import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary of held-back lines is logged at their level: an INFO line held back is no reason for a WARN. */
class ThrottledLogTest
{
    /** Every call made to the logger, as "level: format". */
    static Logger recording(final List<String> lines)
    {
        return (Logger)Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) ->
            {
                if (args != null && args.length > 0 && args[0] instanceof String format
                    && List.of("info", "warn", "error", "debug", "trace").contains(method.getName()))
                {
                    lines.add(method.getName() + ": " + format);
                }
                return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });
    }

    @Test
    void heldBackInfoLinesAreSummarisedAtInfo() throws Exception
    {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final ThrottledLog log = new ThrottledLog(recording(lines), Duration.ofMillis(50).toNanos());
        log.info("first {}", 1);
        log.info("held {}", 2);
        final long since = System.nanoTime();
        Await.until("the interval passed", Duration.ofSeconds(5),
            () -> System.nanoTime() - since > Duration.ofMillis(60).toNanos());
        log.info("next {}", 3);
        assertThat(lines).containsExactly("info: first {}", "info: {} similar line(s) held back since the last one",
            "info: next {}");
    }

    @Test
    void aHeldBackWarningIsSummarisedAtWarn() throws Exception
    {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final ThrottledLog log = new ThrottledLog(recording(lines), Duration.ofMillis(50).toNanos());
        log.info("first {}", 1);
        log.info("held {}", 2);
        log.warn("held too {}", 3);
        final long since = System.nanoTime();
        Await.until("the interval passed", Duration.ofSeconds(5),
            () -> System.nanoTime() - since > Duration.ofMillis(60).toNanos());
        log.info("next {}", 4);
        assertThat(lines).containsExactly("info: first {}", "warn: {} similar line(s) held back since the last one",
            "info: next {}");
    }
}
