/**
 * The built-in routing strategies, each registered in {@code META-INF/services} under its provider and selected
 * by name.
 */
package dev.ringmaster.plugins.routing;
