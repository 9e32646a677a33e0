/**
 * The {@code ringmaster} command line: picocli commands, and the simulated workload and agent fleet behind
 * {@code ringmaster demo}.
 */
package dev.ringmaster.tools;
