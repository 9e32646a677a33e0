/**
 * Delegation models layered on the {@link dev.ringmaster.dispatch.Dispatcher}: each turns one logical task into one
 * or more dispatcher tasks and one caller-facing stage.
 *
 * <ul>
 *   <li>{@link dev.ringmaster.delegation.Broadcast}: every agent of the type gets a copy, the first success wins;</li>
 *   <li>{@link dev.ringmaster.delegation.Hedger}: hedged requests (tail chopping), a second copy on another agent
 *       once the first is slower than a percentile of observed latency;</li>
 *   <li>{@link dev.ringmaster.delegation.Batcher}: context-aware batching, tasks sharing a context key travel as one
 *       dispatcher task to one agent (see {@link dev.ringmaster.spi.BatchAdapter});</li>
 *   <li>{@link dev.ringmaster.delegation.ClassifyingSubmitter}: the Router model, a
 *       {@link dev.ringmaster.spi.TaskClassifier} types an untyped task.</li>
 * </ul>
 *
 * <p>Conventions shared by every model:
 * <ul>
 *   <li>each is a {@link dev.ringmaster.delegation.TaskSubmitter}, safe to call from any thread;</li>
 *   <li>the stage completes normally only with a COMPLETED {@link dev.ringmaster.dispatch.TaskResult}; otherwise it
 *       completes exceptionally, with the dispatcher's {@link dev.ringmaster.dispatch.RejectedTaskException} for a
 *       refused submission or a {@link dev.ringmaster.delegation.DelegationException} carrying every reason;</li>
 *   <li>stages complete where {@code submitAsync}'s do: on the thread that completed the task (a worker, or an
 *       asynchronous adapter's own), or on the routing role's holder for any other end; keep continuations tiny or
 *       use the *Async variants with an executor of your own;</li>
 *   <li>cancelling a Broadcast or Hedger stage cancels its copies still waiting (a Batcher member cannot be taken
 *       out of its batch);</li>
 *   <li>each dispatcher task they create is an ordinary accepted task: it reaches exactly one terminal state, and a
 *       losing copy that was already running finishes on its agent (agents cannot be preempted) with its result
 *       ignored.</li>
 * </ul>
 */
package dev.ringmaster.delegation;
