package dev.ringmaster.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ringmaster.admin.AdminClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve --config FILE}: a fleet of {@code openai-http} agents declared in YAML, served against a local
 * OpenAI-compatible server that answers its first call with a 429, and tasks submitted over HTTP; and bad files
 * refused before anything starts, naming the line, the key and what it accepts.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServeConfigTest
{
    @TempDir
    Path dir;

    private HttpServer model;
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void startModel() throws IOException
    {
        model = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        model.createContext("/", this::answer);
        model.start();
    }

    @AfterEach
    void stopModel()
    {
        model.stop(0);
    }

    /** The first call is told to slow down; every later one gets an answer of 42 tokens. */
    private void answer(final HttpExchange x) throws IOException
    {
        try (x)
        {
            final String request = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final int n = calls.incrementAndGet();
            final byte[] body;
            if (n == 1)
            {
                x.getResponseHeaders().set("Retry-After", "0");
                body = "{\"error\":{\"message\":\"rate limited (test)\"}}".getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(429, body.length);
            }
            else
            {
                final String asked = request.contains("ping") ? "pong" : "answer";
                body = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"test-model\",\"choices\":[{\"index\":0," +
                    "\"message\":{\"role\":\"assistant\",\"content\":\"" + asked + "\"},\"finish_reason\":\"stop\"}]," +
                    "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":22,\"total_tokens\":42}}")
                    .getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "application/json");
                x.sendResponseHeaders(200, body.length);
            }
            try (OutputStream out = x.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    private String fleet()
    {
        final String url = "http://127.0.0.1:" + model.getAddress().getPort();
        return String.join("\n",
            "strategy: least-connections",
            "rateLimits:",
            "  - {tenant: team-a, tasksPerSecond: 1000}",
            "types:",
            "  coder:",
            "    factory: openai-http",
            "    options: {baseUrl: \"" + url + "\", model: test-model, apiKeyEnv: RINGMASTER_TEST_UNSET_KEY, capacity: 2}",
            "    agents: 2",
            "    skills: {java: 0.9}",
            "  reviewer:",
            "    factory: openai-http",
            "    options: {baseUrl: \"" + url + "\", model: test-model, apiKeyEnv: RINGMASTER_TEST_UNSET_KEY}",
            "    agents:",
            "      - {id: reviewer-fast, capacity: 1, speed: 2.0, skills: {security: 0.9}}",
            "");
    }

    @Test
    void aDeclaredFleetOfChatAgentsAnswersTasksSubmittedOverHttp() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("fleet.yaml"), fleet());
        final ServeInThread serve = ServeInThread.start("serve", "--config", file.toString(), "--port", "0", "--token",
            "s3cret", "--duration", "15");
        assertThat(serve.out()).contains("3 agents {coder=2, reviewer=1} from " + file);
        final AdminClient client = serve.client("s3cret");

        final List<Long> ids = new ArrayList<>();
        for (final String type : List.of("coder", "coder", "reviewer"))
        {
            final ObjectNode task = JsonNodeFactory.instance.objectNode().put("type", type).put("payload", "ping")
                .put("tenant", "team-a");
            final AdminClient.Response r = client.post("/tasks", task);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
            ids.add(r.body().path("task_id").asLong());
        }
        for (final long id : ids)
        {
            final AtomicReference<JsonNode> last = new AtomicReference<>();
            awaitTrue(() ->
            {
                last.set(client.get("/tasks/" + id).body());
                return last.get().path("state").asText().equals("COMPLETED") || last.get().has("error");
            });
            assertThat(last.get().path("state").asText()).as(last.get().toString()).isEqualTo("COMPLETED");
            final JsonNode done = client.get("/tasks/" + id).body();
            assertThat(done.path("result").path("content").asText()).isEqualTo("pong");
            assertThat(done.path("tokens").asLong()).isEqualTo(42);
        }
        assertThat(calls.get()).as("the 429 was retried within its attempt").isEqualTo(4);
        final JsonNode agents = client.get("/agents").body();
        assertThat(agents.toString()).contains("\"coder-1\"", "\"coder-2\"", "\"reviewer-fast\"");

        final DemoCommandTest.Run scale = DemoCommandTest.run("admin", "--url", serve.url(), "--token", "s3cret", "scale",
            "--type", "reviewer", "--agents", "2");
        assertThat(scale.exitCode()).as(scale.err()).isZero();
        assertThat(scale.out()).contains("added reviewer-1");

        assertThat(serve.exitCode(30)).as("serve exit code; stderr: %s", serve.err()).isZero();
        assertThat(serve.out()).contains("served 3 tasks: 3 completed");
    }

    @Test
    void anAcknowledgedServeAnswersATaskOnlyOnceItsAcceptanceIsJournaledAndStillFollowsItToItsEnd() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final ServeInThread serve = ServeInThread.start("serve", "--port", "0", "--journal", journal.toString(),
            "--durability", "acknowledged", "--rate", "50", "--token", "s3cret", "--duration", "8");
        final AdminClient client = serve.client("s3cret");

        final AdminClient.Response r = client.post("/tasks", JsonNodeFactory.instance.objectNode().put("type", "coder")
            .put("payload", "ping"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        final long id = r.body().path("task_id").asLong();
        try (dev.ringmaster.journal.JournalReader reader = dev.ringmaster.journal.JournalReader.open(journal))
        {
            assertThat(dev.ringmaster.journal.Audit.history(reader, id)).as("journaled before the 202")
                .extracting(dev.ringmaster.journal.JournalEvent::type).contains(dev.ringmaster.journal.EventType.ACCEPTED);
        }
        final AtomicReference<JsonNode> last = new AtomicReference<>();
        awaitTrue(() ->
        {
            last.set(client.get("/tasks/" + id).body());
            return last.get().has("state") && !last.get().path("state").asText().matches("waiting|assigned");
        });
        assertThat(last.get().path("state").asText()).as(last.get().toString()).isEqualTo("COMPLETED");

        assertThat(serve.exitCode(40)).as("serve exit code; stderr: %s", serve.err()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', ignoreLeadingAndTrailingWhitespace = false, value = {
        "an unknown key|    agentz: 2|line 8, key 'types.coder.agentz'|[agents, factory, options, skills, speed]",
        "an unknown factory|    factory: gpt|line 6, key 'types.coder.factory'|one of [echo, openai-http]",
        "a proficiency above 1|    skills: {java: 1.5}|line 8, key 'types.coder.skills.java'|a number from 0 to 1",
        "a negative count|    agents: -1|line 8, key 'types.coder.agents'|a number from 0 to 1024",
    })
    void aBadFileIsRefusedBeforeAnythingStarts(final String what, final String line, final String where,
                                               final String accepts) throws Exception
    {
        String text = fleet().replace("    agents: 2\n", "");
        text = line.contains("factory") ? text.replaceFirst("    factory: openai-http", line) :
            text.replaceFirst("    skills: \\{java: 0.9}", line);
        final Path file = Files.writeString(dir.resolve("bad.yaml"), text);

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --config " + file).contains(where, "it accepts", accepts)
            .doesNotContain("\tat ", "Exception");
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");
        assertThat(calls.get()).isZero();
    }

    @Test
    void aFileThatIsNotYamlNamesTheLine() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("broken.yaml"), "types:\n  coder: [unclosed\n");
        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + " line ", "not valid YAML or JSON", "fix the syntax");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', ignoreLeadingAndTrailingWhitespace = false, value = {
        "under a type|types:;  coder:;    factory: echo;    agents: 1;    agents: 3|line 5, key 'types.coder.agents'|" +
            "duplicate key 'agents' under types.coder (first at line 4)",
        "at the top|strategy: p2c;strategy: least-connections;types: {coder: {factory: echo}}|line 2, key 'strategy'|" +
            "duplicate key 'strategy' at the top level (first at line 1)",
        "in a listed agent|types:;  coder:;    factory: echo;    agents:;      - {id: a, capacity: 1, id: b}|" +
            "line 5, key 'types.coder.agents[0].id'|duplicate key 'id' under types.coder.agents[0] (first at line 5)",
    })
    void aDuplicateKeyIsRefusedNotSilentlyTheLastOneWins(final String what, final String lines, final String where,
                                                         final String says) throws Exception
    {
        final Path file = Files.writeString(dir.resolve("twice.yaml"), lines.replace(';', '\n') + "\n");

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --config " + file + " " + where + ": " + says)
            .contains("keep one").doesNotContain("\tat ", "Exception");
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");
    }

    @Test
    void keysThatRepeatOnlyInDifferentMapsAreNoDuplicates() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("same-names.yaml"), String.join("\n",
            "rateLimits:",
            "  - {type: coder, tasksPerSecond: 5}",
            "  - {type: reviewer, tasksPerSecond: 2}",
            "types:",
            "  coder: {factory: echo, agents: 1, skills: {java: 0.9}}",
            "  reviewer:",
            "    factory: echo",
            "    skills: {java: 0.5}",
            "    agents:",
            "      - {id: r1, skills: {java: 0.4}}",
            "      - {id: r2, skills: {java: 0.3}}",
            ""));

        final ServeConfig config = ServeConfig.load(file, ServeConfigTest.class.getClassLoader());

        assertThat(config.agents).extracting(a -> a.spec().id()).containsExactly("coder-1", "r1", "r2");
    }

    @Test
    void theFactoryServeRegistersForScalingMakesAgentsWithTheTypesSkillsAndSpeed() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("scaled.yaml"), String.join("\n",
            "types:",
            "  coder: {factory: echo, agents: 1, skills: {java: 0.9}, speed: 2.0}",
            "  reviewer: {factory: echo, agents: 1}",
            ""));

        final ServeConfig config = ServeConfig.load(file, ServeConfigTest.class.getClassLoader());

        // 'admin scale' and the autoscaler make agents through these: without the type's skills, a task that needs
        // java is refused NO_CAPABLE_AGENT once the declared agents are drained
        final dev.ringmaster.model.AgentSpec scaled = config.factories.get("coder").spec("coder-4");
        assertThat(scaled.id()).isEqualTo("coder-4");
        assertThat(scaled.type()).isEqualTo("coder");
        assertThat(scaled.proficiency()).containsEntry("java", 0.9);
        assertThat(scaled.speed()).isEqualTo(2.0);
        assertThat(scaled.capacity()).isEqualTo(config.agents.get(0).spec().capacity());
        assertThat(config.factories.get("coder").create(scaled)).isNotNull();
        assertThat(config.factories.get("reviewer").spec("reviewer-2").proficiency()).isEmpty();
    }

    @Test
    void aFileThatDeclaresNoAgentAtAllIsRefusedAsAProblemOfTheFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("none.yaml"), String.join("\n",
            "types:",
            "  coder:",
            "    factory: echo",
            "    agents: 0",
            ""));

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --config " + file + " line 4, key 'types.coder.agents': ")
            .contains("no type declares an agent", "declare at least one")
            .doesNotContain("builder.agent", "\tat ", "Exception");
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");
    }

    @Test
    void aFileWithSeveralMistakesIsRefusedNamingEachInFileOrder() throws Exception
    {
        // it used to name the first problem its checks met (the strategy before an unknown key above it), so an
        // operator fixed one mistake per start; a type whose factory is unknown still lets the next type be checked
        final Path file = Files.writeString(dir.resolve("several.yaml"), String.join("\n",
            "colour: blue",
            "types:",
            "  coder:",
            "    factory: gpt",
            "  reviewer:",
            "    factory: echo",
            "    agents:",
            "      - {id: r1, capacity: 0}",
            "      - {id: r2, capacity: 2, colour: red}",
            "strategy: fastest",
            ""));

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        final String err = run.err();
        assertThat(err).startsWith("error: --config " + file + " has 5 problems, in file order:")
            .doesNotContain("\tat ", "Exception");
        final String[] expected = {"line 1, key 'colour': unknown key", "line 4, key 'types.coder.factory': unknown " +
            "agent factory 'gpt'", "line 8, key 'types.reviewer.agents[0].capacity'",
            "line 9, key 'types.reviewer.agents[1].colour': unknown key", "line 10, key 'strategy': unknown strategy " +
            "'fastest'"};
        int at = 0;
        for (final String problem : expected)
        {
            final int found = err.indexOf(problem, at);
            assertThat(found).as("'%s' after position %d in:%n%s", problem, at, err).isGreaterThanOrEqualTo(at);
            at = found + problem.length();
        }
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");
    }

    @Test
    void aTypeNameTheEndpointWouldRefuseIsAProblemOfTheFile() throws Exception
    {
        // it used to start, be listed by GET /types, and never be sent a task: POST /tasks refuses the name
        final Path file = Files.writeString(dir.resolve("badname.yaml"), String.join("\n",
            "types:",
            "  \"bad type!\": {factory: echo, agents: 1}",
            ""));

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("type name 'bad type!' is not one the admin endpoint accepts",
            "letters, digits and . _ : @ -");
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");

        final Path badId = Files.writeString(dir.resolve("badid.yaml"), String.join("\n",
            "types:",
            "  coder:",
            "    factory: echo",
            "    agents:",
            "      - {id: \"coder one\", capacity: 1}",
            ""));
        final DemoCommandTest.Run id = DemoCommandTest.run("serve", "--config", badId.toString(), "--port", "0",
            "--duration", "1");
        assertThat(id.exitCode()).as(id.err()).isEqualTo(2);
        assertThat(id.err()).contains("agent id 'coder one' is not one the admin endpoint accepts");
    }

    @Test
    void aFactoryOptionItDoesNotTakeIsNamedWithWhatItAcceptsOnce() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("bogus.yaml"), String.join("\n",
            "types:",
            "  coder: {factory: echo, agents: 1, options: {bogus: 1}}",
            ""));

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("bogus", "types.coder.options");
        assertThat(run.err().split("accepts", -1)).as("'accepts' said once: %s", run.err()).hasSize(2);
    }

    @Test
    void aTypeAtNoAgentsBesideOneWithAgentsIsServed() throws Exception
    {
        // agents: 0 is a type that waits for 'admin add-agent' or 'admin scale': fine while another type runs
        final Path file = Files.writeString(dir.resolve("later.yaml"), String.join("\n",
            "types:",
            "  coder: {factory: echo, agents: 0}",
            "  reviewer: {factory: echo, agents: 1}",
            ""));

        final ServeConfig config = ServeConfig.load(file, ServeConfigTest.class.getClassLoader());

        assertThat(config.agents).extracting(a -> a.spec().id()).containsExactly("reviewer-1");
        assertThat(config.factories).containsKeys("coder", "reviewer");
    }

    @Test
    void agentsListedWithoutASpeedTakeTheirFactorysSpeed() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("listed.yaml"), String.join("\n",
            "types:",
            "  reviewer:",
            "    factory: echo",
            "    agents:",
            "      - {id: r1, capacity: 2}",
            "      - {id: r2, speed: 4}",
            ""));

        final ServeConfig config = ServeConfig.load(file, ServeConfigTest.class.getClassLoader());

        assertThat(config.agents).extracting(a -> a.spec().id() + "@" + a.spec().speed())
            .containsExactly("r1@1.0", "r2@4.0");
    }

    @Test
    void aMissingOrDirectoryConfigSaysWhichAndWhatToGive() throws Exception
    {
        final Path missing = dir.resolve("nowhere.yaml");
        final DemoCommandTest.Run absent = DemoCommandTest.run("serve", "--config", missing.toString(), "--port", "0");
        assertThat(absent.exitCode()).isEqualTo(2);
        assertThat(absent.err()).contains(missing + " does not exist", "give the path of a YAML file")
            .doesNotContain("Exception");

        final DemoCommandTest.Run directory = DemoCommandTest.run("serve", "--config", dir.toString(), "--port", "0");
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err()).contains(dir + " is a directory", "give the path of a YAML file")
            .doesNotContain("Exception");
    }

    @Test
    void aJournalDurabilityWithoutAJournalDirectoryIsRefused() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("durable.yaml"), String.join("\n",
            "journal: {durability: acknowledged}",
            "types: {reviewer: {factory: echo, agents: 1}}",
            ""));

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--port", "0",
            "--duration", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("journal.durability in " + file + " needs journal.dir there, or --journal DIR");
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");
    }

    @ParameterizedTest(name = "fails in {0}")
    @CsvSource({"spec, could not make agent 'coder-1': java.lang.AssertionError: spec assert",
        "create, could not make agent 'coder-1': java.lang.AssertionError: create assert",
        "null, made no adapter for agent 'coder-1': its create(AgentSpec) returned null; fix it and rebuild",
        // a user's trial: a raw NullPointerException, and an agent of another type served under the file's type
        "nullspec, made no spec for agent 'coder-1': its spec(String) returned null; fix it and rebuild",
        "spectype, made agent 'coder-1' of type 'elsewhere'"})
    void aFactoryThatThrowsAnErrorOrMakesNoAdapterIsAProblemOfTheFileNamingTheAgentAndTheFactory(final String fails, final String error)
        throws Exception
    {
        final Path services = dir.resolve("cp/META-INF/services/dev.ringmaster.spi.AgentFactoryProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, ErrorAgentFactory.class.getName() + "\n");
        final Path file = Files.writeString(dir.resolve("errors.yaml"), String.join("\n",
            "types:",
            "  coder: {factory: error-agents, options: {fails: " + fails + "}, agents: 1}",
            ""));

        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
            new java.net.URL[] {dir.resolve("cp").toUri().toURL()}, ServeConfigTest.class.getClassLoader()))
        {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeConfig.load(file, loader))
                .isInstanceOf(ConfigProblem.class)
                .hasMessageContaining(file + " line 2, key 'types.coder.agents'")
                .hasMessageContaining("the agent factory " + ErrorAgentFactory.class.getName())
                .hasMessageContaining("(from " + ServeConfigTest.class.getProtectionDomain().getCodeSource()
                    .getLocation().getPath().replaceAll("/$", "") + ")")
                .hasMessageContaining(error);
        }
    }

    @Test
    void anAdapterWhoseStartFailsIsNamedWithItsFactoryAndJarNotWithSupervisionServeDoesNotOffer() throws Exception
    {
        // a user's trial: "fix it, or configure supervision with an AgentFactory to restart it", nothing serve has
        final Path plugins = Files.createDirectories(dir.resolve("factory-plugins"));
        final Path jar = plugins.resolve("error-agents.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)))
        {
            out.putNextEntry(new java.util.jar.JarEntry(dev.ringmaster.plugin.PluginKind.AGENT_FACTORY.servicesFile()));
            out.write((ErrorAgentFactory.class.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        final Path file = Files.writeString(dir.resolve("start.yaml"), String.join("\n",
            "types:",
            "  coder: {factory: error-agents, options: {fails: start}, agents: 1}",
            ""));

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--plugins",
            plugins.toString(), "--port", "0", "--duration", "1");

        assertThat(run.exitCode()).as("stdout: %s", run.out()).isEqualTo(1);
        assertThat(run.err()).contains("agent 'coder-1' failed to start", "start link",
                "its adapter was made by the agent factory " + ErrorAgentFactory.class.getName(),
                "for type 'coder' of " + file, "fix the adapter's start()")
            .doesNotContain("configure supervision");
    }

    @Test
    void aRateWithAConfigIsRefusedSinceTheFileServesNoGeneratedLoad() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("echo.yaml"), "types: {reviewer: {factory: echo, agents: 1}}\n");

        final DemoCommandTest.Run run = DemoCommandTest.run("serve", "--config", file.toString(), "--rate", "50",
            "--port", "0", "--duration", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--rate sets the demo fleet's generated load", "drop --rate",
            "POST /tasks");
        assertThat(run.out()).as("nothing started").doesNotContain("admin endpoint");
    }

    private static void awaitTrue(final Check condition) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.ok())
        {
            assertThat(System.nanoTime() - deadline).as("condition not met within 20 s").isNegative();
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface Check
    {
        boolean ok() throws Exception;
    }
}
