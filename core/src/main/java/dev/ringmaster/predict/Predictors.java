package dev.ringmaster.predict;

import dev.ringmaster.plugin.PluginKind;
import dev.ringmaster.plugin.ServiceProviders;

import java.util.ArrayList;
import java.util.Map;

/**
 * Finds predictors by name through {@link java.util.ServiceLoader}, as the routing strategies are found (a plugins
 * directory's class loader finds its jars' predictors too); stateless, usable from any thread.
 */
public final class Predictors
{
    /** The built-in predictor: {@link PatternPredictor}. */
    public static final String DEFAULT = PatternPredictor.NAME;

    private Predictors()
    {
    }

    /** @return every predictor provider the class loader finds, by name; broken ones are skipped and logged. */
    public static Map<String, PredictorProvider> available(final ClassLoader loader)
    {
        return ServiceProviders.available(PluginKind.PREDICTOR, PredictorProvider.class, loader);
    }

    /**
     * @return a new predictor of that name.
     * @throws IllegalArgumentException naming the predictors that exist, for an unknown name.
     */
    public static Predictor create(final String name, final ClassLoader loader)
    {
        final Map<String, PredictorProvider> all = available(loader);
        final PredictorProvider provider = all.get(name);
        if (provider == null)
        {
            throw new IllegalArgumentException("unknown predictor '" + name + "'; available: " +
                new ArrayList<>(all.keySet()));
        }
        return ServiceProviders.create(PluginKind.PREDICTOR, name, provider,
            ServiceProviders.origin(provider.getClass()), provider::create);
    }
}
