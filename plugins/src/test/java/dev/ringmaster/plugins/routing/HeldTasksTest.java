package dev.ringmaster.plugins.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The held-task register of expected-completion: order, types, declines, staleness and a full array. */
class HeldTasksTest
{
    @Test
    void countsOlderHeldTasksOfTheSameTypeOnly()
    {
        final HeldTasks held = new HeldTasks(8);
        held.hold(1, 100, "coder");
        held.hold(2, 200, "reviewer");
        held.hold(3, 300, "coder");
        assertThat(held.ahead(4, "coder", 0)).isEqualTo(2);
        assertThat(held.ahead(3, "coder", 0)).as("not ahead of itself").isEqualTo(1);
        assertThat(held.ahead(4, "reviewer", 0)).isEqualTo(1);
        held.release(1);
        assertThat(held.ahead(4, "coder", 0)).isEqualTo(1);
        assertThat(held.size()).isEqualTo(2);
    }

    @Test
    void countsDeclinesPerTaskUntilReleased()
    {
        final HeldTasks held = new HeldTasks(8);
        assertThat(held.declines(7)).isZero();
        held.hold(7, 0, "coder");
        held.hold(7, 0, "coder");
        held.hold(7, 0, "coder");
        assertThat(held.declines(7)).isEqualTo(3);
        assertThat(held.size()).isEqualTo(1);
        held.release(7);
        assertThat(held.declines(7)).isZero();
        held.release(7); // releasing a task that is not held changes nothing
        assertThat(held.size()).isZero();
    }

    @Test
    void dropsStaleEntriesAndIgnoresNewOnesWhenFull()
    {
        final HeldTasks held = new HeldTasks(2);
        held.hold(1, 100, "coder");
        held.hold(2, 200, "coder");
        held.hold(3, 300, "coder");
        assertThat(held.size()).as("full: task 3 is not tracked").isEqualTo(2);
        assertThat(held.declines(3)).isZero();
        assertThat(held.ahead(9, "coder", 150)).as("task 1, accepted at 100, is stale").isEqualTo(1);
        assertThat(held.size()).isEqualTo(1);
        held.hold(3, 300, "coder");
        assertThat(held.declines(3)).isEqualTo(1);
    }
}
