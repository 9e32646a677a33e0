package dev.ringmaster.dispatch.internal;

import dev.ringmaster.dispatch.Binding;
import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.AgentAdapter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's steal scan reads the thief's free slots before it takes the thief's start guard; in between, the lead
 * (serving a lent worker's agents) or a peer (serving a stuck worker's) may fill them. The steal must look again under
 * the guard: a task taken from the victim with no slot to start it in was lost (seen in {@code demo --workers 999}
 * on busy cores: a NullPointerException in the worker, the stolen tasks never ended, drain never returned).
 */
class StealRecheckTest
{
    @Test
    void aThiefWhoseSlotsFilledBeforeItTookTheGuardStealsNothing()
    {
        final Signals signals = new Signals(16, 1);
        final AgentAdapter adapter = (task, completion, telemetry) -> { };
        final AgentState thief = new AgentState(0, AgentSpec.builder("thief", "coder").build(), adapter, 1, 0, signals);
        final AgentState victim = new AgentState(1, AgentSpec.builder("victim", "coder").build(), adapter, 1, 0, signals);
        final Lane lane = new Lane("coder", 16, new AgentState[]{thief, victim}, Binding.LATE);
        thief.lane = lane;
        victim.lane = lane;
        occupy(thief);
        occupy(victim);
        final TaskRecord waiting = record();
        victim.inbox.put(waiting);
        final EngineConfig config = new EngineConfig();
        final Worker worker = new Worker(0, new Control(), new AgentState[]{thief}, signals, config, new Slumber(null, config, null));

        assertThat(thief.tryGuardStarts()).isTrue();
        try
        {
            assertThat(worker.steal(thief, System.nanoTime())).isZero();
        }
        finally
        {
            thief.releaseStarts();
        }
        assertThat(victim.inbox.size()).as("the victim's task stays where it can still start").isEqualTo(1);
        assertThat(thief.running()).isEqualTo(1);
    }

    private static void occupy(final AgentState agent)
    {
        agent.acquireSlot().start(record(), System.nanoTime());
    }

    private static TaskRecord record()
    {
        final TaskRecord r = new TaskRecord();
        r.task = Task.builder("coder").build();
        r.deadlineNanos = Long.MAX_VALUE; // no time to live, as admission sets it
        return r;
    }
}
