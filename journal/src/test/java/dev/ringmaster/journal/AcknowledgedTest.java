package dev.ringmaster.journal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.model.Task;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcknowledgedTest
{
    @TempDir
    Path dir;

    @Test
    void theAcknowledgementCarriesTheIndexOfTheTasksAcceptedRecord() throws Exception
    {
        final List<CompletableFuture<Long>> acks = new ArrayList<>();
        try (Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED)))
        {
            final Dispatcher d = Fleet.start(2, journal.listener());
            for (int i = 1; i <= 300; i++)
            {
                acks.add(journal.submitAcknowledged(d, Task.builder("coder").id(i).payload("p" + i).build(),
                    Duration.ofSeconds(5)));
            }
            for (final CompletableFuture<Long> ack : acks)
            {
                ack.get(10, TimeUnit.SECONDS);
            }
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            for (int i = 0; i < acks.size(); i += 37)
            {
                // the index is the batch document's: the task's ACCEPTED record is among that document's records
                final long at = acks.get(i).join();
                assertThat(reader.moveTo(at)).isTrue();
                final long expected = i + 1;
                final boolean[] found = new boolean[1];
                final boolean[] inDocument = {true};
                while (inDocument[0] && !found[0] && reader.poll(r ->
                {
                    inDocument[0] = r.index() == at;
                    found[0] |= inDocument[0] && r.type() == EventType.ACCEPTED && r.taskId() == expected;
                }, 1) > 0)
                {
                    // read on through the document
                }
                assertThat(found[0]).as("ACCEPTED of task %d in the document at index %d", expected, at).isTrue();
            }
        }
    }

    /**
     * An acknowledgement promises that the task survives kill -9 and can be recovered; a payload the journal cannot
     * hold (one the codec refuses, or one over the journal's largest record) would be journaled without it and come
     * back unrecoverable. So such a task is refused before the dispatcher sees it, saying why and what to do.
     */
    @Test
    void aTaskWhosePayloadTheJournalCannotHoldIsRefusedBeforeItRuns()
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED).ringCapacity(64 << 10)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            final CompletableFuture<Long> refusedByCodec =
                journal.submitAcknowledged(d, Task.builder("coder").id(1).payload(42).build());
            assertThatThrownBy(() -> refusedByCodec.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("standard").hasMessageContaining("Integer")
                .satisfies(e -> assertThat(((RejectedTaskException)e).status()).isEqualTo(SubmitStatus.PAYLOAD_NOT_JOURNALED));

            final CompletableFuture<Long> tooLarge =
                journal.submitAcknowledged(d, Task.builder("coder").id(2).payload("x".repeat(20_000)).build());
            assertThatThrownBy(() -> tooLarge.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("bytes is larger than").hasMessageContaining("ringCapacity")
                .satisfies(e -> assertThat(((RejectedTaskException)e).status()).isEqualTo(SubmitStatus.PAYLOAD_NOT_JOURNALED));

            final CompletableFuture<Long> throughCallersSubmit =
                journal.submitAcknowledged(Task.builder("coder").id(4).payload(42).build(), d::submit);
            assertThatThrownBy(() -> throughCallersSubmit.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedTaskException.class)
                .satisfies(e -> assertThat(((RejectedTaskException)e).status()).isEqualTo(SubmitStatus.PAYLOAD_NOT_JOURNALED));

            // just under the largest record (8,192 bytes): the encoder would leave it out beside the record's other
            // fields, so the acknowledged submit must not take it
            final CompletableFuture<Long> almostTheRecord =
                journal.submitAcknowledged(d, Task.builder("coder").id(5).payload("x".repeat(7_640)).build());
            assertThatThrownBy(() -> almostTheRecord.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedTaskException.class);

            assertThat(d.metrics().accepted()).as("none ran").isZero();
            final CompletableFuture<Long> fits =
                journal.submitAcknowledged(d, Task.builder("coder").id(3).payload("x".repeat(2_000)).build());
            assertThat(fits).succeedsWithin(Duration.ofSeconds(10));
            final CompletableFuture<Long> longKey = journal.submitAcknowledged(d, Task.builder("coder").id(6)
                .affinityKey("k".repeat(1_000)).payload("x".repeat(3_000)).build());
            assertThat(longKey).succeedsWithin(Duration.ofSeconds(10));
            assertThat(journal.stats().payloadFailures()).as("every payload acknowledged was journaled").isZero();
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aRefusedTaskFailsItsAcknowledgementAndLeavesNothingPending()
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            final CompletableFuture<Long> ack = journal.submitAcknowledged(d, Task.builder("painter").build());
            assertThatThrownBy(() -> ack.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedTaskException.class)
                .satisfies(e -> assertThat(((RejectedTaskException)e).status()).isEqualTo(SubmitStatus.UNKNOWN_AGENT_TYPE));
            d.close();
        }
    }

    @Test
    void aCallersSubmitIsAcknowledgedOnceTheRecordIsWrittenAndKeepsTheTasksEnd() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            // as an admin endpoint submits: through submitAsync, to follow the task to its end
            final List<CompletableFuture<dev.ringmaster.dispatch.TaskResult>> ends = new ArrayList<>();
            final java.util.function.Function<Task, SubmitStatus> submit = t ->
            {
                final CompletableFuture<dev.ringmaster.dispatch.TaskResult> end = d.submitAsync(t);
                ends.add(end);
                return end.isCompletedExceptionally() ? SubmitStatus.UNKNOWN_AGENT_TYPE : SubmitStatus.ACCEPTED;
            };
            final long at = journal.submitAcknowledged(Task.builder("coder").id(5).payload("p").build(), submit)
                .get(10, TimeUnit.SECONDS);
            assertThat(at).isPositive();
            assertThat(ends.get(0).get(10, TimeUnit.SECONDS).task().id()).isEqualTo(5);

            final CompletableFuture<Long> refused = journal.submitAcknowledged(Task.builder("painter").build(), submit);
            assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedTaskException.class)
                .satisfies(e -> assertThat(((RejectedTaskException)e).status()).isEqualTo(SubmitStatus.UNKNOWN_AGENT_TYPE));
            d.close();
        }
    }

    @Test
    void withoutAJournalTheAcknowledgementIsTheAcceptance() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir.resolve("none")).durability(Durability.NONE)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            assertThat(journal.submitAcknowledged(d, Task.builder("coder").build()).get(5, TimeUnit.SECONDS)).isEqualTo(-1L);
            d.close();
        }
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void aWriterThatFailsRefusesLaterAcknowledgedSubmissionsWithJournalFailed() throws Exception
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_800_000_000L));
        try (Journal journal = Journal.open(JournalConfig.at(dir).durability(Durability.ACKNOWLEDGED)
            .rollCycle(TestRollCycles.TEST_SECONDLY).clock(clock)))
        {
            final Dispatcher d = Fleet.start(1, journal.listener());
            assertThat(journal.submitAcknowledged(d, Task.builder("coder").id(1).build()).get(10, TimeUnit.SECONDS))
                .isNotNegative();
            // task 1's second record (its start and completion) must be written in this cycle: written after the
            // clock moves, it would create the next cycle's file before the directory below can take its name
            dev.ringmaster.testing.Await.until("task 1's two records written",
                () -> journal.stats().recordsWritten() >= 2);
            // the next cycle's file name is taken by a directory, so the roll fails as a full disk would
            clock.advanceMillis(1_000);
            final String next = DateTimeFormatter.ofPattern(TestRollCycles.TEST_SECONDLY.format()).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(clock.currentTimeMillis())) + ".cq4";
            Files.createDirectory(dir.resolve(next));
            final CompletableFuture<Long> lost = journal.submitAcknowledged(d, Task.builder("coder").id(2).build());
            assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().hasMessageContaining("journal writer failed before the task's ACCEPTED record was written");
            assertThat(journal.stats().failure()).isNotNull();
            final long acceptedBefore = d.metrics().accepted();
            final CompletableFuture<Long> refused = journal.submitAcknowledged(d, Task.builder("coder").id(3).build());
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedTaskException.class)
                .hasMessageContaining("the journal has stopped writing")
                .hasMessageContaining(dir.toString())
                .satisfies(e -> assertThat(((RejectedTaskException)e).status()).isEqualTo(SubmitStatus.JOURNAL_FAILED));
            assertThat(d.metrics().accepted()).as("a refused task never reaches the dispatcher").isEqualTo(acceptedBefore);
            assertThat(d.drain(Duration.ofSeconds(10))).isTrue();
        }
    }
}
