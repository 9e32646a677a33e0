package dev.ringmaster.workflow;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Random graphs: validation either orders them or names a real cycle; valid ones run in order within the bound. */
class WorkflowPropertiesTest
{
    @Property(tries = 500)
    void buildEitherOrdersEveryDependencyFirstOrNamesARealCycle(@ForAll("anyGraph") final List<List<Integer>> deps)
    {
        final Workflow.Builder b = Workflow.builder("random");
        for (int i = 0; i < deps.size(); i++)
        {
            b.step(Fleet.step("s" + i, names(deps.get(i))));
        }
        final IllegalArgumentException refused = catchThrowableOfType(IllegalArgumentException.class, b::build);
        if (refused == null)
        {
            final List<String> order = b.build().topologicalOrder();
            assertThat(order).hasSize(deps.size()).doesNotHaveDuplicates();
            for (int i = 0; i < deps.size(); i++)
            {
                for (final int d : deps.get(i))
                {
                    assertThat(order.indexOf("s" + d)).as("s%d before s%d", d, i).isLessThan(order.indexOf("s" + i));
                }
            }
            return;
        }
        final String message = refused.getMessage();
        assertThat(message).contains("has a cycle: ");
        final String path = message.substring(message.indexOf("cycle: ") + 7, message.indexOf(" (each step"));
        final List<String> cycle = Arrays.asList(path.split(" -> "));
        assertThat(cycle.get(0)).isEqualTo(cycle.get(cycle.size() - 1));
        assertThat(new HashSet<>(cycle.subList(1, cycle.size()))).hasSize(cycle.size() - 1);
        for (int k = 1; k < cycle.size(); k++)
        {
            final int waiter = Integer.parseInt(cycle.get(k).substring(1));
            final int awaited = Integer.parseInt(cycle.get(k - 1).substring(1));
            assertThat(deps.get(waiter)).as("%s waits for %s", cycle.get(k), cycle.get(k - 1)).contains(awaited);
        }
    }

    @Property(tries = 12)
    void anyAcyclicGraphRunsInDependencyOrderWithinTheBound(
        @ForAll("acyclicGraph") final List<List<Integer>> deps, @ForAll @IntRange(min = 1, max = 4) final int bound)
        throws Exception
    {
        try (Fleet fleet = new Fleet(4))
        {
            final Workflow.Builder b = Workflow.builder("random").maxParallelSteps(bound);
            for (int i = 0; i < deps.size(); i++)
            {
                b.step(Fleet.step("s" + i, names(deps.get(i))));
            }

            final WorkflowResult r = fleet.run(b.build());

            assertThat(r.status()).isEqualTo(WorkflowStatus.SUCCEEDED);
            assertThat(fleet.maxRunning.get()).isBetween(1, bound);
            assertThat(fleet.started()).hasSize(deps.size());
            for (int i = 0; i < deps.size(); i++)
            {
                final Set<String> expected = new HashSet<>(Arrays.asList(names(deps.get(i))));
                assertThat(fleet.calls.get("s" + i).inputs().keySet()).isEqualTo(expected);
                for (final int d : deps.get(i))
                {
                    assertThat(fleet.indexOf("end:s" + d)).isLessThan(fleet.indexOf("start:s" + i));
                }
            }
        }
    }

    @Provide
    Arbitrary<List<List<Integer>>> anyGraph()
    {
        return Arbitraries.integers().between(1, 9).flatMap(n ->
            Arbitraries.integers().between(0, n - 1).list().ofMaxSize(3).uniqueElements().list().ofSize(n));
    }

    /** Step i only waits for steps declared before it. */
    @Provide
    Arbitrary<List<List<Integer>>> acyclicGraph()
    {
        return Arbitraries.integers().between(1, 10).flatMap(n ->
        {
            final List<Arbitrary<List<Integer>>> perStep = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                perStep.add(i == 0 ? Arbitraries.just(List.of()) :
                    Arbitraries.integers().between(0, i - 1).list().ofMaxSize(3).uniqueElements());
            }
            return net.jqwik.api.Combinators.combine(perStep).as(lists -> lists);
        });
    }

    private static String[] names(final List<Integer> indexes)
    {
        return indexes.stream().map(i -> "s" + i).toArray(String[]::new);
    }
}
