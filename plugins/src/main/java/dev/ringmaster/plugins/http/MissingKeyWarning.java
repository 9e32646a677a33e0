package dev.ringmaster.plugins.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key variables already warned about in this process, so that a fleet of chat agents built without a key warns
 * once per variable instead of once per agent (a serve config of 8 agents printed the same line 8 times); thread-safe,
 * lock-free reads, called only when an adapter is built.
 */
final class MissingKeyWarning
{
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private MissingKeyWarning()
    {
    }

    /** @return true for the first caller about this variable in the process, false for every later one. */
    static boolean first(final String variable)
    {
        return WARNED.add(variable);
    }
}
