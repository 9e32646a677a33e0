package dev.ringmaster.remote.internal;

import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.remote.PayloadCodec;
import dev.ringmaster.remote.RemoteFleet;
import dev.ringmaster.remote.RemoteSettings;
import dev.ringmaster.spi.Completion;
import dev.ringmaster.testing.Await;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt given up while its TASK still waits in the link's backlog (back-pressure past its deadline) must never
 * reach the host: its CANCEL would find nothing there, and the stale TASK would run a task the dispatcher already
 * failed and retried elsewhere.
 */
class BacklogCancelTest
{
    @Test
    void anAttemptGivenUpInTheBacklogIsNotSentAfterItsCancel() throws Exception
    {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final RemoteSettings settings = RemoteSettings.loopback();
        try (AeronTransport transport = AeronTransport.start(settings, "backlog-test"))
        {
            final String endpoint = "127.0.0.1:" + port;
            final Subscription host = transport.aeron().addSubscription(RemoteSettings.udp(endpoint),
                RemoteFleet.HOST_STREAM);
            final Publication publication = transport.aeron().addPublication(RemoteSettings.udp(endpoint),
                RemoteFleet.HOST_STREAM);
            Await.until("the link connected", Duration.ofSeconds(20), () ->
            {
                transport.invoke();
                return publication.isConnected();
            });
            final HostLink link = new HostLink("h", 7, endpoint,
                List.of(dev.ringmaster.model.AgentSpec.builder("a@h", "work").build()), publication, 16,
                System.nanoTime());
            final PendingAttempts pending = new PendingAttempts(64, Duration.ofSeconds(5), Duration.ofMillis(100));
            final Completion ignored = new Completion()
            {
                @Override
                public void succeed(final Object result, final long tokensUsed, final double quality)
                {
                }

                @Override
                public void fail(final Throwable cause)
                {
                }
            };
            final Task task = Task.builder("work").payload("stale").build();
            final HostedAttempt view = new HostedAttempt(new Messages.TaskMessage(1, 0, 1, Priority.MEDIUM, task),
                null);
            final Attempt stale = pending.add(link, 0, view, ignored);
            // a back-pressured offer left it behind; then its deadline passed: given up and cancelled on the host
            assertThat(link.backlog.offer(stale)).isTrue();
            assertThat(pending.remove(stale.correlationId)).isSameAs(stale);
            final Wire wire = Wire.writer();
            link.cancel(stale.correlationId, wire);
            link.drain(wire, PayloadCodec.TEXT, pending, new RemoteCounters());

            final List<Integer> received = new ArrayList<>();
            final FragmentAssembler onMessage = new FragmentAssembler((buffer, offset, length, header) ->
                received.add(Messages.type(new Wire().wrap(buffer, offset))));
            Await.until("the cancel arrived", Duration.ofSeconds(20), () ->
            {
                transport.invoke();
                host.poll(onMessage, 16);
                return received.contains(Messages.CANCEL);
            });
            // anything sent after the cancel has surely arrived once a later message has
            Messages.heartbeat(wire, 7, "dispatcher");
            Await.until("a heartbeat sent after the drain arrived", Duration.ofSeconds(20), () ->
            {
                transport.invoke();
                if (!received.contains(Messages.HEARTBEAT))
                {
                    publication.offer(wire.buffer(), 0, wire.position());
                }
                host.poll(onMessage, 16);
                return received.contains(Messages.HEARTBEAT);
            });
            assertThat(received).as("messages the host received").doesNotContain(Messages.TASK);
            assertThat(link.backlog).isEmpty();
        }
    }

    /**
     * An attempt whose task's own timeout (shorter than the answer timeout) passed while its TASK waited in the
     * backlog: the dispatcher has timed it out and retried it already, though it stays pending until that timeout
     * plus a heartbeat. The drain must not send it then (the host would run it beside the retry); the expiry path
     * ends it.
     */
    @Test
    void anAttemptWhoseTaskTimedOutInTheBacklogIsNotSent() throws Exception
    {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final RemoteSettings settings = RemoteSettings.loopback();
        try (AeronTransport transport = AeronTransport.start(settings, "backlog-timeout-test"))
        {
            final String endpoint = "127.0.0.1:" + port;
            final Subscription host = transport.aeron().addSubscription(RemoteSettings.udp(endpoint),
                RemoteFleet.HOST_STREAM);
            final Publication publication = transport.aeron().addPublication(RemoteSettings.udp(endpoint),
                RemoteFleet.HOST_STREAM);
            Await.until("the link connected", Duration.ofSeconds(20), () ->
            {
                transport.invoke();
                return publication.isConnected();
            });
            final HostLink link = new HostLink("h", 7, endpoint,
                List.of(dev.ringmaster.model.AgentSpec.builder("a@h", "work").build()), publication, 16,
                System.nanoTime());
            // a grace far longer than the task's timeout: the attempt is surely still pending when drained
            final PendingAttempts pending = new PendingAttempts(64, Duration.ofMinutes(10), Duration.ofMinutes(1));
            final Completion ignored = new Completion()
            {
                @Override
                public void succeed(final Object result, final long tokensUsed, final double quality)
                {
                }

                @Override
                public void fail(final Throwable cause)
                {
                }
            };
            final Task task = Task.builder("work").payload("timed-out").timeout(Duration.ofMillis(50)).build();
            final Attempt late = pending.add(link, 0,
                new HostedAttempt(new Messages.TaskMessage(1, 0, 1, Priority.MEDIUM, task), null), ignored);
            final long added = System.nanoTime();
            assertThat(link.backlog.offer(late)).isTrue(); // a back-pressured offer left it behind
            Await.until("the task's timeout passed", Duration.ofSeconds(5),
                () -> System.nanoTime() - added > Duration.ofMillis(60).toNanos());
            final Wire wire = Wire.writer();
            link.drain(wire, PayloadCodec.TEXT, pending, new RemoteCounters());

            final List<Integer> received = new ArrayList<>();
            final FragmentAssembler onMessage = new FragmentAssembler((buffer, offset, length, header) ->
                received.add(Messages.type(new Wire().wrap(buffer, offset))));
            // anything the drain sent has surely arrived once a later message has
            Messages.heartbeat(wire, 7, "dispatcher");
            Await.until("a heartbeat sent after the drain arrived", Duration.ofSeconds(20), () ->
            {
                transport.invoke();
                if (!received.contains(Messages.HEARTBEAT))
                {
                    publication.offer(wire.buffer(), 0, wire.position());
                }
                host.poll(onMessage, 16);
                return received.contains(Messages.HEARTBEAT);
            });
            assertThat(received).as("messages the host received").doesNotContain(Messages.TASK);
            assertThat(link.backlog).isEmpty();
            assertThat(pending.holds(late)).as("left pending, for the expiry path to end").isTrue();
        }
    }
}
