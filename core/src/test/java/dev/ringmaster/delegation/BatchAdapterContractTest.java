package dev.ringmaster.delegation;

import dev.ringmaster.testing.FakePool;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentTelemetry;
import dev.ringmaster.spi.Batch;
import dev.ringmaster.spi.BatchAdapter;
import dev.ringmaster.spi.BatchCompletion;
import dev.ringmaster.spi.BatchResult;
import dev.ringmaster.spi.Completion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batch SPI without a dispatcher: one completion per attempt, per-member outcomes, misuse named. */
class BatchAdapterContractTest
{
    private static final AgentTelemetry NO_TELEMETRY = new AgentTelemetry()
    {
        @Override
        public void contextUtilization(final double fraction)
        {
        }

        @Override
        public void tokenBudgetLeft(final long tokens)
        {
        }
    };

    /** Records the single completion call; calls on the test thread. */
    private static final class Recorder implements Completion
    {
        final List<Object> calls = new ArrayList<>();
        long tokens;
        double quality;

        @Override
        public void succeed(final Object result, final long tokensUsed, final double quality)
        {
            calls.add(result);
            this.tokens = tokensUsed;
            this.quality = quality;
        }

        @Override
        public void fail(final Throwable cause)
        {
            calls.add(cause);
        }
    }

    private static Task batchTask(final String... payloads)
    {
        final List<Task> members = new ArrayList<>();
        for (final String p : payloads)
        {
            members.add(Task.builder("coder").payload(p).build());
        }
        return Task.builder("coder").payload(Batch.of("k", members)).build();
    }

    @Test
    void theAttemptCompletesOnceWhenTheLastMemberReports() throws Exception
    {
        final AtomicReference<BatchCompletion> handle = new AtomicReference<>();
        final BatchAdapter adapter = (batch, view, completion, telemetry) -> handle.set(completion);
        final Recorder recorder = new Recorder();

        adapter.execute(FakePool.view(batchTask("a", "b")), recorder, NO_TELEMETRY);
        handle.get().succeed(1, "B", 5, 0.5);
        assertThat(recorder.calls).isEmpty();
        assertThatThrownBy(() -> handle.get().succeed(1, "again")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("member 1").hasMessageContaining("twice");
        handle.get().fail(0, new IllegalArgumentException("no A"));

        assertThat(recorder.calls).hasSize(1);
        final BatchResult result = (BatchResult)recorder.calls.get(0);
        assertThat(result.succeeded(1)).isTrue();
        assertThat(result.result(1)).isEqualTo("B");
        assertThat(result.succeeded(0)).isFalse();
        assertThat(result.failure(0)).hasMessage("no A");
        assertThat(recorder.tokens).isEqualTo(5);
        assertThat(recorder.quality).isEqualTo(0.5);
        assertThatThrownBy(() -> handle.get().succeed(2, "C")).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aThrowingBatchAdapterFailsTheAttemptOnceAndLateReportsAreDropped() throws Exception
    {
        final BatchAdapter adapter = (batch, view, completion, telemetry) ->
        {
            completion.succeed(0, "A");
            throw new IllegalStateException("lost the context");
        };
        final Recorder recorder = new Recorder();

        adapter.execute(FakePool.view(batchTask("a", "b")), recorder, NO_TELEMETRY);

        assertThat(recorder.calls).hasSize(1);
        assertThat(recorder.calls.get(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPlainTaskIsABatchOfOneWhoseResultIsUnwrapped() throws Exception
    {
        final BatchAdapter adapter = BatchAdapter.oneByOne(AgentAdapter.sync(t -> "did " + t.task().payload()));
        final Recorder recorder = new Recorder();

        adapter.execute(FakePool.view(Task.builder("coder").payload("it").build()), recorder, NO_TELEMETRY);

        assertThat(recorder.calls).containsExactly("did it");
    }

    @Test
    void oneByOneRunsALongSynchronousBatchWithoutGrowingTheStack() throws Exception
    {
        final String[] payloads = new String[20_000];
        for (int i = 0; i < payloads.length; i++)
        {
            payloads[i] = "p" + i;
        }
        final BatchAdapter adapter = BatchAdapter.oneByOne(AgentAdapter.sync(t -> t.task().payload()));
        final Recorder recorder = new Recorder();

        adapter.execute(FakePool.view(batchTask(payloads)), recorder, NO_TELEMETRY);

        final BatchResult result = (BatchResult)recorder.calls.get(0);
        assertThat(result.size()).isEqualTo(payloads.length);
        assertThat(result.result(19_999)).isEqualTo("p19999");
    }
}
