package dev.ringmaster.dispatch;

/** The answer to {@link Dispatcher#reprioritize}; immutable. */
public enum ReprioritizeOutcome
{
    /** The task was waiting and now waits at its new priority. */
    MOVED("moved to the new priority"),
    /** The task already left the central queues: it is in an agent's inbox or running; priority no longer applies. */
    ALREADY_RUNNING("already running (or assigned to an agent); priority applies only to waiting tasks"),
    /** No accepted, unfinished task has this id (it may have finished already). */
    NOT_FOUND("no waiting or running task has this id; it may have finished (see the dead letters or the journal)"),
    /** The queue of the new priority is full; the task stays where it was. */
    QUEUE_FULL("the queue at the new priority is full; the task keeps its priority, retry later");

    private final String reason;

    ReprioritizeOutcome(final String reason)
    {
        this.reason = reason;
    }

    /** @return a sentence for operators. */
    public String reason()
    {
        return reason;
    }
}
