package dev.ringmaster.dispatch;

/**
 * The dispatcher's answer to a submission: accepted, or rejected with the reason and what to do about it; immutable.
 * Only {@link #ACCEPTED} tasks are tracked to a terminal state, a rejected task was never taken.
 */
public enum SubmitStatus
{
    ACCEPTED("accepted"),
    RING_FULL("ingress ring is full: slow down, use the bounded blocking submit, or build with a larger ringSize"),
    QUEUE_FULL("the task type's queue at this priority is full: slow down, add agents, or raise queueCapacity"),
    UNKNOWN_AGENT_TYPE("no agent of the task's type is registered: register one, or fix the task's type"),
    NO_CAPABLE_AGENT("no agent of the task's type can take it: none has every skill the task requires, none has " +
        "the id in its targetAgent (or that agent lacks the skills), or the only one that could is the one in its " +
        "avoidAgent: add one, or drop the requirement (submitOrThrow's exception says which)"),
    EXPIRED("the task's time to live had already passed when it was submitted: give it a longer time to live " +
        "(Task.Builder.ttl), or submit it sooner"),
    NOT_RUNNING("the dispatcher is not running: if it was never started, call start() first; if it is draining or " +
        "shut down, submit to a running dispatcher (submitOrThrow's exception names the state)"),
    DUPLICATE_ID("a task with this id is already accepted and not finished (the same Task submitted twice, or an " +
        "explicit id reused): submit a new Task, or wait for the first one's result"),
    /** Given by a journal's acknowledged submit; the dispatcher itself never answers it. */
    JOURNAL_FAILED("the journal has stopped writing (see the log for why: a full disk, a lost permission), so the task " +
        "could not be made durable and was not submitted: fix the journal's storage and restart, or submit without " +
        "acknowledgement"),
    /** Given by a journal's acknowledged submit; the dispatcher itself never answers it. */
    PAYLOAD_NOT_JOURNALED("the journal cannot hold the task's payload (its codec refuses it, or it is larger than the " +
        "journal's largest record), so the task could not be recovered after a crash and was not submitted: give the " +
        "journal a codec for it, raise its ringCapacity, journal a reference to the payload instead, or submit without " +
        "acknowledgement");

    private final String reason;

    SubmitStatus(final String reason)
    {
        this.reason = reason;
    }

    /** @return true only for {@link #ACCEPTED}. */
    public boolean accepted()
    {
        return this == ACCEPTED;
    }

    /** @return a sentence naming the problem and the fix. */
    public String reason()
    {
        return reason;
    }
}
