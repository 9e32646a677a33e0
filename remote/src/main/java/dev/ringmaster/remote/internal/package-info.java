/**
 * The remote module's machinery: the wire layouts, the Aeron transport, the table of attempts in flight on hosts and
 * the per-host link; not an API.
 */
package dev.ringmaster.remote.internal;
