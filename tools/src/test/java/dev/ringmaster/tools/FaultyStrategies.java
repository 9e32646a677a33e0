package dev.ringmaster.tools;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.Candidates;
import dev.ringmaster.spi.IndexedRoutingStrategy;
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

    /** A version 2 strategy whose route() throws; its select() would work, but the dispatcher calls route(). */
    public static final class RouteThrows extends Indexed
    {
        static final String NAME = "faulty-route-throws";

        public RouteThrows()
        {
            super(NAME, true);
        }
    }

    /** A version 2 strategy that routes well but whose onAssigned callback throws. */
    public static final class CallbackThrows extends Indexed
    {
        static final String NAME = "faulty-callback-throws";

        public CallbackThrows()
        {
            super(NAME, false);
        }
    }

    /** A version 2 provider: its route() throws, or routes to the first eligible agent and its onAssigned throws. */
    abstract static class Indexed implements RoutingStrategyProvider
    {
        private final String name;
        private final boolean routeThrows;

        Indexed(final String name, final boolean routeThrows)
        {
            this.name = name;
            this.routeThrows = routeThrows;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public String description()
        {
            return routeThrows ? "route() throws" : "onAssigned() throws";
        }

        @Override
        public RoutingStrategy create()
        {
            return new IndexedRoutingStrategy()
            {
                @Override
                public String name()
                {
                    return name;
                }

                @Override
                public int select(final TaskView task, final Candidates candidates, final RoutingDecision decision)
                {
                    return 0;
                }

                @Override
                public int route(final TaskView task, final AgentPool pool, final RoutingDecision decision)
                {
                    if (routeThrows)
                    {
                        throw new IllegalStateException("boom in route");
                    }
                    return pool.nextEligible(0);
                }

                @Override
                public void onAssigned(final AgentPool pool, final int position, final TaskView task)
                {
                    if (!routeThrows)
                    {
                        throw new IllegalStateException("boom in onAssigned");
                    }
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
