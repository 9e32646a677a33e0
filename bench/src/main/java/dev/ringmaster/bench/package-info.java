/**
 * JMH benchmarks of Ringmaster's hot path, split by kind: {@code throughput} (whole-dispatcher tasks per second),
 * {@code latency} (round trip and routing decision times) and {@code baseline} (the lane queue against the JDK's).
 * Build {@code bench/target/benchmarks.jar} with Maven and run it with {@code java -jar}; see bench/README.md. Not JMH:
 * {@code harness} (the end-to-end latency harness behind {@code ringmaster bench}) and {@code sim} (the simulator).
 */
package dev.ringmaster.bench;
