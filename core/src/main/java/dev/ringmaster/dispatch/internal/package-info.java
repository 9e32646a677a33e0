/**
 * The dispatch pipeline: ingress ring, lanes, router, agent inboxes and slots, workers. Not API. Everything here is
 * on the dispatch path: no locks, no allocation in steady state (checked by {@code DispatchPathLockFreeTest}).
 */
package dev.ringmaster.dispatch.internal;
