package dev.ringmaster.plugin;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;
import dev.ringmaster.spi.AgentFactoryProvider;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import java.util.Map;

/** Provider classes that test jars register, good and bad; all stateless. */
final class TestProviders
{
    private TestProviders()
    {
    }

    /** Picks the last candidate: recognisable in a dispatch test. */
    public static final class LastFree implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "last-free";
        }

        @Override
        public String description()
        {
            return "the last eligible agent; O(1)";
        }

        @Override
        public RoutingStrategy create()
        {
            // a class of its own, by which tests tell this provider's strategies from an impostor's
            return new RoutingStrategy()
            {
                @Override
                public String name()
                {
                    return "last-free";
                }

                @Override
                public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
                {
                    return candidates.size() - 1;
                }
            };
        }
    }

    /** @return a strategy that picks the last candidate and answers to {@code name}, as its provider's name. */
    static RoutingStrategy lastFree(final String name)
    {
        return new RoutingStrategy()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
            {
                return candidates.size() - 1;
            }
        };
    }

    /** A different class that claims {@link LastFree}'s name. */
    public static final class LastFreeImpostor implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "last-free";
        }

        @Override
        public String description()
        {
            return "an impostor; O(1)";
        }

        @Override
        public RoutingStrategy create()
        {
            return lastFree(name());
        }
    }

    /** A second, distinct strategy name, for jars that must load next to a bad one. */
    public static final class Second implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "second";
        }

        @Override
        public String description()
        {
            return "like last-free; O(1)";
        }

        @Override
        public RoutingStrategy create()
        {
            return lastFree(name());
        }
    }

    public static final class Exploding implements RoutingStrategyProvider
    {
        public Exploding()
        {
            throw new IllegalStateException("boom in the constructor");
        }

        @Override
        public String name()
        {
            return "exploding";
        }

        @Override
        public String description()
        {
            return "";
        }

        @Override
        public RoutingStrategy create()
        {
            return null;
        }
    }

    /** Loads and names itself fine; only making a strategy fails. */
    public static final class CreateFails implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "create-fails";
        }

        @Override
        public String description()
        {
            return "fails in create()";
        }

        @Override
        public RoutingStrategy create()
        {
            throw new IllegalStateException("boom in create");
        }
    }

    /** name() throws an Error that is neither a LinkageError nor the JVM's own. */
    public static final class NameAsserts implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            throw new AssertionError("assert in name");
        }

        @Override
        public String description()
        {
            return "";
        }

        @Override
        public RoutingStrategy create()
        {
            return null;
        }
    }

    /** Loads and names itself fine; making a strategy throws an Error. */
    public static final class CreateAsserts implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "create-asserts";
        }

        @Override
        public String description()
        {
            return "asserts in create()";
        }

        @Override
        public RoutingStrategy create()
        {
            throw new AssertionError("assert in create");
        }
    }

    /**
     * Throws a checked exception from a method that declares none, as Kotlin, Scala or Groovy code, or a Java "sneaky
     * throw", can.
     */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(final Throwable e) throws T
    {
        throw (T)e;
    }

    /** name() throws a checked IOException. */
    public static final class NameThrowsChecked implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            throw sneaky(new java.io.IOException("checked in name"));
        }

        @Override
        public String description()
        {
            return "";
        }

        @Override
        public RoutingStrategy create()
        {
            return null;
        }
    }

    /** Loads and names itself fine; making a strategy throws a checked IOException. */
    public static final class CreateThrowsChecked implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "create-throws-checked";
        }

        @Override
        public String description()
        {
            return "throws a checked exception from create()";
        }

        @Override
        public RoutingStrategy create()
        {
            throw sneaky(new java.io.IOException("checked in create"));
        }
    }

    /** Its static initializer throws: the JVM reports an ExceptionInInitializerError whose own message is null. */
    public static final class StaticInitFails implements RoutingStrategyProvider
    {
        static
        {
            if (Boolean.parseBoolean("true"))
            {
                throw new IllegalStateException("boom in the static initializer");
            }
        }

        @Override
        public String name()
        {
            return "static-init-fails";
        }

        @Override
        public String description()
        {
            return "";
        }

        @Override
        public RoutingStrategy create()
        {
            return null;
        }
    }

    /** Loads fine; its create() makes a strategy whose class's static initializer throws, as a bad constant does. */
    public static final class CreateStaticInitFails implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "create-static-init-fails";
        }

        @Override
        public String description()
        {
            return "its strategy's static initializer throws";
        }

        @Override
        public RoutingStrategy create()
        {
            return new BadConstantStrategy();
        }
    }

    /** Its static initializer parses a constant that is no number. */
    static final class BadConstantStrategy implements RoutingStrategy
    {
        static final int LIMIT = Integer.parseInt(System.getProperty("ringmaster.test.no-such-limit", "ten"));

        @Override
        public String name()
        {
            return "create-static-init-fails";
        }

        @Override
        public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
        {
            return Math.min(LIMIT, candidates.size() - 1);
        }
    }

    /** Loads and names itself fine; create() returns null, as an unfinished provider does. */
    public static final class CreatesNull implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "creates-null";
        }

        @Override
        public String description()
        {
            return "returns null from create()";
        }

        @Override
        public RoutingStrategy create()
        {
            return null;
        }
    }

    public static final class BlankName implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return " ";
        }

        @Override
        public String description()
        {
            return "";
        }

        @Override
        public RoutingStrategy create()
        {
            return null;
        }
    }

    /** A name users cannot type as one argument, or a journal column cannot hold. */
    public static final class SpacedName implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "my strategy";
        }

        @Override
        public String description()
        {
            return "";
        }

        @Override
        public RoutingStrategy create()
        {
            return lastFree(name());
        }
    }

    /** A name with upper case: users type names in lower case, and two names differing in case would clash. */
    public static final class UpperName implements RoutingStrategyProvider
    {
        @Override
        public String name()
        {
            return "My-Strategy";
        }

        @Override
        public String description()
        {
            return "";
        }

        @Override
        public RoutingStrategy create()
        {
            return lastFree(name());
        }
    }

    /** Names itself well, but the strategy it makes says its name is {@link #strategyName}: null, blank or another. */
    public static class StrategyMisnamed implements RoutingStrategyProvider
    {
        private final String providerName;
        private final String strategyName;

        public StrategyMisnamed()
        {
            this("strategy-name-null", null);
        }

        StrategyMisnamed(final String providerName, final String strategyName)
        {
            this.providerName = providerName;
            this.strategyName = strategyName;
        }

        @Override
        public String name()
        {
            return providerName;
        }

        @Override
        public String description()
        {
            return "its strategy's name() returns " + strategyName;
        }

        @Override
        public RoutingStrategy create()
        {
            return new RoutingStrategy()
            {
                @Override
                public String name()
                {
                    return strategyName;
                }

                @Override
                public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
                {
                    return 0;
                }
            };
        }
    }

    /** See {@link StrategyMisnamed}. */
    public static final class StrategyNameBlank extends StrategyMisnamed
    {
        public StrategyNameBlank()
        {
            super("strategy-name-blank", " ");
        }
    }

    /** See {@link StrategyMisnamed}. */
    public static final class StrategyNameOther extends StrategyMisnamed
    {
        public StrategyNameOther()
        {
            super("strategy-name-other", "something-else");
        }
    }

    /** What the JVM throws when the provider uses a library that was not shaded into its jar. */
    public static final class ConstructorNeedsLibrary extends StrategyMisnamed
    {
        public ConstructorNeedsLibrary()
        {
            throw new NoClassDefFoundError("com/acme/dep/Helper");
        }
    }

    /** As {@link ConstructorNeedsLibrary}, only when making a strategy. */
    public static final class CreateNeedsLibrary extends StrategyMisnamed
    {
        public CreateNeedsLibrary()
        {
            super("create-needs-library", "create-needs-library");
        }

        @Override
        public RoutingStrategy create()
        {
            throw new NoClassDefFoundError("com/acme/dep/Helper");
        }
    }

    /** Registered as a strategy provider by mistake. */
    public static final class NotAProvider
    {
    }

    public static final class EchoFactory implements AgentFactoryProvider
    {
        @Override
        public String name()
        {
            return "test-echo";
        }

        @Override
        public String description()
        {
            return "echoes the payload";
        }

        @Override
        public AgentFactory create(final String type, final Map<String, String> options)
        {
            return new AgentFactory()
            {
                @Override
                public String type()
                {
                    return type;
                }

                @Override
                public AgentSpec spec(final String id)
                {
                    return AgentSpec.builder(id, type).build();
                }

                @Override
                public AgentAdapter create(final AgentSpec spec)
                {
                    return AgentAdapter.sync(t -> t.task().payload());
                }
            };
        }
    }
}
