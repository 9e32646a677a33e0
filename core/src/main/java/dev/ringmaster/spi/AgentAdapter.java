package dev.ringmaster.spi;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Executes tasks for one agent; {@link #execute} is called on a dispatcher worker thread, one call per attempt, and
 * may finish synchronously or hand the completion to another thread.
 */
public interface AgentAdapter
{
    /**
     * Runs one attempt of a task. A synchronous adapter calls {@code completion} before returning; an asynchronous
     * one returns at once and calls it later from any thread. Throwing fails the attempt.
     *
     * <p>Calls for one agent never overlap. A synchronous call holds its worker thread for as long as it runs: the
     * agent starts no other task meanwhile (so its capacity above 1 counts only for asynchronous adapters), and once
     * the call has lasted 50 us, other workers start the tasks of that worker's other agents. For a call that takes
     * long (a model behind HTTP), complete asynchronously.
     *
     * @param task       the task, valid until the completion is called.
     * @param completion where to report the outcome, exactly once.
     * @param telemetry  where to publish the agent's live state (context use, budget), any time, from any thread.
     */
    void execute(TaskView task, Completion completion, AgentTelemetry telemetry) throws Exception;

    /**
     * Brings the agent up (connect, spawn, load a model) before its first task; called once, off the dispatch path: by
     * {@code Dispatcher.start()} for the agents of the builder, by {@code Dispatcher.addAgent} on its caller's thread
     * for an agent added later. Throwing (anything, {@code Error}s included) fails the start: {@code start()} throws
     * unless supervision's factory makes a new agent after a back-off; {@code addAgent}'s stage fails, the agent not
     * added.
     */
    default void start() throws Exception
    {
    }

    /**
     * Optional hook of predictive pre-routing: loads the context for {@code contextKey} (a session, a repository, a
     * document set) ahead of tasks predicted to need it, so that they find it warm. Called on the pre-routing thread
     * while the agent has nothing in flight, never on a worker; should return quickly (start the load and return).
     * Whatever it throws is contained and counted; the agent is then not considered warm.
     *
     * @return true if the agent warmed (or started warming) the context; false, the default, if it cannot.
     */
    default boolean warm(final String contextKey) throws Exception
    {
        return false;
    }

    /**
     * Releases what {@link #start} acquired; called once, off the dispatch path, when the agent leaves (removed, once
     * none of its tasks is live; crashed; or the dispatcher terminated) or is replaced. A call that outlived its
     * task's timeout may still be running: stopping should make it return; its answer is ignored. Should not throw:
     * what it throws is logged and ignored.
     */
    default void stop()
    {
    }

    /**
     * @param fn a function that runs on the worker thread and returns the result.
     * @return a synchronous adapter around a plain function; an exception thrown by the function fails the attempt.
     */
    static AgentAdapter sync(final Function<TaskView, Object> fn)
    {
        return (task, completion, telemetry) -> completion.succeed(fn.apply(task));
    }

    /**
     * @param fn a function that starts the work and returns a stage that completes with the result.
     * @return an asynchronous adapter; an exceptional stage fails the attempt. Allocates per call (the stage).
     */
    static AgentAdapter async(final Function<TaskView, ? extends CompletionStage<?>> fn)
    {
        return (task, completion, telemetry) -> fn.apply(task).whenComplete((result, error) ->
        {
            if (error != null)
            {
                completion.fail(error);
            }
            else
            {
                completion.succeed(result);
            }
        });
    }
}
