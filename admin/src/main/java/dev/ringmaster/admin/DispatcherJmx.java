package dev.ringmaster.admin;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.metrics.AgentStats;
import dev.ringmaster.metrics.LatencySummary;
import dev.ringmaster.metrics.MetricsSnapshot;
import dev.ringmaster.metrics.TaskCounts;
import dev.ringmaster.metrics.TypeStats;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

/**
 * Registers a dispatcher as an MXBean ({@code dev.ringmaster:type=Dispatcher,name=NAME}) in the platform MBean
 * server, for JConsole, VisualVM and JMX exporters; thread-safe, as every attribute reads a fresh snapshot and every
 * operation waits at most 5 s for the router to apply it. {@link #close()} unregisters it.
 */
public final class DispatcherJmx implements DispatcherMXBean, AutoCloseable
{
    private static final long WAIT_SECONDS = 5;

    private final Dispatcher dispatcher;
    private final ObjectName name;
    private final MBeanServer server;

    private DispatcherJmx(final Dispatcher dispatcher, final ObjectName name, final MBeanServer server)
    {
        this.dispatcher = dispatcher;
        this.name = name;
        this.server = server;
    }

    /**
     * @param name a name unique among this JVM's dispatchers, e.g. "orders".
     * @return the registration; close it to unregister.
     * @throws IllegalArgumentException if the name is taken, saying so.
     */
    public static DispatcherJmx register(final Dispatcher dispatcher, final String name)
    {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try
        {
            final ObjectName objectName = new ObjectName("dev.ringmaster:type=Dispatcher,name=" + ObjectName.quote(name));
            final DispatcherJmx bean = new DispatcherJmx(dispatcher, objectName, server);
            server.registerMBean(bean, objectName);
            return bean;
        }
        catch (final InstanceAlreadyExistsException e)
        {
            throw new IllegalArgumentException("a dispatcher is already registered in JMX as '" + name +
                "'; give each dispatcher its own name", e);
        }
        catch (final JMException e)
        {
            throw new IllegalArgumentException("cannot register dispatcher '" + name + "' in JMX: " + e.getMessage(), e);
        }
    }

    /** @return the name it is registered under. */
    public ObjectName objectName()
    {
        return name;
    }

    @Override
    public void close()
    {
        try
        {
            server.unregisterMBean(name);
        }
        catch (final JMException e)
        {
            // already gone: nothing to undo
        }
    }

    private MetricsSnapshot m()
    {
        return dispatcher.metrics();
    }

    @Override
    public String getState()
    {
        return dispatcher.state().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String getStrategy()
    {
        return dispatcher.strategy();
    }

    @Override
    public long getAccepted()
    {
        return m().accepted();
    }

    @Override
    public long getCompleted()
    {
        return m().completed();
    }

    @Override
    public long getDeadLettered()
    {
        return m().deadLettered();
    }

    @Override
    public long getExpired()
    {
        return m().expired();
    }

    @Override
    public long getCancelled()
    {
        return m().cancelled();
    }

    @Override
    public long getOutstanding()
    {
        return m().outstanding();
    }

    @Override
    public long getRetries()
    {
        return m().retries();
    }

    @Override
    public long getSteals()
    {
        return m().steals();
    }

    @Override
    public double getThroughputPerSecond()
    {
        return m().throughputPerSecond();
    }

    @Override
    public double getGiniByCount()
    {
        return m().giniByCount();
    }

    @Override
    public Map<String, Long> getQueueDepthByType()
    {
        final Map<String, Long> out = new LinkedHashMap<>();
        dispatcher.queueDepthByType().forEach((type, byPriority) ->
            out.put(type, byPriority.values().stream().mapToLong(Long::longValue).sum()));
        return out;
    }

    @Override
    public Map<String, Double> getLoadByAgent()
    {
        final Map<String, Double> out = new LinkedHashMap<>();
        for (final AgentStats a : m().agents())
        {
            out.put(a.id(), a.load());
        }
        return out;
    }

    @Override
    public Map<String, Boolean> getPausedByType()
    {
        return new LinkedHashMap<>(dispatcher.types());
    }

    @Override
    public double endToEndMillisAtPercentile(final double percentile)
    {
        return millisAt(m().stages().get("END_TO_END"), percentile);
    }

    private static double millisAt(final LatencySummary l, final double percentile)
    {
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new IllegalArgumentException("percentile must be in [0, 100], e.g. 99.0, got " + percentile);
        }
        return l == null || l.count() == 0 ? 0 : l.histogram().getValueAtPercentile(percentile) / 1e6;
    }

