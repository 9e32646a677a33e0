/**
 * Discovery of routing strategies: the {@link java.util.ServiceLoader} lookup by name. The strategies themselves
 * live in the {@code plugins} module and in third-party jars.
 */
package dev.ringmaster.routing;
