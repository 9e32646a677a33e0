package dev.ringmaster.predict;

/**
 * {@link java.util.ServiceLoader} entry point of a predictor plugin (registered in
 * {@code META-INF/services/dev.ringmaster.predict.PredictorProvider}, from the class path or a plugins directory);
 * stateless and thread-safe, it creates one predictor per pre-routing.
 */
public interface PredictorProvider
{
    /** @return the unique name users select the predictor by, e.g. "patterns". */
    String name();

    /** @return one line for listings. */
    String description();

    /** @return a new, untrained predictor with the plugin's default settings. */
    Predictor create();
}
