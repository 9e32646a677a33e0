/**
 * Predictive pre-routing: a {@link dev.ringmaster.predict.Predictor} learns from a journal (offline) and from the live
 * stream of arrivals (online) which agent types and context keys are coming, and {@link dev.ringmaster.predict.PreRouting}
 * acts on the predictions above a confidence threshold: it warms an idle agent's context for a predicted key, makes
 * the routing prefer warm agents for tasks of predicted keys ({@link dev.ringmaster.predict.PredictiveStrategy}), and
 * tells a {@link dev.ringmaster.predict.CapacityHint} (the autoscaler) of a predicted burst; every action goes to a
 * {@link dev.ringmaster.predict.PredictionLog} (the journal), so that its hit rate can be replayed. The same classes
 * run in the dispatcher ({@link dev.ringmaster.predict.LivePreRouting}) and in the simulator.
 */
package dev.ringmaster.predict;
