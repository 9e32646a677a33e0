/**
 * The scheduling-quality simulator: a discrete-event simulation in virtual nanoseconds (an event queue, no threads,
 * no sleeping) that runs the real {@link dev.ringmaster.spi.RoutingStrategy} classes, found by name through
 * {@link dev.ringmaster.routing.RoutingStrategies}, against seeded fleets and workloads, and reports sojourn times,
 * makespan against its lower bound, the Gini coefficient of work and of busy time (work / speed) per agent and the
 * context waste ratio, leaving the first 10% of the tasks by arrival out as a warm-up.
 *
 * <p>Map of the package:
 * <ul>
 *   <li>{@link dev.ringmaster.bench.sim.Scenario}: the named fleets and workloads (homogeneous, speeds 1:2:4:8,
 *       skill-mixed, bursty, Pareto, sessions, supermarket), each at a load, with
 *       {@link dev.ringmaster.bench.sim.SimSettings} overriding agents, capacity, prefetch, binding, stealing, bursts
 *       and work;</li>
 *   <li>{@link dev.ringmaster.bench.sim.SimFleet} and {@link dev.ringmaster.bench.sim.SimWorkload}: what is simulated,
 *       plain immutable data; {@link dev.ringmaster.bench.sim.StreamedWorkload} draws the tasks as a run goes instead
 *       (runs above {@link dev.ringmaster.bench.sim.SimulationSuite#STREAM_ABOVE} tasks), and both are a
 *       {@link dev.ringmaster.bench.sim.TaskSource}, which may start with the fleet's exact steady state
 *       ({@link dev.ringmaster.bench.sim.StationaryStart}: random routing on the supermarket model);</li>
 *   <li>{@link dev.ringmaster.bench.sim.Simulator}: the dispatcher's semantics on virtual time (central queue per
 *       priority, late or early binding, set-aside tasks, inboxes, work stealing), with {@link dev.ringmaster.bench.sim.SimAgent},
 *       {@code SimCandidates} and {@code SimTask} as the views a strategy reads;</li>
 *   <li>{@link dev.ringmaster.bench.sim.References}: what the strategies are compared with, each named for what it
 *       is: the {@link dev.ringmaster.bench.sim.ClairvoyantBaseline} (a heuristic that knows every duration), a lower
 *       bound, and queueing theory where it applies;</li>
 *   <li>{@link dev.ringmaster.bench.sim.SimulationSuite} and {@link dev.ringmaster.bench.sim.QualityTable}: every
 *       strategy on every scenario and load, as one table that is byte-identical for the same seed;</li>
 *   <li>{@link dev.ringmaster.bench.sim.ErlangC}: the M/M/c theory the simulator is validated against (and
 *       Mitzenmacher's supermarket values, in {@code References}).</li>
 * </ul>
 *
 * <p>Nothing here references JMH, so the {@code ringmaster simulate} command can use this package with JMH excluded.
 */
package dev.ringmaster.bench.sim;
