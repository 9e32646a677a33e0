package dev.ringmaster.delegation;

import dev.ringmaster.dispatch.Dispatcher;
import dev.ringmaster.dispatch.RejectedTaskException;
import dev.ringmaster.dispatch.SubmitStatus;
import dev.ringmaster.dispatch.TaskResult;
import dev.ringmaster.dispatch.TerminalState;
import dev.ringmaster.model.Priority;
import dev.ringmaster.model.Task;
import dev.ringmaster.spi.Batch;
import dev.ringmaster.spi.BatchAdapter;
import dev.ringmaster.spi.BatchResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Context-aware batching: tasks that share a context key and arrive within a short window travel together as one
 * dispatcher task, so one agent loads the context once and answers them all. Thread-safe: {@link #submitAsync} may
 * be called from any thread; window timers run on one scheduler thread.
 *
 * <p>How a batch forms:
 * <ul>
 *   <li>tasks are grouped by context key (the affinity key by default) and by everything that constrains where a
 *       task may run: type, tenant, {@code targetAgent} and {@code avoidAgent}; a task without a key, or requiring a
 *       skill no agent has had yet, is submitted alone, unbatched, its stage completing as a member's (exceptionally
 *       unless COMPLETED);</li>
 *   <li>a group is sent when its window (started by its first member) expires, as soon as it holds
 *       {@code maxBatch} members, on {@link #flush()} and on {@link #close()}: nothing is left behind;</li>
 *   <li>the batch task's payload is a {@link Batch}; it has the group's type, tenant and key, the highest member
 *       priority, the sum of the members' costs (at most {@code Long.MAX_VALUE}), the union of their skills and
 *       the fewest retries any member allows; a timeout only if every member has one (their sum, as a one-by-one
 *       agent runs them in turn, at most {@link Task#MAX_TTL_OR_TIMEOUT}) and a TTL only if every member has one
 *       (the longest);</li>
 *   <li>a keyed task whose id is already in this batcher (waiting for its batch, or in one not finished) is refused
 *       with {@code DUPLICATE_ID}, as the dispatcher refuses a live id.</li>
 * </ul>
 *
 * <p>How results come back: the agent must be registered with a {@link BatchAdapter} (wrap a plain adapter with
 * {@link BatchAdapter#oneByOne}). Each member's stage completes with its own {@link TaskResult} (member task, the
 * batch's agent, the member's result and tokens, latency from this batcher's submit), or exceptionally with a
 * {@link DelegationException} for the member's own failure or the batch task's failure, or with the dispatcher's
 * {@link RejectedTaskException} if the batch task was refused; a batch that could not be built or submitted fails
 * every member with a {@link DelegationException} and frees their ids.
 */
public final class Batcher implements TaskSubmitter, AutoCloseable
{
    private final Dispatcher dispatcher;
    private final long windowNanos;
    private final int maxBatch;
    private final Function<Task, String> contextKey;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ConcurrentHashMap<GroupKey, Group> groups = new ConcurrentHashMap<>();
    /** Ids of the members waiting for their batch or in it: one id is batched once at a time, as the dispatcher admits. */
    private final Set<Long> liveIds = ConcurrentHashMap.newKeySet();
    private final LongAdder batchesSent = new LongAdder();
    private final LongAdder membersBatched = new LongAdder();
    private final LongAdder unbatched = new LongAdder();
    private final LongAdder flushedByWindow = new LongAdder();
    private final LongAdder flushedFull = new LongAdder();
    private final LongAdder flushedOnDemand = new LongAdder();
    private volatile boolean closed;

    private Batcher(final Builder b)
    {
        this.dispatcher = b.dispatcher;
        this.windowNanos = b.windowNanos;
        this.maxBatch = b.maxBatch;
        this.contextKey = b.contextKey;
        if (b.scheduler != null)
        {
            this.scheduler = b.scheduler;
            this.ownsScheduler = false;
        }
        else
        {
            this.scheduler = TimerThreads.daemon("ringmaster-batcher");
            this.ownsScheduler = true;
        }
    }

    /** @return a builder: 5 ms window, at most 16 members, keyed by the affinity key. */
    public static Builder builder(final Dispatcher dispatcher)
    {
        return new Builder(dispatcher);
    }

    /**
     * Adds the task to the open batch of its context, or submits it alone if it has no context key.
     *
     * @return completes with the member's own result; see the class comment for failures.
     */
    @Override
    public CompletableFuture<TaskResult> submitAsync(final Task task)
    {
        Objects.requireNonNull(task, "task must not be null");
        if (closed)
        {
            return CompletableFuture.failedFuture(
                RejectedTaskException.because(task, SubmitStatus.NOT_RUNNING, "the batcher is closed: submit through " +
                    "a batcher that is open, or to the dispatcher itself"));
        }
        final String key = contextKey.apply(task);
        // a skill no agent has had yet goes alone: the dispatcher refuses it NO_CAPABLE_AGENT, as it would a direct
        // submit, where in a batch (whose mask cannot hold such a name) it ran on an agent without it, and by name it
        // would have had its batchmates refused with it
        if (key == null || task.requiresUnknownSkill())
        {
            unbatched.increment();
            return submitAlone(task);
        }
        if (!liveIds.add(task.id()))
        {
            return CompletableFuture.failedFuture(RejectedTaskException.because(task, SubmitStatus.DUPLICATE_ID,
                "task id " + task.id() + " is already in this batcher, waiting for its batch or running in it: " +
                "submit a new Task, or wait for the first one's result"));
        }
        final Member member = new Member(task);
        final GroupKey groupKey = new GroupKey(task.type(), key, task.tenant(), task.targetAgent(), task.avoidAgent());
        final Group[] full = new Group[1];
        groups.compute(groupKey, (k, group) ->
        {
            final Group g = group != null ? group : new Group(k);
            g.members.add(member);
            // a submit that sees closed sends at once; one that raced past it is found by close()'s sweep or, at
            // worst, by its window timer, which still runs after shutdown(): nothing is left behind
            if (g.members.size() >= maxBatch || closed)
            {
                full[0] = g;
                return null;
            }
            if (group == null)
            {
                try
                {
                    g.timer = scheduler.schedule(() -> flushExpired(k, g), windowNanos, TimeUnit.NANOSECONDS);
                }
                catch (final RejectedExecutionException e)
                {
                    full[0] = g;
                    return null;
                }
            }
            return g;
        });
        if (full[0] != null)
        {
            flushedFull.increment();
            send(full[0]);
        }
        return member.future;
    }

    /** The dispatcher's stage completes normally with every terminal state; this one, as a member's, only COMPLETED. */
    private CompletableFuture<TaskResult> submitAlone(final Task task)
    {
        final CompletableFuture<TaskResult> stage = new CompletableFuture<>();
        dispatcher.submitAsync(task).whenComplete((result, error) ->
        {
            if (error != null)
            {
                stage.completeExceptionally(error instanceof CompletionException && error.getCause() != null ?
                    error.getCause() : error);
            }
            else if (result.state() == TerminalState.COMPLETED)
            {
                stage.complete(result);
            }
            else
            {
                stage.completeExceptionally(new DelegationException("task " + task.id() + " failed", task,
                    List.of("sent alone (no context key)" + (result.agentId() == null ? "" : " to agent '" +
                        result.agentId() + "'") + ", it ended " + result.state() +
                        (result.reason() == null ? "" : " (" + result.reason() + ")")), null));
            }
        });
        return stage;
    }

    /** Sends every open group now, without waiting for their windows. */
    public void flush()
    {
        for (final GroupKey key : groups.keySet())
        {
            final Group group = groups.remove(key);
            if (group != null)
            {
                flushedOnDemand.increment();
                send(group);
            }
        }
    }

    /**
     * Refuses new tasks and sends every open group now. Shuts down the scheduler if the batcher made it (letting a
     * window timer that raced with close run, so a group formed during close is still sent).
     */
    @Override
    public void close()
    {
        closed = true;
        flush();
        if (ownsScheduler)
        {
            scheduler.shutdown();
        }
    }

    /** @return batch tasks submitted to the dispatcher. */
    public long batchesSent()
    {
        return batchesSent.sum();
    }

    /** @return member tasks sent inside batches. */
    public long membersBatched()
    {
        return membersBatched.sum();
    }

    /** @return tasks without a context key, submitted alone. */
    public long unbatched()
    {
        return unbatched.sum();
    }

    /** @return batches sent because their window expired. */
    public long flushedByWindow()
    {
        return flushedByWindow.sum();
    }

    /** @return batches sent because they reached {@code maxBatch} (or arrived while closing). */
    public long flushedFull()
    {
        return flushedFull.sum();
    }

    /** @return batches sent by {@link #flush()} or {@link #close()}. */
    public long flushedOnDemand()
    {
        return flushedOnDemand.sum();
    }

    private void flushExpired(final GroupKey key, final Group group)
    {
        if (groups.remove(key, group))
        {
            flushedByWindow.increment();
            send(group);
        }
    }

    /** Called once per group, after it left the map, so its member list is no longer written. */
    private void send(final Group group)
    {
        final ScheduledFuture<?> timer = group.timer;
        if (timer != null)
        {
            timer.cancel(false);
        }
        final List<Member> members = group.members;
        final List<Task> tasks = new ArrayList<>(members.size());
        for (final Member m : members)
        {
            tasks.add(m.task);
        }
        final Task batchTask;
        final CompletableFuture<TaskResult> submitted;
        try
        {
            batchTask = batchTask(group.key, tasks);
            submitted = dispatcher.submitAsync(batchTask);
        }
        catch (final RuntimeException e)
        {
            // thrown here it would reach a submitter that is not the members' (or vanish on the window timer) and
            // leave every member's stage pending and its id live forever
            failUnsent(group.key, members, e);
            return;
        }
        batchesSent.increment();
        membersBatched.add(members.size());
        submitted.whenComplete((result, error) -> deliver(batchTask, members, result, error));
    }

    private void failUnsent(final GroupKey key, final List<Member> members, final RuntimeException e)
    {
        for (final Member m : members)
        {
            liveIds.remove(m.task.id());
        }
        final String reason = "its batch of " + members.size() + " members (type '" + key.type + "', context '" +
            key.context + "') could not be built or submitted: " + e + "; this is a bug in the batcher, the task " +
            "was not run: submit it again, or without a context key to send it alone";
        for (final Member m : members)
        {
            m.future.completeExceptionally(new DelegationException("member task " + m.task.id() + " was not sent",
                m.task, List.of(reason), e));
        }
    }

    private static Task batchTask(final GroupKey key, final List<Task> tasks)
    {
        final Task first = tasks.get(0);
        int priority = first.priority().ordinal();
        long cost = 0;
        long skills = 0;
        int retries = first.maxRetries();
        long timeout = 0;
        long ttl = 0;
        boolean everyTimeout = true;
        boolean everyTtl = true;
        for (final Task t : tasks)
        {
            priority = Math.min(priority, t.priority().ordinal());
            // saturated like the timeout below: a sum past Long.MAX_VALUE would wrap negative, which a task refuses
            cost = Long.MAX_VALUE - cost < t.costTokens() ? Long.MAX_VALUE : cost + t.costTokens();
            skills |= t.requiredSkills();
            retries = Math.min(retries, t.maxRetries());
            everyTimeout &= t.timeoutNanos() > 0;
            // capped, or members with very long timeouts would add up to more than a task holds (or overflow)
            timeout = Math.min(Task.MAX_TTL_OR_TIMEOUT.toNanos(), timeout + t.timeoutNanos());
            everyTtl &= t.ttlNanos() > 0;
            ttl = Math.max(ttl, t.ttlNanos());
        }
        final Task.Builder b = Task.builder(key.type)
            .priority(Priority.ofOrdinal(priority))
            .affinityKey(first.affinityKey() != null ? first.affinityKey() : key.context)
            .tenant(key.tenant)
            .targetAgent(key.targetAgent)
            .avoidAgent(key.avoidAgent)
            .costTokens(cost)
            .requiredSkillMask(skills) // every member's skills are known: one that was not went alone
            .maxRetries(retries)
            .payload(Batch.of(key.context, tasks));
        if (everyTimeout)
        {
            b.timeout(Duration.ofNanos(timeout));
        }
        if (everyTtl)
        {
            b.ttl(Duration.ofNanos(ttl));
        }
        return b.build();
    }

    private void deliver(final Task batchTask, final List<Member> members, final TaskResult result,
        final Throwable error)
    {
        // before any member's stage runs, so a caller may submit the same task again from it
        for (final Member m : members)
        {
            liveIds.remove(m.task.id());
        }
        if (error != null)
        {
            final Throwable cause = error instanceof CompletionException && error.getCause() != null ?
                error.getCause() : error;
            for (final Member m : members)
            {
                m.future.completeExceptionally(cause);
            }
            return;
        }
        final long now = System.nanoTime();
        if (result.state() != TerminalState.COMPLETED)
        {
            final String reason = "batch task " + batchTask.id() + " of " + members.size() + " members ended " +
                result.state() + (result.reason() == null ? "" : " (" + result.reason() + ")");
            for (final Member m : members)
            {
                m.future.completeExceptionally(new DelegationException("member task " + m.task.id() + " failed",
                    m.task, List.of(reason), null));
            }
            return;
        }
        if (!(result.result() instanceof BatchResult) || ((BatchResult)result.result()).size() != members.size())
        {
            final String reason = "agent '" + result.agentId() + "' is not batch-aware: it answered " +
                describe(result.result()) + " to a Batch of " + members.size() + "; register it with a BatchAdapter " +
                "(BatchAdapter.oneByOne(adapter) for an ordinary one)";
            for (final Member m : members)
            {
                m.future.completeExceptionally(new DelegationException("member task " + m.task.id() + " failed",
                    m.task, List.of(reason), null));
            }
            return;
        }
        final BatchResult outcomes = (BatchResult)result.result();
        for (int i = 0; i < members.size(); i++)
        {
            final Member m = members.get(i);
            if (outcomes.succeeded(i))
            {
                m.future.complete(new TaskResult(m.task, TerminalState.COMPLETED, result.agentId(), outcomes.result(i),
                    null, result.attempts(), outcomes.tokensUsed(i), now - m.submittedNanos));
            }
            else
            {
                final Throwable cause = outcomes.failure(i);
                m.future.completeExceptionally(new DelegationException("member task " + m.task.id() +
                    " failed on agent '" + result.agentId() + "'", m.task, List.of(String.valueOf(cause)), cause));
            }
        }
    }

    private static String describe(final Object o)
    {
        return o == null ? "null" : "a " + o.getClass().getSimpleName();
    }

    /** Everything that must be equal for tasks to share a batch; immutable. */
    private record GroupKey(String type, String context, String tenant, String targetAgent, String avoidAgent)
    {
    }

    /** An open batch; its member list is written only under its key's lock in {@link #groups}. */
    private static final class Group
    {
        final GroupKey key;
        final List<Member> members = new ArrayList<>();
        volatile ScheduledFuture<?> timer;

        Group(final GroupKey key)
        {
            this.key = key;
        }
    }

    /** One member task waiting for its batch; immutable. */
    private static final class Member
    {
        final Task task;
        final CompletableFuture<TaskResult> future = new CompletableFuture<>();
        final long submittedNanos = System.nanoTime();

        Member(final Task task)
        {
            this.task = task;
        }
    }

    /** Configures a {@link Batcher}; not thread-safe, use from one thread. */
    public static final class Builder
    {
        private final Dispatcher dispatcher;
        private long windowNanos = Duration.ofMillis(5).toNanos();
        private int maxBatch = 16;
        private Function<Task, String> contextKey = Task::affinityKey;
        private ScheduledExecutorService scheduler;

        private Builder(final Dispatcher dispatcher)
        {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher must not be null");
        }

        /** How long a group waits for more members after its first arrives (default 5 ms). */
        public Builder window(final Duration window)
        {
            Objects.requireNonNull(window, "batch window must not be null");
            if (window.isNegative() || window.isZero())
            {
                throw new IllegalArgumentException("batch window must be positive, got " + window);
            }
            this.windowNanos = window.toNanos();
            return this;
        }

        /** Members at which a group is sent at once (default 16). */
        public Builder maxBatch(final int maxBatch)
        {
            if (maxBatch < 1)
            {
                throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
            }
            this.maxBatch = maxBatch;
            return this;
        }

        /**
         * How to find a task's context key (default: its affinity key); called on submitting threads, so it must be
         * thread-safe. A null key means "do not batch this task".
         */
        public Builder contextKey(final Function<Task, String> contextKey)
        {
            this.contextKey = Objects.requireNonNull(contextKey, "context key function must not be null");
            return this;
        }

        /**
         * Runs window timers on this scheduler, which the caller owns and shuts down; by default the batcher makes
         * one daemon thread and shuts it down on {@link Batcher#close()}.
         */
        public Builder scheduler(final ScheduledExecutorService scheduler)
        {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
            return this;
        }

        public Batcher build()
        {
            return new Batcher(this);
        }
    }
}
