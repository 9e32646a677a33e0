package dev.ringmaster.remote.internal;

import dev.ringmaster.remote.RemoteSettings;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * One process's Aeron: an embedded media driver (unless an external one is named) and a client whose conductor is
 * driven by the owner's poller thread rather than a thread of its own; created, invoked and closed by that one thread.
 *
 * <p>The driver runs in {@link ThreadingMode#SHARED}: one thread for its conductor, sender and receiver instead of
 * three busy-spinning ones, which on a 2-core machine would leave nothing for the dispatcher. It idles with a
 * {@link BackoffIdleStrategy} (a few spins and yields, then parks up to {@link RemoteSettings#idleMaxPark()}): under
 * load it never parks, idle it costs a wake-up per park period.
 */
public final class AeronTransport implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(AeronTransport.class);

    private final MediaDriver driver;
    private final Aeron aeron;

    private AeronTransport(final MediaDriver driver, final Aeron aeron)
    {
        this.driver = driver;
        this.aeron = aeron;
    }

    /** @return the idle strategy pollers and the embedded driver use. */
    public static IdleStrategy idleStrategy(final RemoteSettings settings)
    {
        return new BackoffIdleStrategy(10, 20, 1_000, settings.idleMaxPark().toNanos());
    }

    /** Starts the embedded driver (if any) and connects the client. */
    public static AeronTransport start(final RemoteSettings settings, final String role)
    {
        MediaDriver driver = null;
        final String dir;
        if (settings.externalDriver())
        {
            dir = settings.aeronDir();
        }
        else
        {
            dir = settings.aeronDir() != null ? settings.aeronDir() :
                CommonContext.getAeronDirectoryName() + "-ringmaster-" + role + "-" + UUID.randomUUID();
            final MediaDriver.Context ctx = new MediaDriver.Context()
                .aeronDirectoryName(dir)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idleStrategy(settings))
                .publicationTermBufferLength(settings.termLength())
                .ipcTermBufferLength(settings.termLength())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .warnIfDirectoryExists(false)
                .errorHandler(e -> LOG.warn("media driver ({}): {}", role, e.toString()));
            driver = MediaDriver.launchEmbedded(ctx);
        }
        try
        {
            final Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(dir)
                .useConductorAgentInvoker(true)
                .errorHandler(e -> LOG.warn("aeron client ({}): {}", role, e.toString())));
            LOG.info("aeron ({}): {} media driver at {}", role, driver == null ? "external" : "embedded", dir);
            return new AeronTransport(driver, aeron);
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    public Aeron aeron()
    {
        return aeron;
    }

    /** Runs the client conductor's duty cycle: keep-alives and driver responses; call from the owner's poller. */
    public int invoke()
    {
        return aeron.conductorAgentInvoker().invoke();
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
    }
}
