package dev.ringmaster.tools;

import dev.ringmaster.model.AgentSpec;
import dev.ringmaster.spi.AgentAdapter;
import dev.ringmaster.spi.AgentFactory;

import java.util.Map;

/**
 * The agent factory serve registers for a type of a {@code --config} file: the type's plugin factory, whose specs
 * also carry what the file declares for every agent of the type (skills, speed), so that agents 'admin scale' or the
 * autoscaler add can take the tasks the declared ones take. Immutable; calls go to the plugin's factory on the
 * caller's thread, under its own contract (one call at a time).
 */
final class DeclaredTypeFactory implements AgentFactory
{
    private final AgentFactory plugin;
    private final Double speed;
    private final Map<String, Double> skills;

    /** @param speed the type's speed, or null for the factory's; {@code skills} the type's, added to the factory's. */
    DeclaredTypeFactory(final AgentFactory plugin, final Double speed, final Map<String, Double> skills)
    {
        this.plugin = plugin;
        this.speed = speed;
        this.skills = Map.copyOf(skills);
    }

    /** @return the plugin's own factory behind {@code factory}, for messages that name its class and jar. */
    static AgentFactory plugin(final AgentFactory factory)
    {
        return factory instanceof DeclaredTypeFactory d ? d.plugin : factory;
    }

    @Override
    public String type()
    {
        return plugin.type();
    }

    @Override
    public AgentSpec spec(final String id)
    {
        final AgentSpec made = plugin.spec(id);
        final AgentSpec.Builder b = copy(made, made.id(), made.capacity());
        if (speed != null)
        {
            b.speed(speed);
        }
        skills.forEach(b::skill);
        return b.build();
    }

    /** @return a builder holding what the factory's spec says, under {@code id}, with {@code capacity}. */
    static AgentSpec.Builder copy(final AgentSpec made, final String id, final int capacity)
    {
        final AgentSpec.Builder b = AgentSpec.builder(id, made.type()).capacity(capacity).weight(made.weight())
            .speed(made.speed()).tokenBudget(made.tokenBudget());
        made.proficiency().forEach(b::skill);
        return b;
    }

    @Override
    public AgentAdapter create(final AgentSpec spec) throws Exception
    {
        return plugin.create(spec);
    }

    @Override
    public void release(final AgentSpec spec, final AgentAdapter adapter)
    {
        plugin.release(spec, adapter);
    }
}
