package dev.ringmaster.tools;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.journal.Journal;
import dev.ringmaster.journal.JournalConfig;
import dev.ringmaster.journal.PayloadCodec;
import dev.ringmaster.journal.Recovery;
import dev.ringmaster.journal.RecoveryPlan;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.predict.PatternPredictor;
import dev.ringmaster.predict.PredictionModels;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code learn} trains the predictor from a demo journal and writes a model that loads back; bad input fails clearly. */
class LearnCommandTest
{
    @TempDir
    Path tmp;

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aTaskRecoveryDispatchedAgainIsLearntAsOneArrival() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final Dispatcher crashed;
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            // an agent that never answers: task 900 is still open when the journal stops, as in a killed run
            crashed = Dispatcher.builder().strategy("least-connections").listener(journal.listener())
                .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), (task, completion, telemetry) -> { })
                .build().start();
            crashed.submit(Task.builder("coder").id(900).payload("left open").build(), Duration.ofSeconds(5));
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (RecoverCommandTest.openIn(dir) == 0)
            {
                assertThat(System.nanoTime() - deadline).as("task 900 journaled within 20 s").isNegative();
                Thread.sleep(10);
            }
        }
        crashed.shutdownNow();
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().strategy("least-connections").listener(journal.listener())
                .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), AgentAdapter.sync(t -> "done"))
                .build().start();
            assertThat(RecoveryPlan.rejected(plan.redispatch(journal, d, Duration.ofSeconds(5)))).isZero();
            d.submit(Task.builder("coder").id(901).payload("new").build(), Duration.ofSeconds(5));
            assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
            d.close();
        }

        final DemoCommandTest.Run learn = run("learn", dir.toString(), "--out", tmp.resolve("m.rmp").toString());

        assertThat(learn.exitCode()).as("learn stderr: %s", learn.err()).isZero();
        assertThat(learn.out()).as("tasks 900 and 901").contains("learnt from 2 arrivals",
            "1 acceptances of tasks recovery dispatched again left out");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aTaskTheShutdownCancelledAndRecoveryDispatchedAgainIsLearntAsOneArrival() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CompletableFuture<Object> first = new java.util.concurrent.CompletableFuture<>();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().seed(7).workers(1).listener(journal.listener())
                .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), AgentAdapter.async(t ->
                {
                    started.countDown();
                    return first; // holds the only slot: task 801 waits
                }))
                .build().start();
            d.submit(Task.builder("coder").id(800).payload("runs").build(), Duration.ofSeconds(5));
            assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            d.submit(Task.builder("coder").id(801).payload("waits").build(), Duration.ofSeconds(5));
            assertThat(d.shutdownNow()).extracting(Task::id).containsExactly(801L);
            first.complete("done");
            assertThat(d.awaitTermination(Duration.ofSeconds(10))).isTrue();
            d.close();
        }
        final RecoveryPlan plan = Recovery.scan(dir, PayloadCodec.standard());
        assertThat(plan.pending()).extracting(Task::id).containsExactly(801L);
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().listener(journal.listener())
                .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), AgentAdapter.sync(t -> "done"))
                .build().start();
            assertThat(RecoveryPlan.rejected(plan.redispatch(journal, d, Duration.ofSeconds(5)))).isZero();
            assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
            d.close();
        }

        final DemoCommandTest.Run learn = run("learn", dir.toString(), "--out", tmp.resolve("m.rmp").toString());

        assertThat(learn.exitCode()).as("learn stderr: %s", learn.err()).isZero();
        assertThat(learn.out()).as("tasks 800 and 801; the shutdown's cancel did not end 801").contains(
            "learnt from 2 arrivals", "1 acceptances of tasks recovery dispatched again left out");
    }

    @Test
    void aPredictorPluginThatFailsIsNamedWithItsJarAndTheFixAndNothingIsWritten() throws IOException
    {
        // a user's trial: observe()'s bare message as the error, and writeModel()'s failure sent the user to the file
        // system's permissions
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "300", "--seed", "4", "--json", "--journal", dir.toString()).exitCode())
            .isZero();
        final Path plugins = java.nio.file.Files.createDirectories(tmp.resolve("plugins"));
        final Path jar = plugins.resolve("predictors.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar)))
        {
            out.putNextEntry(new java.util.jar.JarEntry(dev.ringmaster.plugin.PluginKind.PREDICTOR.servicesFile()));
            out.write((FaultyPredictors.ObserveThrows.class.getName() + "\n" + FaultyPredictors.WriteThrows.class.getName() +
                "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        final Path model = tmp.resolve("m.rmp");

        final DemoCommandTest.Run observe = run("learn", dir.toString(), "--out", model.toString(), "--plugins",
            plugins.toString(), "--predictor", FaultyPredictors.ObserveThrows.NAME);
        assertThat(observe.exitCode()).isEqualTo(1);
        assertThat(observe.err()).startsWith("error: the predictor '" + FaultyPredictors.ObserveThrows.NAME + "' (")
            .contains("failed in observe() at arrival 101", "observe blew up at 101", "fix its observe() and rebuild");

        final DemoCommandTest.Run write = run("learn", dir.toString(), "--out", model.toString(), "--plugins",
            plugins.toString(), "--predictor", FaultyPredictors.WriteThrows.NAME);
        assertThat(write.exitCode()).isEqualTo(1);
        assertThat(write.err()).contains("the predictor '" + FaultyPredictors.WriteThrows.NAME + "'",
                "failed to write its model: java.io.IOException: cannot serialize", "fix its writeModel(DataOutput)",
                "nothing was written")
            .doesNotContain("permissions");
        assertThat(model).doesNotExist();
    }

    @Test
    void learnsFromADemoJournalAndWritesAModelThatLoadsBack() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "1500", "--seed", "4", "--json", "--journal", dir.toString()).exitCode())
            .isZero();
        final Path model = tmp.resolve("patterns.rmp");

        final DemoCommandTest.Run learn = run("learn", dir.toString(), "--out", model.toString());

        assertThat(learn.exitCode()).as("learn stderr: %s", learn.err()).isZero();
        assertThat(learn.out()).contains("learnt from 1,500 arrivals", "model written to " + model);
        final PatternPredictor loaded = new PatternPredictor();
        assertThat(PredictionModels.read(model, loaded)).isEqualTo(1_500);
        assertThat(loaded.keys()).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJournalDamagedInTwoRegionsWritesNoModelUnlessAcceptedAndNamesEveryRegionAsReplayDoes() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "3000", "--seed", "4", "--json", "--journal", dir.toString()).exitCode())
            .isZero();
        final Path cycle;
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            cycle = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(cycle);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(cycle.toFile(), "rw"))
        {
            // zeroes at a fifth and at three fifths of the records: two regions far apart
            raf.seek(end / 5);
            raf.write(new byte[64]);
            raf.seek(3L * end / 5);
            raf.write(new byte[64]);
        }
        final java.util.List<String> regions = (java.util.List<String>)DemoCommandTest.json(
            run("replay", dir.toString(), "--json")).get("damage");
        assertThat(regions).as("replay's list of the damage").hasSizeGreaterThanOrEqualTo(2);
        final Path model = tmp.resolve("patterns.rmp");
        Files.writeString(model, "yesterday's model");

        final DemoCommandTest.Run learn = run("learn", dir.toString(), "--out", model.toString());

        // a nightly 'learn && restart' must not swap a good model for one that misses the damaged regions' arrivals
        assertThat(learn.exitCode()).isEqualTo(1);
        assertThat(learn.out()).doesNotContain("model written");
        assertThat(learn.err()).startsWith("error: ").contains(regions.size() + " region(s)", "nothing was written",
            "--accept-damage").contains(regions).doesNotContain("\tat ");
        assertThat(model).hasContent("yesterday's model");
        assertThat(tmp.resolve("patterns.rmp.tmp")).doesNotExist();

        final DemoCommandTest.Run accepted = run("learn", dir.toString(), "--out", model.toString(),
            "--accept-damage");

        assertThat(accepted.exitCode()).as("stderr: %s", accepted.err()).isZero();
        assertThat(accepted.out()).contains("model written to " + model);
        assertThat(accepted.err()).startsWith("warning: ").contains(regions.size() + " region(s)").contains(regions);
        assertThat(PredictionModels.read(model, new PatternPredictor())).isPositive();
    }

    @Test
    void aMissingJournalOrOutputDirectoryOrPredictorIsRefusedClearly()
    {
        final DemoCommandTest.Run noJournal = run("learn", tmp.resolve("nothing").toString(), "--out",
            tmp.resolve("m.rmp").toString());
        assertThat(noJournal.exitCode()).isNotZero();
        assertThat(noJournal.err()).contains("nothing");

        final DemoCommandTest.Run noDir = run("learn", tmp.toString(), "--out", tmp.resolve("no/such/m.rmp").toString());
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).contains("does not exist");

        final DemoCommandTest.Run noPredictor = run("learn", tmp.toString(), "--out", tmp.resolve("m.rmp").toString(),
            "--predictor", "oracle");
        assertThat(noPredictor.exitCode()).isEqualTo(2);
        assertThat(noPredictor.err()).contains("unknown predictor 'oracle'", "patterns");
        assertThat(Files.exists(tmp.resolve("m.rmp"))).isFalse();
    }

    @Test
    void aDirectoryAsTheModelFileIsRefusedAndLeftAsItWas() throws IOException
    {
        final Path journal = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "300", "--json", "--journal", journal.toString()).exitCode()).isZero();
        final Path empty = Files.createDirectory(tmp.resolve("models"));
        final Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "kept");

        for (Path dir : new Path[] {empty, full})
        {
            final DemoCommandTest.Run learn = run("learn", journal.toString(), "--out", dir.toString());

            assertThat(learn.exitCode()).as("stderr: %s", learn.err()).isEqualTo(2);
            assertThat(learn.err()).startsWith("error: --out " + dir + " is a directory")
                .contains("--out " + dir.resolve("patterns.rmp"), "--help");
            assertThat(dir).isDirectory();
            assertThat(dir.resolveSibling(dir.getFileName() + ".tmp")).doesNotExist();
        }
        assertThat(full.resolve("keep.txt")).hasContent("kept");
    }

    @Test
    void aModelThatCannotBeWrittenSaysWhichFileAndWhy() throws IOException
    {
        final Path journal = tmp.resolve("journal");
        assertThat(run("demo", "--tasks", "300", "--json", "--journal", journal.toString()).exitCode()).isZero();
        final Path model = tmp.resolve("m.rmp");
        // the model is written beside its name first: a directory there fails the write as a read-only one does
        Files.createDirectory(tmp.resolve("m.rmp.tmp"));

        final DemoCommandTest.Run learn = run("learn", journal.toString(), "--out", model.toString());

        assertThat(learn.exitCode()).isEqualTo(1);
        assertThat(learn.err()).startsWith("error: cannot write the model " + model + " (")
            .contains("m.rmp.tmp", "choose a writable --out").doesNotContain("\tat ");
        assertThat(model).doesNotExist();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aJournalWithoutArrivalsTrainsNothingFailsAndLeavesTheModelThereAsItWas() throws IOException
    {
        final Path journal = tmp.resolve("journal");
        try (Journal writer = Journal.open(JournalConfig.at(journal)))
        {
            // a served run that took no task: the operators' changes only
            assertThat(writer.recordAdmin("POST /types/coder/pause", "127.0.0.1:5000", 200, "done")).isTrue();
        }
        final Path model = tmp.resolve("m.rmp");
        Files.writeString(model, "yesterday's model");

        final DemoCommandTest.Run learn = run("learn", journal.toString(), "--out", model.toString());

        // a nightly 'learn && restart' must not swap a trained model for an empty one and carry on
        assertThat(learn.exitCode()).as("stdout: %s%nstderr: %s", learn.out(), learn.err()).isEqualTo(1);
        assertThat(learn.err()).startsWith("error: ").contains("holds no accepted task", model.toString());
        assertThat(model).hasContent("yesterday's model");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aTaskResubmittedUnderItsOwnIdFromItsResultHandlerIsANewArrival() throws Exception
    {
        final Path dir = tmp.resolve("journal");
        final java.util.concurrent.atomic.AtomicReference<Dispatcher> ref = new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.atomic.AtomicBoolean resubmitted = new java.util.concurrent.atomic.AtomicBoolean();
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            final Dispatcher d = Dispatcher.builder().strategy("least-connections").listener(journal.listener())
                .agent(AgentSpec.builder("coder-1", "coder").capacity(1).build(), AgentAdapter.sync(t -> "done"))
                .onResult((view, state, result, reason) ->
                {
                    // its handler submits task 700 again, under its own id: a second arrival, no recovery
                    if (view.task().id() == 700 && resubmitted.compareAndSet(false, true))
                    {
                        ref.get().submit(Task.builder("coder").id(700).payload("again").build(), Duration.ZERO);
                    }
                })
                .build();
            ref.set(d);
            d.start();
            d.submit(Task.builder("coder").id(700).payload("first").build(), Duration.ofSeconds(5));
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (!resubmitted.get())
            {
                assertThat(System.nanoTime() - deadline).as("task 700 resubmitted within 20 s").isNegative();
                Thread.sleep(10);
            }
            assertThat(d.drain(Duration.ofSeconds(20))).isTrue();
            d.close();
        }

        final DemoCommandTest.Run learn = run("learn", dir.toString(), "--out", tmp.resolve("m.rmp").toString());

        assertThat(learn.exitCode()).as("learn stderr: %s", learn.err()).isZero();
        assertThat(learn.out()).as("task 700 twice").contains("learnt from 2 arrivals")
            .doesNotContain("recovery dispatched again left out");
    }
}
