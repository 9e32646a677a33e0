package dev.ringmaster.spi;

/**
 * {@link java.util.ServiceLoader} entry point of a task classifier plugin; stateless and thread-safe, it creates
 * classifiers on request.
 */
public interface TaskClassifierProvider
{
    /** @return the unique name users select the classifier by, lower-case with dashes, e.g. "keywords". */
    String name();

    /** @return one line for listings: what the classifier reads and which types it can answer. */
    String description();

    /** @return a new classifier, which must be thread-safe (it is called on submitting threads). */
    TaskClassifier create();
}
