/**
 * The admin endpoint of a running dispatcher: {@link dev.ringmaster.admin.AdminServer} answers operators' questions
 * (status, queue depth, who is overloaded, how work is spread, what died) and applies fleet changes (pause, resume,
 * drain, add, re-prioritize) over HTTP on loopback, JSON in and out; {@link dev.ringmaster.admin.AdminClient} is the
 * other end, used by {@code ringmaster admin}.
 *
 * <p>Nothing here touches the dispatch path: reads go through the dispatcher's snapshot methods, changes through its
 * fleet operations, which the router applies between duty cycles.
 */
package dev.ringmaster.admin;
