package dev.ringmaster.delegation;

import dev.ringmaster.spi.TaskClassifier;
import dev.ringmaster.spi.TaskClassifierProvider;

/** A classifier plugin for the ServiceLoader test; stateless. */
public final class TestClassifierProvider implements TaskClassifierProvider
{
    @Override
    public String name()
    {
        return "test-keywords";
    }

    @Override
    public String description()
    {
        return "java goes to coder, everything else to translator";
    }

    @Override
    public TaskClassifier create()
    {
        return KeywordClassifier.builder(name()).rule("java", "coder").fallback("translator").build();
    }
}
