package dev.ringmaster.delegation;

import dev.ringmaster.model.Task;
import dev.ringmaster.spi.TaskClassifier;
import dev.ringmaster.spi.TaskClassifierProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A simple content classifier: the first rule whose keyword occurs in the payload's text (case-insensitive) names
 * the type, else the fallback; immutable and thread-safe. O(rules x payload length) per task.
 */
public final class KeywordClassifier implements TaskClassifier
{
    private final String name;
    private final List<String[]> rules;
    private final String fallback;

    private KeywordClassifier(final String name, final List<String[]> rules, final String fallback)
    {
        this.name = name;
        this.rules = rules;
        this.fallback = fallback;
    }

    /** @return a builder for a classifier reported under {@code name} in failures. */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    @Override
    public String classify(final Task task)
    {
        final Object payload = task.payload();
        if (payload != null)
        {
            final String text = payload.toString().toLowerCase(Locale.ROOT);
            for (final String[] rule : rules)
            {
                if (text.contains(rule[0]))
                {
                    return rule[1];
                }
            }
        }
        return fallback;
    }

    @Override
    public String name()
    {
        return name;
    }

    /**
     * The {@link java.util.ServiceLoader} registration, named {@value #NAME}: a classifier for the agent types of the
     * demo fleet (coder, reviewer, researcher); for other types build one with {@link #builder}. Stateless and
     * thread-safe.
     */
    public static final class Provider implements TaskClassifierProvider
    {
        /** The name to select it by, e.g. {@code TaskClassifiers.create("keywords", loader)}. */
        public static final String NAME = "keywords";

        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "payload text: 'review' -> reviewer, 'research' or 'investigate' -> researcher, else coder; "
                + "O(rules x payload length)";
        }

        @Override
        public TaskClassifier create()
        {
            return builder(NAME).rule("review", "reviewer").rule("research", "researcher")
                .rule("investigate", "researcher").fallback("coder").build();
        }
    }

    /** Collects rules in order; not thread-safe, use from one thread. */
    public static final class Builder
    {
        private final String name;
        private final List<String[]> rules = new ArrayList<>();
        private String fallback;

        private Builder(final String name)
        {
            this.name = Objects.requireNonNull(name, "classifier name must not be null");
        }

        /** Tasks whose payload mentions {@code keyword} go to {@code type}; earlier rules win. */
        public Builder rule(final String keyword, final String type)
        {
            Objects.requireNonNull(keyword, "keyword must not be null");
            Objects.requireNonNull(type, "type for keyword '" + keyword + "' must not be null");
            rules.add(new String[] {keyword.toLowerCase(Locale.ROOT), type});
            return this;
        }

        /** The type when no rule matches; without one such a task fails to classify. */
        public Builder fallback(final String type)
        {
            this.fallback = type;
            return this;
        }

        public KeywordClassifier build()
        {
            return new KeywordClassifier(name, List.copyOf(rules), fallback);
        }
    }
}
