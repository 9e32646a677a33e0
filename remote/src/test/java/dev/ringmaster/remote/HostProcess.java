package dev.ringmaster.remote;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A real agent-host process for the tests: {@code HostProcess HOST_ID DISPATCHER_PORT AGENTS CAPACITY DELAY_MS AERON_DIR}
 * hosts AGENTS agents of type "work" that answer after DELAY_MS, until the process is killed; single-threaded main.
 */
public final class HostProcess
{
    private HostProcess()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String hostId = args[0];
        final RemoteSettings settings = RemoteTesting.settings(Integer.parseInt(args[1])).withAeronDir(args[5], false);
        final AgentHost host = new AgentHost(hostId, settings, PayloadCodec.TEXT, RemoteTesting.agents(hostId,
            Integer.parseInt(args[2]), Integer.parseInt(args[3]), Duration.ofMillis(Long.parseLong(args[4]))), 0);
        host.start();
        Runtime.getRuntime().addShutdownHook(new Thread(host::close));
        new CountDownLatch(1).await(); // until killed
    }
}
