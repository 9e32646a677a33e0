package dev.ringmaster.dispatch.internal;

/**
 * The fields that find an agent's routing counters in its pool's {@link PoolIndex}, in a superclass of
 * {@link AgentState} only because HotSpot lays out a superclass's fields first, right after the object header: a
 * release, which must read them from an agent object that in a large pool is a cache miss, then costs one cache line
 * (the header's, which the type check reads anyway) instead of three. Router-owned; other threads read them racily, as
 * metrics.
 */
abstract class PoolMember
{
    /** Position in its lane's pool, kept by the lane's {@link PoolIndex}, -1 while in none. */
    int poolPosition = -1;
    /** The pool index that holds this agent's routing counters at {@link #poolPosition}, or null while in none. */
    PoolIndex pooledIn;
    /** The agent's type lane; set once at build. */
    Lane lane;
}
