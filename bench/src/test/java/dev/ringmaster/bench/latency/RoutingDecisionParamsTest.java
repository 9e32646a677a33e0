package dev.ringmaster.bench.latency;

import dev.ringmaster.routing.RoutingStrategies;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import static org.assertj.core.api.Assertions.assertThat;

/** The routing-decision benchmark covers every strategy that ServiceLoader finds, and nothing else. */
class RoutingDecisionParamsTest
{
    @Test
    void paramsNameEveryInstalledStrategy() throws NoSuchFieldException
    {
        final String[] params = RoutingDecisionLatency.class.getField("strategy").getAnnotation(Param.class).value();

        assertThat(params).containsExactlyInAnyOrderElementsOf(
            RoutingStrategies.names(RoutingDecisionLatency.class.getClassLoader()));
    }

    @Test
    void everyStrategyDecidesOnTheFakePool()
    {
        for (final String name : RoutingStrategies.names(RoutingDecisionLatency.class.getClassLoader()))
        {
            final RoutingDecisionLatency b = new RoutingDecisionLatency();
            b.strategy = name;
            b.agents = 16;
            b.setUp();
            for (int i = 0; i < 1_000; i++)
            {
                assertThat(b.select()).as("%s decision %d", name, i).isBetween(0, 15);
            }
        }
    }

    @Test
    void routerBenchmarkNamesEveryInstalledStrategy() throws NoSuchFieldException
    {
        final String[] params = RouterDecisionLatency.class.getField("strategy").getAnnotation(Param.class).value();

        assertThat(params).containsExactlyInAnyOrderElementsOf(
            RoutingStrategies.names(RouterDecisionLatency.class.getClassLoader()));
    }

    @Test
    void everyStrategyDecidesThroughTheRealRouter()
    {
        for (final String name : RoutingStrategies.names(RouterDecisionLatency.class.getClassLoader()))
        {
            final RouterDecisionLatency b = new RouterDecisionLatency();
            b.strategy = name;
            b.agents = 16;
            b.setUp();
            int placed = 0;
            for (int i = 0; i < 2_000; i++)
            {
                if (b.decide() != null)
                {
                    placed++;
                }
            }
            assertThat(placed).as("%s placed most tasks on a half-full pool", name).isGreaterThan(1_500);
        }
    }
}
