/**
 * The built-in agent factories, each registered in {@code META-INF/services} under its provider and selected by name
 * for the autoscaler.
 */
package dev.ringmaster.plugins.agent;
