/**
 * JMH benchmarks of Ringmaster's hot path, split by kind: {@code throughput} (whole-dispatcher tasks per second),
 * {@code latency} (round trip and routing decision times) and {@code baseline} (the lane queue against the JDK's).
 * Build {@code bench/target/benchmarks.jar} with Maven and run it with {@code java -jar}; see bench/README.md.
 */
package dev.ringmaster.bench;
