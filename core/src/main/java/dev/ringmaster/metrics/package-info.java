/**
 * What a dispatcher measures and how it is read: latency per stage (HdrHistogram), work per agent, the Gini
 * coefficient of the distribution. Readers take immutable snapshots; the router is the only writer.
 */
package dev.ringmaster.metrics;
