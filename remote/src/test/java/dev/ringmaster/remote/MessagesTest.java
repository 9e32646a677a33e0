package dev.ringmaster.remote;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.remote.internal.Messages;
import dev.ringmaster.remote.internal.Wire;
import dev.ringmaster.spi.TaskView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest
{
    private static Wire read(final Wire written)
    {
        return new Wire().wrap(written.buffer(), 0);
    }

    @Test
    void helloRoundTripsEveryAgentField()
    {
        final AgentSpec a = AgentSpec.builder("coder-1@h1", "coder").capacity(6).weight(2).speed(4.0)
            .skill("java", 0.9).skill("rust", 0.5).tokenBudget(1_000).build();
        final AgentSpec b = AgentSpec.builder("reviewer-1@h1", "reviewer").build();
        final Wire out = Messages.hello(Wire.writer(), new Messages.Hello(42L, "h1", "127.0.0.1:5555", List.of(a, b)));

        final Wire in = read(out);
        assertThat(Messages.type(in)).isEqualTo(Messages.HELLO);
        final Messages.Hello hello = Messages.readHello(in);
        assertThat(hello.session()).isEqualTo(42L);
        assertThat(hello.hostId()).isEqualTo("h1");
        assertThat(hello.replyEndpoint()).isEqualTo("127.0.0.1:5555");
        assertThat(hello.agents()).hasSize(2);
        final AgentSpec a2 = hello.agents().get(0);
        assertThat(a2.id()).isEqualTo("coder-1@h1");
        assertThat(a2.type()).isEqualTo("coder");
        assertThat(a2.capacity()).isEqualTo(6);
        assertThat(a2.weight()).isEqualTo(2);
        assertThat(a2.speed()).isEqualTo(4.0);
        assertThat(a2.tokenBudget()).isEqualTo(1_000);
        assertThat(a2.proficiency()).containsEntry("java", 0.9).containsEntry("rust", 0.5);
        assertThat(hello.agents().get(1).id()).isEqualTo("reviewer-1@h1");
        assertThat(in.position()).isEqualTo(out.position());
    }

    @Test
    void refusedCarriesTheHostsSessionAndTheReason()
    {
        final Wire out = Messages.refused(Wire.writer(), 42L, "duplicate agent id 'a@h': give each host its own --host-id");

        final Wire in = read(out);
        assertThat(Messages.type(in)).isEqualTo(Messages.REFUSED);
        assertThat(in.getLong()).isEqualTo(42L);
        assertThat(in.getString()).isEqualTo("duplicate agent id 'a@h': give each host its own --host-id");
        assertThat(in.position()).isEqualTo(out.position());
    }

    @Test
    void taskRoundTripsTheTaskAndItsPayload()
    {
        final Task task = Task.builder("coder").id(777).priority(Priority.HIGH).costTokens(2_000)
            .requiredSkills("java", "sql").tenant("acme").affinityKey("repo-9").timeout(Duration.ofSeconds(3))
            .payload("fix the bug: ünïcödé").build();
        final Wire out = Messages.task(Wire.writer(), 99L, 3, view(task, 2), PayloadCodec.TEXT);

        final Wire in = read(out);
        assertThat(Messages.type(in)).isEqualTo(Messages.TASK);
        final Messages.TaskMessage m = Messages.readTask(in, PayloadCodec.TEXT, out.position());
        assertThat(m.correlationId()).isEqualTo(99L);
        assertThat(m.agentIndex()).isEqualTo(3);
        assertThat(m.attempt()).isEqualTo(2);
        assertThat(m.priority()).isEqualTo(Priority.HIGH);
        final Task t = m.task();
        assertThat(t.id()).isEqualTo(777);
        assertThat(t.type()).isEqualTo("coder");
        assertThat(t.costTokens()).isEqualTo(2_000);
        assertThat(t.requiredSkills()).isEqualTo(task.requiredSkills());
        assertThat(t.tenant()).isEqualTo("acme");
        assertThat(t.affinityKey()).isEqualTo("repo-9");
        assertThat(t.timeoutNanos()).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(t.payload()).isEqualTo("fix the bug: ünïcödé");
        assertThat(in.position()).isEqualTo(out.position());
    }

    /**
     * TaskView.sequence() is the dispatcher's acceptance sequence, lower is older, on a host as anywhere: a TASK
     * carries it (after the payload, so a host of before it reads the rest as ever), and a TASK of a dispatcher of
     * before it, which lacks it, gives the correlation id instead, as such a host always did.
     */
    @Test
    void taskCarriesTheAcceptanceSequenceAndATaskWithoutItFallsBackToTheCorrelationId()
    {
        final Task task = Task.builder("coder").id(5).payload("p").build();
        final Wire out = Messages.task(Wire.writer(), 99L, 0,
            dev.ringmaster.testing.FakePool.view(task, 2, 0, 12_345L), PayloadCodec.TEXT);
        final Messages.TaskMessage m = Messages.readTask(skipHeader(out), PayloadCodec.TEXT, out.position());
        assertThat(m.sequence()).isEqualTo(12_345L);
        assertThat(new dev.ringmaster.remote.internal.HostedAttempt(m, null).sequence())
            .as("the agent's view").isEqualTo(12_345L);

        final Messages.TaskMessage old = Messages.readTask(skipHeader(out), PayloadCodec.TEXT,
            out.position() - Long.BYTES);
        assertThat(old.sequence()).isEqualTo(99L);
        assertThat(old.task().payload()).isEqualTo("p");
    }

    @Test
    void payloadCodecKeepsBytesAndNull()
    {
        final Task bytes = Task.builder("t").payload(new byte[] {1, 2, 3}).build();
        final Wire withBytes = Messages.task(Wire.writer(), 1, 0, view(bytes, 1), PayloadCodec.TEXT);
        final Messages.TaskMessage m = Messages.readTask(skipHeader(withBytes), PayloadCodec.TEXT,
            withBytes.position());
        assertThat((byte[])m.task().payload()).containsExactly(1, 2, 3);

        final Task none = Task.builder("t").build();
        final Wire withNone = Messages.task(Wire.writer(), 1, 0, view(none, 1), PayloadCodec.TEXT);
        assertThat(Messages.readTask(skipHeader(withNone), PayloadCodec.TEXT, withNone.position()).task().payload())
            .isNull();
    }

    @Test
    void completionHeartbeatTelemetryAndWelcomeRoundTrip()
    {
        Wire in = read(Messages.completion(Wire.writer(), 5L, true, 321L, 0.75, "done"));
        assertThat(Messages.type(in)).isEqualTo(Messages.COMPLETION);
        assertThat(in.getLong()).isEqualTo(5L);
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.getLong()).isEqualTo(321L);
        assertThat(in.getDouble()).isEqualTo(0.75);
        assertThat(in.getString()).isEqualTo("done");

        in = read(Messages.completion(Wire.writer(), 6L, false, 0, Double.NaN, "x".repeat(10_000)));
        Messages.type(in);
        in.getLong();
        assertThat(in.getInt()).isZero();
        in.getLong();
        assertThat(in.getDouble()).isNaN();
        assertThat(in.getString()).hasSize(Messages.MAX_TEXT_CHARS);

        in = read(Messages.heartbeat(Wire.writer(), 7L, "h1"));
        assertThat(Messages.type(in)).isEqualTo(Messages.HEARTBEAT);
        assertThat(in.getLong()).isEqualTo(7L);
        assertThat(in.getString()).isEqualTo("h1");

        in = read(Messages.telemetry(Wire.writer(), 7L, 2, 0.5, 900L));
        assertThat(Messages.type(in)).isEqualTo(Messages.TELEMETRY);
        assertThat(in.getLong()).isEqualTo(7L);
        assertThat(in.getInt()).isEqualTo(2);
        assertThat(in.getDouble()).isEqualTo(0.5);
        assertThat(in.getLong()).isEqualTo(900L);

        in = read(Messages.welcome(Wire.writer(), 8L, 9L));
        assertThat(Messages.type(in)).isEqualTo(Messages.WELCOME);
        assertThat(in.getLong()).isEqualTo(8L);
        assertThat(in.getLong()).isEqualTo(9L);

        in = read(Messages.cancel(Wire.writer(), 8L, 123_456_789_012L));
        assertThat(Messages.type(in)).isEqualTo(Messages.CANCEL);
        assertThat(in.getLong()).isEqualTo(8L);
        assertThat(in.getLong()).isEqualTo(123_456_789_012L);
    }

    @Test
    void anotherVersionIsRecognisedAsForeign()
    {
        final Wire out = Wire.writer().reset().putInt((Messages.VERSION + 1) << 16 | Messages.TASK);
        assertThat(Messages.type(read(out))).isEqualTo(-1);
    }

    private static Wire skipHeader(final Wire written)
    {
        final Wire in = read(written);
        Messages.type(in);
        return in;
    }

    static TaskView view(final Task task, final int attempt)
    {
        return dev.ringmaster.testing.FakePool.view(task, attempt, 0, 0);
    }
}
