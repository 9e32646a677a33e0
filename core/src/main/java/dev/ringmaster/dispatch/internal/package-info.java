/**
 * The dispatch pipeline: ingress ring, lanes, the router and its parts, agent inboxes and slots, workers. Not API.
 * Everything here is on the dispatch path: no locks, no allocation in steady state (checked by
 * {@code DispatchPathLockFreeTest}). "Router only" and "router-owned" in these javadocs mean the thread holding the
 * {@link dev.ringmaster.dispatch.internal.RoutingRole} at the time (a submitter, a worker or the router thread), one at
 * a time, each holder ordered after the previous one.
 */
package dev.ringmaster.dispatch.internal;
