package dev.ringmaster.remote;

import java.time.Duration;

/**
 * How a dispatcher and its agent hosts reach each other and notice silence; immutable and thread-safe.
 *
 * @param dispatcherEndpoint host:port the dispatcher receives on (HELLOs, heartbeats, completions), loopback by default.
 * @param hostEndpoint       host:port an agent host receives tasks on; port 0 lets the operating system pick one.
 * @param aeronDir           the media driver's directory; null for a fresh one under the default Aeron directory.
 * @param externalDriver     true to connect to a media driver already running at {@code aeronDir} instead of
 *                           starting one embedded in this process.
 * @param heartbeat          how often each side tells the other it is alive.
 * @param silenceTimeout     after this long without hearing from the other side it is given up on.
 * @param idleMaxPark        the longest an idle poller or embedded driver parks between checks for work.
 * @param termLength         the Aeron term buffer length of every publication (a power of two, at least 64 KiB).
 * @param answerTimeout      dispatcher side: an attempt whose host has not answered this long after it was sent (or
 *                           after the task's own timeout, if that is longer) fails with a reason saying so, and is
 *                           retried under the task's retry rules; this is what ends an attempt the host never answers
 *                           while it keeps heartbeating (a hung agent, an answer lost or dropped on the host). Default
 *                           10 minutes: give long tasks a timeout, or raise this. The host is sent a CANCEL for the
 *                           attempt then; but if the task's own timeout is shorter than this, the dispatcher times the
 *                           attempt out at that timeout, and the host is sent the CANCEL one {@code heartbeat} after it
 *                           (the attempt is not failed again), so a hung call does not hold the agent's slot on the host
 *                           for the rest of this timeout.
 */
public record RemoteSettings(String dispatcherEndpoint, String hostEndpoint, String aeronDir, boolean externalDriver,
                             Duration heartbeat, Duration silenceTimeout, Duration idleMaxPark, int termLength,
                             Duration answerTimeout)
{
    /** The dispatcher's default port on loopback. */
    public static final int DEFAULT_PORT = 40_400;

    public RemoteSettings
    {
        if (heartbeat.isNegative() || heartbeat.isZero() || silenceTimeout.compareTo(heartbeat.multipliedBy(2)) < 0)
        {
            throw new IllegalArgumentException("the silence timeout (" + silenceTimeout.toMillis() +
                " ms) must be at least twice the heartbeat interval (" + heartbeat.toMillis() + " ms), and both > 0");
        }
        if (externalDriver && aeronDir == null)
        {
            throw new IllegalArgumentException("an external media driver needs its Aeron directory: give aeronDir");
        }
        if (Integer.bitCount(termLength) != 1 || termLength < 64 * 1024)
        {
            throw new IllegalArgumentException("termLength must be a power of two of at least 65536, got " + termLength);
        }
        if (answerTimeout.isNegative() || answerTimeout.isZero())
        {
            throw new IllegalArgumentException("the answer timeout must be > 0, got " + answerTimeout.toMillis() + " ms");
        }
    }

    /** @return loopback only: the dispatcher on 127.0.0.1:40400, hosts on an ephemeral loopback port. */
    public static RemoteSettings loopback()
    {
        return new RemoteSettings("127.0.0.1:" + DEFAULT_PORT, "127.0.0.1:0", null, false, Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofMillis(1), 1 << 20, Duration.ofMinutes(10));
    }

    public RemoteSettings withDispatcherEndpoint(final String endpoint)
    {
        return new RemoteSettings(endpoint, hostEndpoint, aeronDir, externalDriver, heartbeat, silenceTimeout,
            idleMaxPark, termLength, answerTimeout);
    }

    public RemoteSettings withHostEndpoint(final String endpoint)
    {
        return new RemoteSettings(dispatcherEndpoint, endpoint, aeronDir, externalDriver, heartbeat, silenceTimeout,
            idleMaxPark, termLength, answerTimeout);
    }

    public RemoteSettings withAeronDir(final String dir, final boolean external)
    {
        return new RemoteSettings(dispatcherEndpoint, hostEndpoint, dir, external, heartbeat, silenceTimeout,
            idleMaxPark, termLength, answerTimeout);
    }

    public RemoteSettings withTimeouts(final Duration heartbeatInterval, final Duration silence)
    {
        return new RemoteSettings(dispatcherEndpoint, hostEndpoint, aeronDir, externalDriver, heartbeatInterval,
            silence, idleMaxPark, termLength, answerTimeout);
    }

    public RemoteSettings withAnswerTimeout(final Duration timeout)
    {
        return new RemoteSettings(dispatcherEndpoint, hostEndpoint, aeronDir, externalDriver, heartbeat, silenceTimeout,
            idleMaxPark, termLength, timeout);
    }

    /** @return the Aeron UDP channel for an endpoint. */
    public static String udp(final String endpoint)
    {
        return "aeron:udp?endpoint=" + endpoint;
    }
}
