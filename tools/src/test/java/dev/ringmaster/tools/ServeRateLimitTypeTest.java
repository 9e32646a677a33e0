package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve --config FILE} with a rate limit on an agent type the file does not declare is refused before anything
 * starts (exit 2), naming the key, the bad value and the types it accepts, not with a stack trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeRateLimitTypeTest
{
    @TempDir
    Path dir;

    @Test
    void aRateLimitOnAnUndeclaredTypeNamesTheKeyTheValueAndTheDeclaredTypes() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("limits.yaml"), String.join("\n",
            "rateLimits:",
            "  - {tenant: team-a, tasksPerSecond: 5}",
            "  - {type: tester, tasksPerSecond: 5}",
            "types:",
            "  coder: {factory: echo, agents: 1}",
            "  reviewer: {factory: echo, agents: 1}",
            ""));

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).as("stdout: %s; stderr: %s", run.out(), run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --config " + file)
            .contains("line 3", "rateLimits[1].type", "'tester'", "coder", "reviewer")
            .doesNotContain("\tat ", "Exception");
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");
    }
}
