package dev.ringmaster.plugins.routing;

import dev.ringmaster.spi.AgentPool;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.TaskView;
import dev.ringmaster.testing.FakePool;

/**
 * A {@link FakePool} seen as a version 2 pool: an agent is eligible for the task being routed while it has room
 * (in flight below capacity plus {@link #prefetch}) and is not marked full, has its skills, is its target if it names
 * one and is not the agent it avoids. Single-threaded.
 */
final class FakeAgentPool implements AgentPool
{
    final FakePool fake;
    private final int id;
    /** Tasks an agent may hold beyond its capacity (its inbox), as the dispatcher's prefetch: 0 by default. */
    int prefetch;
    private TaskView task;

    FakeAgentPool(final FakePool fake, final int id)
    {
        this.fake = fake;
        this.id = id;
    }

    /** Sets the task {@link #isEligible} answers for. */
    FakeAgentPool routing(final TaskView task)
    {
        this.task = task;
        return this;
    }

    /** Marks agents without room as full, so the fake's version 1 candidate list agrees with this pool. */
    void syncFull()
    {
        for (int i = 0; i < size(); i++)
        {
            fake.full[i] = fake.inFlight[i] >= fake.specs[i].capacity() + prefetch;
        }
    }

    @Override
    public int id()
    {
        return id;
    }

    @Override
    public String type()
    {
        return "worker";
    }

    @Override
    public int size()
    {
        return fake.poolSize();
    }

    @Override
    public AgentView agent(final int position)
    {
        return fake.agent(position);
    }

    @Override
    public int positionOf(final String agentId)
    {
        for (int i = 0; i < size(); i++)
        {
            if (fake.specs[i].id().equals(agentId))
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean hasRoom(final int position)
    {
        return fake.inFlight[position] < fake.specs[position].capacity() + prefetch;
    }

    @Override
    public boolean isEligible(final int position)
    {
        if (position < 0 || position >= size() || !hasRoom(position))
        {
            return false;
        }
        if (task == null)
        {
            return true;
        }
        final String target = task.task().targetAgent();
        final String avoid = task.task().avoidAgent();
        final String id = fake.specs[position].id();
        return (task.task().requiredSkills() & ~fake.specs[position].skillMask()) == 0 &&
            (target == null || target.equals(id)) && (avoid == null || !avoid.equals(id));
    }

    @Override
    public int nextEligible(final int from)
    {
        for (int i = Math.max(0, from); i < size(); i++)
        {
            if (isEligible(i))
            {
                return i;
            }
        }
        return -1;
    }
}
