/**
 * Plugins from the classpath and from a directory of jars: {@link dev.ringmaster.plugin.PluginRegistry} finds every
 * {@link java.util.ServiceLoader} plugin type Ringmaster has, loads each jar in its own class loader, and reports in a
 * {@link dev.ringmaster.plugin.PluginReport} what loaded from where and which jars it skipped, and why.
 *
 * <p>Assumptions and guarantees:
 * <ul>
 *   <li>every jar's class loader has the core's class loader (or the one given) as parent, so the SPI types, and
 *       everything else on the classpath, are shared and win over a copy inside a jar;</li>
 *   <li>the classpath is scanned first, then the jars in file-name order; the first plugin to claim a name within its
 *       kind keeps it, a later one is a problem;</li>
 *   <li>one bad jar (not a zip, a provider missing or failing, no provider, a clashing name) is a problem in the
 *       report naming the jar, the plugin and the fix; it never stops the other jars;</li>
 *   <li>a jar that contributed nothing has its class loader closed at once; the others stay open until the registry
 *       is closed, since what they created may still run;</li>
 *   <li>{@link dev.ringmaster.plugin.PluginRegistry#classLoader()} is a view in which {@link java.util.ServiceLoader},
 *       and so every existing lookup by name ({@code RoutingStrategies}, {@code AgentFactories},
 *       {@code TaskClassifiers}), sees exactly the plugins that loaded.</li>
 * </ul>
 */
package dev.ringmaster.plugin;
