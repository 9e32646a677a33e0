package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code agent-host} and {@code demo --remote-hosts}: bad options fail at once with the fix; the demo across two real
 * agent-host processes, one killed with {@code kill -9}, loses nothing.
 */
class RemoteCommandsTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "agent-host                                             | no agents to host; give --fleet demo",
        "agent-host --fleet nope                                | --fleet 'nope' is not a fleet",
        "agent-host --fleet demo --dispatcher localhost         | 'localhost' is not HOST:PORT",
        "agent-host --fleet demo --listen 127.0.0.1:70000       | '127.0.0.1:70000' is not HOST:PORT",
        "agent-host --fleet demo --host-id a/b                  | --host-id 'a/b' is not a host id",
        "agent-host --agent echo                                | --agent 'echo' is not FACTORY:TYPE[:COUNT]",
        "agent-host --agent echo:coder:0                        | --agent 'echo:coder:0' is not FACTORY:TYPE[:COUNT]",
        "agent-host --agent nosuch:coder                        | unknown agent factory 'nosuch'",
        "agent-host --fleet demo --external-driver              | --external-driver needs --aeron-dir DIR",
        "agent-host --fleet demo --heartbeat 1s --silence-timeout 1s | must be at least twice the heartbeat",
        "demo --kill-host-after 2s                              | --kill-host-after needs --remote-hosts 2",
        "demo --remote-hosts 1 --kill-host-after 2s             | --kill-host-after needs --remote-hosts 2",
        "demo --remote-hosts 17                                 | give at most 16",
        "demo --remote-hosts 2 --kill-host-after soon           | 'soon' is not a time",
    })
    void badOptionsFailAtOnceWithTheFix(final String args, final String expected)
    {
        final DemoCommandTest.Run run = DemoCommandTest.run(args.trim().split("\\s+"));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: ").contains(expected).doesNotContain("\tat ");
    }

    @Test
    void anAgentFactoryPluginThatThrowsAnErrorIsNamedWithTheFixNotARawStackTrace(
        @org.junit.jupiter.api.io.TempDir final java.nio.file.Path plugins) throws Exception
    {
        // a plugin jar that only registers the test factory (its class is on the test classpath), whose create()
        // throws an AssertionError
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(
            java.nio.file.Files.newOutputStream(plugins.resolve("error-agents.jar"))))
        {
            jar.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.ringmaster.spi.AgentFactoryProvider"));
            jar.write((ErrorAgentFactory.class.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }

        final DemoCommandTest.Run run = DemoCommandTest.run("agent-host", "--plugins", plugins.toString(), "--agent",
            "error-agents:coder");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: --agent 'error-agents:coder': agent factory 'error-agents' could " +
            "not make agent 'coder-1@").contains("java.lang.AssertionError: create assert", "fix the plugin")
            .doesNotContain("\tat ");
    }

    @Test
    void anErrorThatEscapesACommandIsAnErrorLineNotARawStackTrace()
    {
        final picocli.CommandLine cmd = RingmasterCli.commandLine();
        cmd.addSubcommand("explode", new Exploding());
        final java.io.StringWriter err = new java.io.StringWriter();
        cmd.setErr(new java.io.PrintWriter(err, true));

        final int code = cmd.execute("explode");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: java.lang.StackOverflowError: deep")
            .contains("run again with --verbose").doesNotContain("\tat ");
    }

    /** A command whose run ends in an Error, as a runaway plugin's would. */
    @picocli.CommandLine.Command(name = "explode")
    static final class Exploding implements java.util.concurrent.Callable<Integer>
    {
        @Override
        public Integer call()
        {
            throw new StackOverflowError("deep");
        }
    }

    @Test
    void benchRunsTheRemoteSystemWhenNamed(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path out)
        throws Exception
    {
        final DemoCommandTest.Run run = DemoCommandTest.run("bench", "--quick", "--no-max", "--json", "--systems",
            "ringmaster,ringmaster-remote", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        final JsonNode json = new ObjectMapper().readTree(run.out());
        final java.util.List<String> systems = new java.util.ArrayList<>();
        json.get("systems").forEach(sys -> systems.add(sys.get("name").asText()));
        assertThat(systems).containsExactly("ringmaster", "ringmaster-remote");
        assertThat(json.get("runs")).hasSize(4);
        json.get("runs").forEach(r -> assertThat(r.get("tasks").asLong()).as("measured tasks of %s", r).isPositive());
    }

    @Test
    void demoAcrossTwoHostProcessesWithOneKilledLosesNothing() throws Exception
    {
        // the kill and the silence timeout (1 s) must both fall well inside the run: 20,000 tasks killed after 1 s
        // finished in 1.8 s on a quiet machine, before the host was given up, and this test then failed
        final DemoCommandTest.Run run = DemoCommandTest.run("demo", "--remote-hosts", "2", "--tasks", "40000",
            "--kill-host-after", "300ms", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        final JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("transport").asText()).isEqualTo("aeron-udp");
        assertThat(json.get("hosts").asInt()).isEqualTo(2);
        assertThat(json.get("hosts_killed").asInt()).isEqualTo(1);
        assertThat(json.get("lost").asLong()).isZero();
        final long accepted = json.get("accepted").asLong();
        assertThat(accepted).isEqualTo(40_000);
        assertThat(json.get("completed").asLong() + json.get("dead_lettered").asLong() + json.get("expired").asLong() +
            json.get("cancelled").asLong()).isEqualTo(accepted);
        final JsonNode remote = json.get("remote");
        // at least the killed one: on a starved machine a live host may be given up too, and comes back
        assertThat(remote.get("hosts_lost").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(remote.get("killed_host_tasks").asLong()).isPositive();
        assertThat(remote.get("killed_host_tasks_completed_elsewhere").asLong() +
            remote.get("killed_host_tasks_dead_lettered").asLong() +
            remote.get("killed_host_tasks_completed_there_before").asLong())
            .isEqualTo(remote.get("killed_host_tasks").asLong());
        assertThat(json.get("problems")).isEmpty();
    }
}
