package dev.ringmaster.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable unit of work addressed to an agent type; safe to share between threads. One id is live once per
 * dispatcher: submitting a Task again while its first submission is accepted and not yet terminal is refused with
 * {@link dev.ringmaster.dispatch.SubmitStatus#DUPLICATE_ID}; once it is terminal (or was refused) it may be submitted
 * again, and that submission is tracked as a new one, with its own terminal state.
 */
public final class Task
{
    private static final AtomicLong NEXT_ID = new AtomicLong();
    /**
     * The longest TTL or timeout, half the nanoseconds a long counts (about 146 years), so that deadlines never
     * overflow: a longer one given to the builder is cut to this.
     */
    public static final Duration MAX_TTL_OR_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE / 2);

    private final long id;
    private final String type;
    private final Priority priority;
    private final String affinityKey;
    private final String targetAgent;
    private final String tenant;
    private final String avoidAgent;
    private final long costTokens;
    private final long requiredSkills;
    /** Required names no agent's skill had when the task was built, or null: resolved when an agent brings them. */
    private final String[] pendingSkills;
    private final long ttlNanos;
    private final int maxRetries;
    private final long timeoutNanos;
    private final Object payload;

    private Task(final Builder b, final long id)
    {
        this.id = id;
        this.type = b.type;
        this.priority = b.priority;
        this.affinityKey = b.affinityKey;
        this.targetAgent = b.targetAgent;
        this.tenant = b.tenant;
        this.avoidAgent = b.avoidAgent;
        this.costTokens = b.costTokens;
        this.requiredSkills = b.requiredSkills;
        this.pendingSkills = b.pendingSkills;
        this.ttlNanos = b.ttlNanos;
        this.maxRetries = b.maxRetries;
        this.timeoutNanos = b.timeoutNanos;
        this.payload = b.payload;
    }

    /**
     * Makes ids generated from now on larger than {@code id}, e.g. after recovering a journal whose tasks keep their
     * ids, so that new tasks never collide with them. Thread-safe.
     */
    public static void reserveIdsAbove(final long id)
    {
        NEXT_ID.accumulateAndGet(id, Math::max);
    }

    /**
     * @param type the agent type that handles the task, e.g. "coder".
     * @return a builder with defaults: MEDIUM priority, no TTL, no timeout, 3 retries, a fresh id.
     */
    public static Builder builder(final String type)
    {
        return new Builder(type);
    }

    /** @return the id, unique per JVM unless set explicitly; kept across retries and recovery. */
    public long id()
    {
        return id;
    }

    /** @return the agent type that must handle this task. */
    public String type()
    {
        return type;
    }

    /** @return the priority given at creation. */
    public Priority priority()
    {
        return priority;
    }

    /** @return the affinity key for sticky or hashed routing, or null. */
    public String affinityKey()
    {
        return affinityKey;
    }

    /** @return the tenant the task is billed to, for per-tenant rate limits, or null. */
    public String tenant()
    {
        return tenant;
    }

    /** @return the id of an agent that must not get this task (e.g. the one a hedged request is racing), or null. */
    public String avoidAgent()
    {
        return avoidAgent;
    }

    /**
     * @return the id of the agent this task is addressed to (direct assignment: the dispatcher routes it to that
     *     agent only, waiting while it is busy), or null.
     */
    public String targetAgent()
    {
        return targetAgent;
    }

    /** @return the estimated cost in tokens, used by token-aware strategies ("count the tokens, not the tasks"). */
    public long costTokens()
    {
        return costTokens;
    }

    /**
     * @return the mask of skills an agent must all have to receive this task (see {@link Skills}); a required name no
     *     agent has ever had is not in it until one has (see {@link #requiresUnknownSkill}).
     */
    public long requiredSkills()
    {
        final String[] pending = pendingSkills;
        if (pending == null)
        {
            return requiredSkills;
        }
        long mask = requiredSkills;
        for (final String name : pending)
        {
            final int id = Skills.idIfKnown(name);
            mask |= id < 0 ? 0 : 1L << id;
        }
        return mask;
    }

    /** @return true while the task requires a skill that no agent spec in this JVM has had: nobody can take it. */
    public boolean requiresUnknownSkill()
    {
        final String[] pending = pendingSkills;
        if (pending != null)
        {
            for (final String name : pending)
            {
                if (Skills.idIfKnown(name) < 0)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the names of the skills the task requires, for messages (allocates). */
    public List<String> requiredSkillNames()
    {
        final List<String> names = new ArrayList<>(Skills.names(requiredSkills()));
        if (pendingSkills != null)
        {
            for (final String name : pendingSkills)
            {
                if (!names.contains(name))
                {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** @return time to live from acceptance in nanoseconds, 0 for none. */
    public long ttlNanos()
    {
        return ttlNanos;
    }

    /** @return how many times a failed attempt is retried before the task is dead-lettered. */
    public int maxRetries()
    {
        return maxRetries;
    }

    /** @return the longest one attempt may run, in nanoseconds, 0 for no limit. */
    public long timeoutNanos()
    {
        return timeoutNanos;
    }

    /** @return the opaque payload handed to the agent adapter. */
    public Object payload()
    {
        return payload;
    }

    @Override
    public String toString()
    {
        return "Task{id=" + id + ", type=" + type + ", priority=" + priority +
            (affinityKey != null ? ", affinity=" + affinityKey : "") +
            (requiredSkills != 0 || pendingSkills != null ? ", skills=" + requiredSkillNames() : "") + '}';
    }

    /** Collects the fields of a {@link Task}; not thread-safe, use one builder per thread. */
    public static final class Builder
    {
        private long id = Long.MIN_VALUE;
        private String type;
        private Priority priority = Priority.MEDIUM;
        private String affinityKey;
        private String targetAgent;
        private String tenant;
        private String avoidAgent;
        private long costTokens;
        private long requiredSkills;
        private String[] pendingSkills;
        private long ttlNanos;
        private int maxRetries = 3;
        private long timeoutNanos;
        private Object payload;

        private Builder(final String type)
        {
            if (type == null || type.isBlank())
            {
                throw new IllegalArgumentException("task type must name an agent type, got '" + type + "'");
            }
            this.type = type;
        }

        /**
         * Sets an explicit id, e.g. when recovering a journaled task; it must be unique among live tasks.
         *
         * @throws IllegalArgumentException for {@code Long.MIN_VALUE}, which means "no id yet" to {@link #build()}.
         */
        public Builder id(final long id)
        {
            if (id == Long.MIN_VALUE)
            {
                // silently swapping it for a generated id would lose the caller's id (audit, recovery, dedup by id)
                throw new IllegalArgumentException("task id Long.MIN_VALUE is reserved (it means: generate an id at " +
                    "build()); use any other long, or leave the id unset to get a generated one");
            }
            this.id = id;
            return this;
        }

        public Builder priority(final Priority priority)
        {
            this.priority = Objects.requireNonNull(priority, "priority must not be null");
            return this;
        }

        public Builder affinityKey(final String affinityKey)
        {
            this.affinityKey = affinityKey;
            return this;
        }

        /** Names the tenant the task is billed to (per-tenant rate limits). */
        public Builder tenant(final String tenant)
        {
            this.tenant = tenant;
            return this;
        }

        /** Keeps the task away from one agent, e.g. the one already running its hedged twin. */
        public Builder avoidAgent(final String agentId)
        {
            this.avoidAgent = agentId;
            return this;
        }

        /** Copies every field of a task except its id (which is fresh unless set again). */
        public static Builder from(final Task t)
        {
            Objects.requireNonNull(t, "task to copy must not be null");
            final Builder b = new Builder(t.type);
            b.priority = t.priority;
            b.affinityKey = t.affinityKey;
            b.targetAgent = t.targetAgent;
            b.tenant = t.tenant;
            b.avoidAgent = t.avoidAgent;
            b.costTokens = t.costTokens;
            b.requiredSkills = t.requiredSkills;
            b.pendingSkills = t.pendingSkills;
            b.ttlNanos = t.ttlNanos;
            b.maxRetries = t.maxRetries;
            b.timeoutNanos = t.timeoutNanos;
            b.payload = t.payload;
            return b;
        }

        /** Changes the type, e.g. after a classifier chose it for an untyped task. */
        public Builder type(final String type)
        {
            if (type == null || type.isBlank())
            {
                throw new IllegalArgumentException("task type must name an agent type, got '" + type + "'");
            }
            this.type = type;
            return this;
        }

        /** Addresses the task to one agent by id, for the direct-assignment strategy. */
        public Builder targetAgent(final String agentId)
        {
            this.targetAgent = agentId;
            return this;
        }

        public Builder costTokens(final long costTokens)
        {
            if (costTokens < 0)
            {
                throw new IllegalArgumentException("costTokens must be >= 0, got " + costTokens);
            }
            this.costTokens = costTokens;
            return this;
        }

        public Builder requiredSkills(final String... skills)
        {
            return requiredSkills(Arrays.asList(skills));
        }

        /**
         * The skills an agent must all have. A name no agent has had yet takes no bit of the registry ({@link
         * Skills#idIfKnown}): such a task is refused with NO_CAPABLE_AGENT, and taken once an agent has the skill.
         */
        public Builder requiredSkills(final List<String> skills)
        {
            long mask = 0;
            final List<String> pending = new ArrayList<>();
            for (final String name : skills)
            {
                final int id = Skills.idIfKnown(name);
                if (id >= 0)
                {
                    mask |= 1L << id;
                }
                else if (!pending.contains(name))
                {
                    pending.add(name);
                }
            }
            this.requiredSkills = mask;
            this.pendingSkills = pending.isEmpty() ? null : pending.toArray(new String[0]);
            return this;
        }

        /** Sets the skill mask directly (see {@link Skills#mask}), for generators that build many tasks. */
        public Builder requiredSkillMask(final long mask)
        {
            this.requiredSkills = mask;
            this.pendingSkills = null;
            return this;
        }

        public Builder ttl(final Duration ttl)
        {
            this.ttlNanos = positive("ttl", ttl);
            return this;
        }

        public Builder maxRetries(final int maxRetries)
        {
            if (maxRetries < 0)
            {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder timeout(final Duration timeout)
        {
            this.timeoutNanos = positive("timeout", timeout);
            return this;
        }

        public Builder payload(final Object payload)
        {
            this.payload = payload;
            return this;
        }

        /**
         * @return a new task; without an explicit {@link #id}, each call gets a fresh id, so one builder may stamp out
         *     many tasks without their being refused as duplicates.
         */
        public Task build()
        {
            return new Task(this, id == Long.MIN_VALUE ? NEXT_ID.incrementAndGet() : id);
        }

        private static long positive(final String what, final Duration d)
        {
            Objects.requireNonNull(d, what + " must not be null");
            if (d.isNegative() || d.isZero())
            {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            // deadlines are counted as System.nanoTime() + this, which must not overflow; a longer one (ChronoUnit
            // .FOREVER's, or one read from an older journal or a remote peer) means "no practical limit" all the same
            return d.compareTo(MAX_TTL_OR_TIMEOUT) > 0 ? MAX_TTL_OR_TIMEOUT.toNanos() : d.toNanos();
        }
    }
}
