package dev.ringmaster.plugin;

import dev.ringmaster.predict.PredictorProvider;
import dev.ringmaster.spi.AgentFactoryProvider;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskClassifierProvider;

/**
 * The {@link java.util.ServiceLoader} plugin types Ringmaster looks for; immutable, so usable from any thread.
 */
public enum PluginKind
{
    ROUTING_STRATEGY(RoutingStrategyProvider.class, "routing strategy"),
    AGENT_FACTORY(AgentFactoryProvider.class, "agent factory"),
    TASK_CLASSIFIER(TaskClassifierProvider.class, "task classifier"),
    PREDICTOR(PredictorProvider.class, "predictor");

    private final Class<?> service;
    private final String label;

    PluginKind(final Class<?> service, final String label)
    {
        this.service = service;
        this.label = label;
    }

    /** @return the provider interface a plugin implements and registers under. */
    public Class<?> service()
    {
        return service;
    }

    /** @return what users call this kind of plugin, e.g. "routing strategy". */
    public String label()
    {
        return label;
    }

    /** @return the path of the file in a jar that registers providers of this kind. */
    public String servicesFile()
    {
        return "META-INF/services/" + service.getName();
    }

    /** @return the name a provider of this kind is selected by. */
    String pluginName(final Object provider)
    {
        // the provider interfaces share no supertype (they are public SPI and stay independent)
        return switch (this)
        {
            case ROUTING_STRATEGY -> ((RoutingStrategyProvider)provider).name();
            case AGENT_FACTORY -> ((AgentFactoryProvider)provider).name();
            case TASK_CLASSIFIER -> ((TaskClassifierProvider)provider).name();
            case PREDICTOR -> ((PredictorProvider)provider).name();
        };
    }

    /** @return the one-line description a provider of this kind gives for listings. */
    String pluginDescription(final Object provider)
    {
        return switch (this)
        {
            case ROUTING_STRATEGY -> ((RoutingStrategyProvider)provider).description();
            case AGENT_FACTORY -> ((AgentFactoryProvider)provider).description();
            case TASK_CLASSIFIER -> ((TaskClassifierProvider)provider).description();
            case PREDICTOR -> ((PredictorProvider)provider).description();
        };
    }
}
