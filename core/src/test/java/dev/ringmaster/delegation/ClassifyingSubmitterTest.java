package dev.ringmaster.delegation;

import dev.ringmaster.testing.TestStrategies;
import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.TaskClassifier;
import dev.ringmaster.spi.TaskClassifierProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The Router model: a classifier types an untyped task by its content; an unknown type fails clearly. */
class ClassifyingSubmitterTest
{
    private final Tally tally = new Tally();
    private final Dispatcher dispatcher = Dispatcher.builder()
        .agent(AgentSpec.builder("c1", "coder").build(), AgentAdapter.sync(t -> "code for " + t.task().payload()))
        .agent(AgentSpec.builder("t1", "translator").build(), AgentAdapter.sync(t -> "translation"))
        .strategy(TestStrategies.leastLoaded()).listener(tally).build().start();
    private final TaskClassifier keywords = KeywordClassifier.builder("keywords")
        .rule("java", "coder").rule("translate", "translator").rule("paint", "painter").build();

    @AfterEach
    void close()
    {
        dispatcher.close();
    }

    @Test
    void routesUntypedTasksByContent() throws Exception
    {
        final ClassifyingSubmitter router = new ClassifyingSubmitter(dispatcher, keywords);
        final Task bug = Task.builder(ClassifyingSubmitter.AUTO).payload("Fix the Java NPE in the parser").build();
        final Task french = Task.builder(ClassifyingSubmitter.AUTO).payload("translate this into French").build();

        final TaskResult coded = router.submitAsync(bug).get(5, TimeUnit.SECONDS);
        final TaskResult translated = router.submitAsync(french).get(5, TimeUnit.SECONDS);

        assertThat(coded.agentId()).isEqualTo("c1");
        assertThat(coded.task().type()).isEqualTo("coder");
        assertThat(coded.task().id()).as("the typed copy keeps the id the caller knows").isEqualTo(bug.id());
        assertThat(coded.task().payload()).isEqualTo(bug.payload());
        assertThat(translated.agentId()).isEqualTo("t1");
        assertThat(router.classified()).isEqualTo(2);

        final Task typed = Task.builder("translator").payload("java, but typed by hand").build();
        assertThat(router.submitAsync(typed).get(5, TimeUnit.SECONDS).agentId()).as("typed tasks pass through")
            .isEqualTo("t1");
        assertThat(router.passedThrough()).isEqualTo(1);
        assertThat(dispatcher.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
        assertThat(tally.accepted).hasSize(3);
    }

    @Test
    void aTypeNoAgentHasFailsNamingTheClassifierAndTheType() throws Exception
    {
        final ClassifyingSubmitter router = new ClassifyingSubmitter(dispatcher, keywords);

        final Throwable failure = catchThrowable(() ->
            router.submitAsync(Task.builder(ClassifyingSubmitter.AUTO).payload("paint a fence").build())
                .get(5, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("classifier 'keywords'").hasMessageContaining("'painter'")
            .hasMessageContaining("coder").hasMessageContaining("translator");
        assertThat(((RejectedTaskException)failure.getCause()).status()).isEqualTo(SubmitStatus.UNKNOWN_AGENT_TYPE);
        assertThatThrownBy(() -> router.classify(Task.builder(ClassifyingSubmitter.AUTO).payload("hello").build()))
            .isInstanceOf(RejectedTaskException.class).hasMessageContaining("classifier 'keywords' gave no type");
        final ClassifyingSubmitter throwing = new ClassifyingSubmitter(dispatcher,
            TaskClassifier.named("flaky", t ->
            {
                throw new IllegalStateException("model offline");
            }));
        assertThatThrownBy(() -> throwing.classify(Task.builder(ClassifyingSubmitter.AUTO).build()))
            .isInstanceOf(RejectedTaskException.class).hasMessageContaining("classifier 'flaky' failed")
            .hasMessageContaining("model offline").hasCauseInstanceOf(IllegalStateException.class)
            .as("the task's type 'auto' is the classifier's to replace: registering an agent of it is no fix")
            .hasMessageNotContaining("register one, or fix the task's type");
        assertThat(router.unclassifiable()).isEqualTo(2);
        assertThat(dispatcher.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(tally.accepted).as("nothing was submitted").isEmpty();
    }

    @Test
    void classifiedTasksCanGoOnToAnotherDelegationModel() throws Exception
    {
        final Broadcast broadcast = new Broadcast(dispatcher);
        final ClassifyingSubmitter router = new ClassifyingSubmitter(dispatcher, keywords, broadcast);

        final TaskResult result =
            router.submitAsync(Task.builder(ClassifyingSubmitter.AUTO).payload("java please").build())
                .get(5, TimeUnit.SECONDS);

        assertThat(result.agentId()).isEqualTo("c1");
        assertThat(broadcast.broadcasts()).isEqualTo(1);
        assertThat(dispatcher.drain(Duration.ofSeconds(5))).isTrue();
        tally.assertConserved();
    }

    @Test
    void theKeywordClassifierIsRegisteredUnderItsName() throws Exception
    {
        assertThat(TaskClassifiers.names(getClass().getClassLoader())).contains(KeywordClassifier.Provider.NAME);
        final TaskClassifier found = TaskClassifiers.create("keywords", getClass().getClassLoader());
        assertThat(found).isInstanceOf(KeywordClassifier.class);
        assertThat(found.name()).isEqualTo("keywords");
        assertThat(found.classify(Task.builder(ClassifyingSubmitter.AUTO).payload("Please REVIEW this diff").build()))
            .isEqualTo("reviewer");
        assertThat(found.classify(Task.builder(ClassifyingSubmitter.AUTO).payload("investigate the outage").build()))
            .isEqualTo("researcher");
        assertThat(found.classify(Task.builder(ClassifyingSubmitter.AUTO).payload("add a flag").build()))
            .isEqualTo("coder");
    }

    @Test
    void classifiersAreFoundByNameThroughServiceLoader(@TempDir final Path plugins) throws Exception
    {
        final Path services = plugins.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(TaskClassifierProvider.class.getName()),
            "# a plugin's registration\n" + TestClassifierProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {plugins.toUri().toURL()},
            getClass().getClassLoader()))
        {
            assertThat(TaskClassifiers.names(loader)).contains("test-keywords");
            final TaskClassifier loaded = TaskClassifiers.create("test-keywords", loader);
            final ClassifyingSubmitter router = new ClassifyingSubmitter(dispatcher, loaded);
            assertThat(router.submitAsync(Task.builder(ClassifyingSubmitter.AUTO).payload("java").build())
                .get(5, TimeUnit.SECONDS).agentId()).isEqualTo("c1");
            assertThatThrownBy(() -> TaskClassifiers.create("nope", loader))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown task classifier 'nope'").hasMessageContaining("test-keywords");
        }
    }

    /** A classifier plugin that hits a StackOverflowError (a runaway regex) fails the stage like one that throws. */
    @Test
    void aClassifierThatThrowsAnErrorFailsTheStageAndSubmitsNothing() throws Exception
    {
        final ClassifyingSubmitter router = new ClassifyingSubmitter(dispatcher, TaskClassifier.named("runaway", t ->
        {
            throw new StackOverflowError();
        }));

        final Throwable failure = catchThrowable(() ->
            router.submitAsync(Task.builder(ClassifyingSubmitter.AUTO).build()).get(5, TimeUnit.SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RejectedTaskException.class)
            .hasMessageContaining("classifier 'runaway' failed").hasCauseInstanceOf(StackOverflowError.class);
        assertThat(router.unclassifiable()).isEqualTo(1);
        assertThat(dispatcher.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(tally.accepted).as("nothing was submitted").isEmpty();
    }
}
