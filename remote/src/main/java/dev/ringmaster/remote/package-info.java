/**
 * Agents on other hosts over Aeron: {@link dev.ringmaster.remote.RemoteFleet} on the dispatcher's side makes every
 * agent an {@link dev.ringmaster.remote.AgentHost} registers an ordinary agent of the dispatcher, and the host runs
 * the tasks sent to its agents and sends their completions back.
 */
package dev.ringmaster.remote;
