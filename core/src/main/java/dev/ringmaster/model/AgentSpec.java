package dev.ringmaster.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The static description of one agent: identity, type, capacity, weight, declared speed and skills with proficiency;
 * immutable and thread-safe.
 */
public final class AgentSpec
{
    private final String id;
    private final String type;
    private final int capacity;
    private final int weight;
    private final double speed;
    private final Map<String, Double> proficiency;
    private final long skillMask;
    private final long tokenBudget;

    private AgentSpec(final Builder b)
    {
        this.id = b.id;
        this.type = b.type;
        this.capacity = b.capacity;
        this.weight = b.weight;
        this.speed = b.speed;
        this.proficiency = Collections.unmodifiableMap(new LinkedHashMap<>(b.proficiency));
        this.skillMask = Skills.mask(b.proficiency.keySet());
        this.tokenBudget = b.tokenBudget;
    }

    /** @return a builder with capacity 1, weight 1, speed 1, no skills and an unlimited token budget. */
    public static Builder builder(final String id, final String type)
    {
        return new Builder(id, type);
    }

    public String id()
    {
        return id;
    }

    public String type()
    {
        return type;
    }

    /** @return how many tasks the agent runs at once. */
    public int capacity()
    {
        return capacity;
    }

    /** @return relative weight for weighted strategies. */
    public int weight()
    {
        return weight;
    }

    /**
     * @return how fast the agent works relative to a reference agent of speed 1 (2 = a task takes half as long), as
     *     declared; 1.0 unless set. Speed-aware strategies divide expected work by it; the others ignore it.
     */
    public double speed()
    {
        return speed;
    }

    /** @return skill name to proficiency in [0, 1]. */
    public Map<String, Double> proficiency()
    {
        return proficiency;
    }

    /** @return the mask of the agent's skills (see {@link Skills}). */
    public long skillMask()
    {
        return skillMask;
    }

    /** @return the token budget at start, {@link Long#MAX_VALUE} for unlimited. */
    public long tokenBudget()
    {
        return tokenBudget;
    }

    @Override
    public String toString()
    {
        return "Agent{" + id + ", type=" + type + ", capacity=" + capacity + (speed == 1.0 ? "" : ", speed=" + speed) +
            ", skills=" + proficiency.keySet() + '}';
    }

    /** Collects the fields of an {@link AgentSpec}; not thread-safe. */
    public static final class Builder
    {
        private final String id;
        private final String type;
        private int capacity = 1;
        private int weight = 1;
        private double speed = 1.0;
        private final Map<String, Double> proficiency = new LinkedHashMap<>();
        private long tokenBudget = Long.MAX_VALUE;

        private Builder(final String id, final String type)
        {
            if (id == null || id.isBlank())
            {
                throw new IllegalArgumentException("agent id must be a non-blank string, got '" + id + "'");
            }
            if (type == null || type.isBlank())
            {
                throw new IllegalArgumentException("agent type of '" + id + "' must be a non-blank string, got '" + type + "'");
            }
            this.id = id;
            this.type = type;
        }

        public Builder capacity(final int capacity)
        {
            if (capacity < 1)
            {
                throw new IllegalArgumentException("capacity of agent '" + id + "' must be >= 1 (tasks it runs at once), got " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        public Builder weight(final int weight)
        {
            if (weight < 1)
            {
                throw new IllegalArgumentException("weight of agent '" + id + "' must be >= 1, got " + weight);
            }
            this.weight = weight;
            return this;
        }

        /**
         * Declares the agent's relative speed: 1.0 for the reference agent, 4.0 for one that finishes the same task
         * in a quarter of the time (e.g. measured tokens per second over the slowest model's).
         */
        public Builder speed(final double speed)
        {
            if (!(speed > 0.0) || Double.isInfinite(speed))
            {
                throw new IllegalArgumentException("speed of agent '" + id + "' must be a finite number > 0 " +
                    "(1.0 = the reference agent, 2.0 = twice as fast), got " + speed + "; leave it unset for 1.0");
            }
            this.speed = speed;
            return this;
        }

        /** Adds a skill with a proficiency in [0, 1]. */
        public Builder skill(final String skill, final double proficiency)
        {
            Objects.requireNonNull(skill, "skill name must not be null");
            if (!(proficiency >= 0.0 && proficiency <= 1.0))
            {
                throw new IllegalArgumentException("proficiency of skill '" + skill + "' on agent '" + id + "' must be in [0, 1], got " + proficiency);
            }
            Skills.id(skill);
            this.proficiency.put(skill, proficiency);
            return this;
        }

        public Builder tokenBudget(final long tokenBudget)
        {
            if (tokenBudget < 0)
            {
                throw new IllegalArgumentException("token budget of agent '" + id + "' must be >= 0, got " + tokenBudget);
            }
            this.tokenBudget = tokenBudget;
            return this;
        }

        public AgentSpec build()
        {
            return new AgentSpec(this);
        }
    }
}
