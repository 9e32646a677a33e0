package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringmaster.predict.LivePreRouting;
import dev.ringmaster.predict.PatternPredictor;
import dev.ringmaster.predict.PreRouting;
import dev.ringmaster.predict.PredictionLog;
import dev.ringmaster.predict.PredictionModels;
import dev.ringmaster.spi.AgentView;
import dev.ringmaster.spi.DispatchListener;
import dev.ringmaster.spi.TaskView;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's predictive pre-routing ({@code demo --predictive}): the built-in {@code patterns} predictor learning
 * online from the demo's arrivals, on top of the demo's strategy, on a clock scaled to a run of seconds (a 1 s horizon,
 * a 100 ms tick, a recent rate over 2 s), warming the demo's agents ({@link SimulatedAgent#warm}) when contexts cost
 * them something to load; every prediction acted on goes to the demo's journal when there is one, and
 * its hit rate is counted live: a prediction of a (type, key) is a hit if a task of that type and key is accepted
 * within its horizon, a miss if none is, and undecided if its horizon outlasts the run's last acceptance. The log is
 * called on the pre-routing thread and the listener by the routing role's holder (no lock, no allocation per task);
 * {@link #summary} after the run.
 */
final class DemoPredictions implements PredictionLog, DispatchListener
{
    /** How far ahead the demo predicts: its runs last seconds, not the hours a production predictor looks at. */
    static final Duration HORIZON = Duration.ofSeconds(1);
    static final Duration TICK = Duration.ofMillis(100);
    private static final long RECENT_NANOS = Duration.ofSeconds(2).toNanos();

    /** What the run's predictions came to. */
    record Summary(long predicted, long hits, long misses, long warmed, long warmHits, double meanConfidence,
                   long preferred, long held, long faults, long observed, long modelArrivals)
    {
        /** @return predictions whose horizon outlasted the run's arrivals: neither hit nor missed. */
        long open()
        {
            return Math.max(0, predicted - hits - misses);
        }

        /** @return hits over decided predictions (PREDICTED), NaN for none. */
        double hitRate()
        {
            return hits + misses == 0 ? Double.NaN : (double)hits / (hits + misses);
        }
    }

    /** What the demo's agents paid for contexts they did not hold warm. */
    record Contexts(Duration load, long coldLoads, long warmUps)
    {
    }

    /** @return the agents' cold loads and warm-ups, summed. */
    static Contexts contexts(final Duration load, final List<SimulatedAgent> agents)
    {
        long cold = 0;
        long warm = 0;
        for (final SimulatedAgent a : agents)
        {
            cold += a.coldLoads();
            warm += a.warmUps();
        }
        return new Contexts(load, cold, warm);
    }

    /** @return the context line of the demo's text report; {@code completed} for the share of cold attempts. */
    static String describe(final Contexts c, final long completed)
    {
        return String.format(Locale.ROOT, "  context loads of %d ms: %,d attempts loaded their session's context cold "
            + "(%.1f%% of the completed tasks' count), %,d contexts warmed ahead of their tasks", c.load().toMillis(),
            c.coldLoads(), completed == 0 ? 0.0 : 100.0 * c.coldLoads() / completed, c.warmUps());
    }

    /** Writes the context loads as the demo's JSON field {@code contextLoads}. */
    static void writeJson(final JsonGenerator j, final Contexts c) throws IOException
    {
        j.writeObjectFieldStart("contextLoads");
        j.writeNumberField("loadSeconds", c.load().toNanos() / 1e9);
        j.writeNumberField("cold", c.coldLoads());
        j.writeNumberField("warmed", c.warmUps());
        j.writeEndObject();
    }

    private record Pending(boolean warm, long deadlineNanos)
    {
    }

    private final Map<String, Map<String, ConcurrentLinkedQueue<Pending>>> pending = new ConcurrentHashMap<>();
    private final PredictionLog journal;
    private final LivePreRouting live;
    private final AtomicLong predicted = new AtomicLong();
    private final AtomicLong warmed = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong warmHits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong confidenceMillis = new AtomicLong();
    private volatile long lastAcceptedNanos;
    /** Arrivals the learnt model was learnt from, -1 without one. */
    private final long modelArrivals;

    /**
     * @param journal     where to journal the predictions too, or null.
     * @param contextLoad what a cold context costs the demo's agents: a warm agent is preferred if it frees a slot no
     *                    later than that after the strategy's choice, and a task waits at most twice that for one (not
     *                    at all when contexts cost nothing).
     * @param model       a model learnt offline to start from ({@code demo --model}), or null to start from nothing.
     */
    DemoPredictions(final PredictionLog journal, final Duration contextLoad, final Path model)
    {
        this.journal = journal;
        final PreRouting.Settings defaults = PreRouting.Settings.defaults();
        // a learnt model is read by the predictor that learnt it, learn's default; without one, a recent time constant
        // of seconds lets the demo's own arrivals teach it within the run
        this.live = new LivePreRouting(model != null ? new PatternPredictor() :
            new PatternPredictor(Duration.ofHours(1).toNanos(), 24, RECENT_NANOS),
            new PreRouting.Settings(defaults.threshold(), HORIZON.toNanos(), SimulatedAgent.WARM_KEYS,
                defaults.maxAgents(), contextLoad.toNanos(), 2 * contextLoad.toNanos()), TICK, this, null);
        try
        {
            this.modelArrivals = model == null ? -1 : PredictionModels.read(model, live.preRouting().predictor());
        }
        catch (final IOException e)
        {
            // checked before the run (checkModel): a file changed since
            throw new IllegalArgumentException("--model " + e.getMessage(), e);
        }
    }

    LivePreRouting live()
    {
        return live;
    }

    @Override
    public void onPrediction(final Action action, final String type, final String key, final String agentId,
                             final double confidence, final double expected, final long horizonNanos,
                             final long nanos)
    {
        if (key != null)
        {
            final boolean warm = action == Action.WARMED;
            (warm ? warmed : predicted).incrementAndGet();
            if (!warm)
            {
                confidenceMillis.addAndGet(Math.round(confidence * 1000));
            }
            pending.computeIfAbsent(type, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
                .add(new Pending(warm, System.nanoTime() + horizonNanos));
        }
        if (journal != null)
        {
            journal.onPrediction(action, type, key, agentId, confidence, expected, horizonNanos, nanos);
        }
    }

    @Override
    public void onAccepted(final TaskView task, final long nanos)
    {
        lastAcceptedNanos = nanos;
        final Map<String, ConcurrentLinkedQueue<Pending>> ofType = pending.get(task.task().type());
        final String key = task.task().affinityKey();
        final ConcurrentLinkedQueue<Pending> waiting = ofType == null || key == null ? null : ofType.get(key);
        if (waiting == null)
        {
            return;
        }
        Pending p;
        while ((p = waiting.poll()) != null)
        {
            if (nanos <= p.deadlineNanos())
            {
                (p.warm() ? warmHits : hits).incrementAndGet();
            }
            else if (!p.warm())
            {
                misses.incrementAndGet();
            }
        }
    }

    @Override
    public void onAcceptedAndAssigned(final TaskView task, final long acceptedNanos, final AgentView agent,
                                      final String strategy, final double score, final double runnerUp,
                                      final long assignedNanos)
    {
        onAccepted(task, acceptedNanos);
    }

    /** @return the summary's line in the demo's text report. */
    static String describe(final Summary s)
    {
        return String.format(Locale.ROOT, "  predictive (patterns, threshold %.2f, horizon %d ms): %,d predictions, "
            + "hit rate %s (%,d hits, %,d misses, %,d still open when the arrivals ended; mean confidence %.2f), %,d "
            + "warm-ups, %,d tasks sent to a warm or home agent, %,d held for one, %,d faults; %,d arrivals learnt from",
            PreRouting.DEFAULT_THRESHOLD, HORIZON.toMillis(), s.predicted(), Double.isNaN(s.hitRate()) ? "n/a" :
                String.format(Locale.ROOT, "%.1f%%", s.hitRate() * 100), s.hits(), s.misses(), s.open(),
            Double.isNaN(s.meanConfidence()) ? 0.0 : s.meanConfidence(), s.warmed(), s.preferred(), s.held(),
            s.faults(), s.observed()) + (s.modelArrivals() < 0 ? "" : String.format(Locale.ROOT, ", after the %,d " +
                "of the model it started from", s.modelArrivals()));
    }

    /** Writes the summary as the demo's JSON field {@code predictive}. */
    static void writeJson(final JsonGenerator j, final Summary s) throws IOException
    {
        j.writeObjectFieldStart("predictive");
        j.writeStringField("predictor", "patterns");
        j.writeNumberField("threshold", PreRouting.DEFAULT_THRESHOLD);
        j.writeNumberField("horizonSeconds", HORIZON.toMillis() / 1e3);
        j.writeNumberField("predictions", s.predicted());
        j.writeNumberField("hits", s.hits());
        j.writeNumberField("misses", s.misses());
        j.writeNumberField("open", s.open());
        j.writeFieldName("hitRate");
        if (Double.isNaN(s.hitRate()))
        {
            j.writeNull();
        }
        else
        {
            j.writeNumber(s.hitRate());
        }
        j.writeNumberField("meanConfidence", Double.isNaN(s.meanConfidence()) ? 0.0 : s.meanConfidence());
        j.writeNumberField("warmed", s.warmed());
        j.writeNumberField("warmHits", s.warmHits());
        j.writeNumberField("preferred", s.preferred());
        j.writeNumberField("held", s.held());
        j.writeNumberField("faults", s.faults());
        j.writeNumberField("observed", s.observed());
        if (s.modelArrivals() >= 0)
        {
            j.writeNumberField("modelArrivals", s.modelArrivals());
        }
        j.writeEndObject();
    }

    /** @return the run's predictions, after it ended (predictions still open at the last acceptance are undecided). */
    Summary summary()
    {
        long missed = misses.get();
        for (final Map<String, ConcurrentLinkedQueue<Pending>> ofType : pending.values())
        {
            for (final ConcurrentLinkedQueue<Pending> waiting : ofType.values())
            {
                for (final Pending p : waiting)
                {
                    missed += !p.warm() && p.deadlineNanos() < lastAcceptedNanos ? 1 : 0;
                }
            }
        }
        final PreRouting pre = live.preRouting();
        final long n = predicted.get();
        return new Summary(n, hits.get(), missed, warmed.get(), warmHits.get(),
            n == 0 ? Double.NaN : confidenceMillis.get() / 1000.0 / n, pre.preferred(), pre.held(), pre.faults(),
            live.observed(), modelArrivals);
    }

    /**
     * Refuses a --model the demo cannot start from, before anything runs: without --predictive, or a file that is no
     * model of the default predictor's (the error of {@link PredictionModels#read} says which and how to fix it).
     */
    static void checkModel(final picocli.CommandLine cli, final Path model, final boolean predictive)
    {
        if (!predictive)
        {
            throw new picocli.CommandLine.ParameterException(cli, "--model starts predictive pre-routing from a learnt " +
                "model: add --predictive");
        }
        try
        {
            PredictionModels.read(model, new PatternPredictor());
        }
        catch (final IOException e)
        {
            throw new picocli.CommandLine.ParameterException(cli, "--model " + e.getMessage());
        }
    }
}
