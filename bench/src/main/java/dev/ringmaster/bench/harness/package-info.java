/**
 * The end-to-end latency harness behind {@code ringmaster bench}: an open-loop load generator that offers the same
 * no-op workload, at fixed rates, to Ringmaster (journal off and on) and to what a user would otherwise pick
 * (ThreadPoolExecutor, ForkJoinPool, a bare Disruptor hop, a Pekko smallest-mailbox router), and records latency
 * from each task's <em>intended</em> send time in HdrHistogram, so that coordinated omission is corrected.
 *
 * <p>Map of the package:
 * <ul>
 *   <li>{@link dev.ringmaster.bench.harness.LatencySlots}: the preallocated per-task times (one cache line per slot)
 *       and the two Recorders (corrected and naive); what a system calls on completion;</li>
 *   <li>{@link dev.ringmaster.bench.harness.LoadGenerator}: one producer thread's schedule and pacing;</li>
 *   <li>{@link dev.ringmaster.bench.harness.SystemUnderTest} and {@link dev.ringmaster.bench.harness.Systems}: the
 *       six systems, each a small class;</li>
 *   <li>{@link dev.ringmaster.bench.harness.Harness}: one run (a system at a rate), the maximum-rate search, and the
 *       whole suite as a {@link dev.ringmaster.bench.harness.HarnessReport} (tables, ratios, targets);</li>
 *   <li>{@link dev.ringmaster.bench.harness.HgrmFiles} and {@link dev.ringmaster.bench.harness.PercentilePlot}: the
 *       {@code .hgrm}/{@code .hlog} files and the PNG percentile plot.</li>
 * </ul>
 *
 * <p>Nothing here references JMH, so the {@code ringmaster} command line uses the package with JMH excluded.
 */
package dev.ringmaster.bench.harness;
