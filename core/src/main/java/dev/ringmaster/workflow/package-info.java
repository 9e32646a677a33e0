/**
 * Supervisor workflows: a {@link dev.ringmaster.workflow.Workflow} is a graph of
 * {@link dev.ringmaster.workflow.Step}s delegated to agents through a {@link dev.ringmaster.dispatch.Dispatcher};
 * a {@link dev.ringmaster.workflow.Supervisor} runs it in dependency order, independent steps in parallel up to a
 * bound, with fallbacks for failed steps and a final synthesis step.
 *
 * <p>Not on the dispatch path: a workflow costs a few allocations per step and lives on the supervisor's thread; the
 * dispatcher only sees ordinary tasks.
 */
package dev.ringmaster.workflow;
