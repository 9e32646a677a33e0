package dev.ringmaster.tools;

import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.RoutingDecision;
import dev.ringmaster.spi.RoutingStrategy;
import dev.ringmaster.spi.RoutingStrategyProvider;
import dev.ringmaster.spi.TaskView;

import java.util.function.Supplier;

/**
 * Strategy plugins that fail, registered only by jars that tests write: a select() that throws an exception, one that
 * throws an Error (as a plugin's assert does), one that declines every task, a constructor that throws. Stateless, so
 * usable from any thread.
 */
final class FaultyStrategies
{
    private FaultyStrategies()
    {
    }

    /** select() throws an IllegalStateException. */
    public static class Throws extends SelectFails
    {
        static final String NAME = "faulty-throws";

        public Throws()
        {
            super(NAME, () -> new IllegalStateException("boom in select"));
        }
    }

    /** select() throws an AssertionError. */
    public static final class Asserts extends SelectFails
    {
        static final String NAME = "faulty-asserts";

        public Asserts()
        {
            super(NAME, () -> new AssertionError("assert in select"));
        }
    }

    /** Cannot even be made: known to the registry by its class only, never by its name. */
    public static final class ConstructorThrows extends Throws
    {
        public ConstructorThrows()
        {
            throw new IllegalStateException("no configuration file");
        }
    }

    /** select() declines every task, so none is ever placed. */
    public static final class Declines implements RoutingStrategyProvider
    {
        static final String NAME = "faulty-declines";

        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public String description()
        {
            return "declines every task";
        }

        @Override
        public RoutingStrategy create()
        {
            return new RoutingStrategy()
            {
                @Override
                public String name()
                {
                    return NAME;
                }

                @Override
                public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
                {
                    return DECLINE;
                }
            };
        }
    }

    /** A provider whose strategies throw what {@code failure} makes from every select(). */
    abstract static class SelectFails implements RoutingStrategyProvider
    {
        private final String name;
        private final Supplier<? extends Throwable> failure;

        SelectFails(final String name, final Supplier<? extends Throwable> failure)
        {
            this.name = name;
            this.failure = failure;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public String description()
        {
            return "select() fails";
        }

        @Override
        public RoutingStrategy create()
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
                    final Throwable t = failure.get();
                    if (t instanceof Error e)
                    {
                        throw e;
                    }
                    throw (RuntimeException)t;
                }
            };
        }
    }
}
