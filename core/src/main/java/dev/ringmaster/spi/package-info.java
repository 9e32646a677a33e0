/**
 * The extension points: routing strategies, agent adapters and dispatch listeners, each with its threading contract.
 * Plugins implement these and register through {@link java.util.ServiceLoader}.
 */
package dev.ringmaster.spi;