    @Override
    public double getRecentThroughputPerSecond()
    {
        return m().recent().completedPerSecond();
    }

    @Override
    public double getRecentWindowSeconds()
    {
        return m().recent().spanNanos() / 1e9;
    }

    @Override
    public Map<String, Double> getRecentEndToEndMillis()
    {
        final LatencySummary l = m().recent().stages().get("END_TO_END");
        final Map<String, Double> out = new LinkedHashMap<>();
        if (l != null)
        {
            out.put("p50", l.p50Nanos() / 1e6);
            out.put("p90", l.p90Nanos() / 1e6);
            out.put("p99", l.p99Nanos() / 1e6);
            out.put("p99.9", l.p999Nanos() / 1e6);
            out.put("max", l.maxNanos() / 1e6);
        }
        return out;
    }

    @Override
    public double recentEndToEndMillisAtPercentile(final double percentile)
    {
        return millisAt(m().recent().stages().get("END_TO_END"), percentile);
    }

    @Override
    public Map<String, Long> getTasksByPriority()
    {
        final Map<String, Long> out = new LinkedHashMap<>();
        m().tasksByPriority().forEach((p, c) -> flatten(out, p.name(), c));
        return out;
    }

    @Override
    public Map<String, Long> getTasksByTenant()
    {
        final Map<String, Long> out = new LinkedHashMap<>();
        m().tasksByTenant().forEach((tenant, c) -> flatten(out, tenant, c));
        return out;
    }

    private static void flatten(final Map<String, Long> out, final String key, final TaskCounts c)
    {
        out.put(key + " accepted", c.accepted());
        out.put(key + " completed", c.completed());
        out.put(key + " dead_lettered", c.deadLettered());
        out.put(key + " expired", c.expired());
        out.put(key + " cancelled", c.cancelled());
        out.put(key + " outstanding", c.outstanding());
    }

    @Override
    public Map<String, Double> getQualityMeanByType()
    {
        return byType(TypeStats::meanQuality);
    }

    @Override
    public Map<String, Double> getQualityStdDevByType()
    {
        return byType(TypeStats::qualityStdDev);
    }

    @Override
    public Map<String, Double> getContextWasteRatioByType()
    {
        return byType(TypeStats::contextWasteRatio);
    }

    @Override
    public double getContextWasteRatio()
    {
        return m().contextWasteRatio();
    }

    private Map<String, Double> byType(final ToDoubleFunction<TypeStats> figure)
    {
        final Map<String, Double> out = new LinkedHashMap<>();
        m().types().forEach((type, t) -> out.put(type, figure.applyAsDouble(t)));
        return out;
    }

    @Override
    public int pauseType(final String type)
    {
        return await(dispatcher.pauseType(type), "pause type '" + type + "'");
    }

    @Override
    public int resumeType(final String type)
    {
        return await(dispatcher.resumeType(type), "resume type '" + type + "'");
    }

    @Override
    public String drainAgent(final String agentId)
    {
        final var removal = dispatcher.removeAgent(agentId);
        try
        {
            removal.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return "agent '" + agentId + "' drained and removed";
        }
        catch (final TimeoutException stillBusy)
        {
            return "agent '" + agentId + "' is draining: it takes no new task and leaves once its tasks finish";
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining agent '" + agentId + "'", e);
        }
        catch (final ExecutionException e)
        {
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static <T extends Number> int await(final java.util.concurrent.CompletableFuture<T> change, final String what)
    {
        try
        {
            return change.get(WAIT_SECONDS, TimeUnit.SECONDS).intValue();
        }
        catch (final ExecutionException e)
        {
            // JMX clients see only the message: make it the dispatcher's own, which names the fix
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        }
        catch (final TimeoutException e)
        {
            throw new IllegalStateException("the dispatcher did not " + what + " within " + WAIT_SECONDS + " s", e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        }
    }
}
