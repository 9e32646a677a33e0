package dev.ringmaster.remote.internal;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.remote.PayloadCodec;
import dev.ringmaster.remote.RemoteFleet;
import dev.ringmaster.remote.RemoteSettings;
import dev.ringmaster.testing.Await;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hosts churning through unique host ids (each run a fresh container with a generated id) must not grow the
 * dispatcher for ever: a host id is remembered while its session is live and for {@link LinkTable#FORGET_AFTER}
 * after it departed (so a draining dispatcher still takes back a host it admitted), then forgotten. The poller's
 * clock is driven by hand here, so no test waits that grace out.
 */
class DepartedHostsForgottenTest
{
    @Test
    void aDepartedHostIdIsForgottenOnceTheGracePassedButNotBefore() throws Exception
    {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final RemoteSettings settings = RemoteSettings.loopback().withTimeouts(Duration.ofMillis(100),
            Duration.ofMillis(1_500));
        final Dispatcher dispatcher = RemoteFleet.placeholder(Dispatcher.builder()).build().start();
        try (AeronTransport transport = AeronTransport.start(settings, "forget-test"))
        {
            final RemoteCounters counters = new RemoteCounters();
            final LinkTable table = new LinkTable(dispatcher, transport, settings, PayloadCodec.TEXT, counters);
            final Wire wire = Wire.writer();
            final int hosts = 5;
            // every host's reply endpoint: a host's agents are added only once the link to it is connected
            final io.aeron.Subscription listening = transport.aeron().addSubscription(
                RemoteSettings.udp("127.0.0.1:" + port), dev.ringmaster.remote.RemoteFleet.HOST_STREAM);
            for (int i = 0; i < hosts; i++)
            {
                // nothing reads what arrives there: the WELCOME is lost, which the admission does not need
                Messages.hello(wire, new Messages.Hello(100 + i, "churn-" + i, "127.0.0.1:" + port,
                    List.of(AgentSpec.builder("a@churn-" + i, "work").build())));
                table.onFragment(wire.buffer(), 0, wire.position(), null);
            }
            final long[] clock = {System.nanoTime()};
            Await.until("every host admitted", Duration.ofSeconds(20), () ->
            {
                transport.invoke();
                table.duty(System.nanoTime());
                return counters.hostsAdmitted.sum() == hosts;
            });
            assertThat(table.admittedIds()).isEqualTo(hosts);

            // all fall silent: given up, their agents crashed out, their attempts swept
            clock[0] = System.nanoTime() + settings.silenceTimeout().toNanos() * 2;
            Await.until("every host given up and swept", Duration.ofSeconds(20), () ->
            {
                clock[0] += settings.heartbeat().toNanos();
                table.duty(clock[0]);
                return counters.hostsLost.sum() == hosts && dispatcher.agents().size() == 1;
            });
            for (int tick = 0; tick < 20; tick++)
            {
                clock[0] += settings.heartbeat().toNanos();
                table.duty(clock[0]);
            }
            assertThat(table.admittedIds()).as("remembered within the grace: a draining dispatcher takes them back")
                .isEqualTo(hosts);
            assertThat(table.snapshot()).as("departed hosts still listed within the grace").hasSize(hosts);

            clock[0] += LinkTable.FORGET_AFTER.toNanos();
            table.duty(clock[0]);
            assertThat(table.admittedIds()).as("host ids remembered after the grace").isZero();
            assertThat(table.snapshot()).as("departed hosts listed after the grace").isEmpty();
        }
        finally
        {
            dispatcher.shutdownNow();
        }
    }
}
