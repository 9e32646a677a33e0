package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.ringmaster.tools.DemoCommandTest.json;
import static dev.ringmaster.tools.DemoCommandTest.num;
import static dev.ringmaster.tools.DemoCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo --predictive} runs pre-routing on top of the demo's strategy: its predictions, their hit rate and the
 * tasks it steered show in the report and the JSON, and with a journal {@code replay} finds them again.
 */
class DemoPredictiveTest
{
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void theDemoReportsPredictionsAndTheirHitRate()
    {
        final Path dir = tmp.resolve("journal");
        // pre-routing acts on predictions made every 500 ms of real time: in a JVM warmed by the tests before it,
        // 20,000 tasks were all placed in about a second, before any home was planned (0 steered, in a CI run)
        final DemoCommandTest.Run demo = run("demo", "--tasks", "60000", "--seed", "7", "--predictive", "--json",
            "--context-load", "5ms", "--journal", dir.toString());
        assertThat(demo.exitCode()).as("demo stderr: %s", demo.err()).isZero();
        final Map<String, Object> json = json(demo);
        assertThat(num(json, "lost")).isZero();
        final Map<String, Object> predictive = (Map<String, Object>)json.get("predictive");
        assertThat(predictive).as("the predictive section: %s", json.keySet()).isNotNull();
        assertThat(predictive.get("predictor")).isEqualTo("patterns");
        assertThat(num(predictive, "observed")).as("arrivals learnt from").isGreaterThanOrEqualTo(10_000);
        assertThat(num(predictive, "predictions")).isPositive();
        assertThat(num(predictive, "hits") + num(predictive, "misses")).isPositive()
            .isLessThanOrEqualTo(num(predictive, "predictions"));
        // the demo's session keys are skewed: what was predicted at 0.7 mostly comes
        assertThat(((Number)predictive.get("hitRate")).doubleValue()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(num(predictive, "preferred")).as("tasks steered to a warm or home agent").isPositive();
        assertThat(num(predictive, "faults")).isZero();
        final Map<String, Object> contexts = (Map<String, Object>)json.get("contextLoads");
        // 30% of the demo's tasks have no session; the others load it cold unless their agent holds it warm
        assertThat(num(contexts, "cold")).isPositive().isLessThan(num(json, "completed"));
        // every context an agent warmed is a warm-up pre-routing asked for (asking for a warm one loads nothing)
        assertThat(num(contexts, "warmed")).isLessThanOrEqualTo(num(predictive, "warmed"));

        final DemoCommandTest.Run replay = run("replay", dir.toString());
        assertThat(replay.exitCode()).as("replay stderr: %s", replay.err()).isZero();
        assertThat(replay.out()).contains("PREDICTED");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyArrivalIsLearntAlsoInARunShorterThanThePredictorsDrain()
    {
        // the pre-routing thread takes arrivals every 50 ms: the last ones, of a short run all of them, came after
        // its last turn and were neither learnt nor counted (observed 0 of 5, 122 of 200)
        final DemoCommandTest.Run demo = run("demo", "--tasks", "200", "--seed", "7", "--predictive", "--json");
        assertThat(demo.exitCode()).as("demo stderr: %s", demo.err()).isZero();
        final Map<String, Object> json = json(demo);
        final Map<String, Object> predictive = (Map<String, Object>)json.get("predictive");
        assertThat(num(predictive, "observed")).as("arrivals learnt from").isEqualTo(num(json, "accepted"))
            .isEqualTo(200);
    }

    @Test
    void theTextReportHasAPredictiveLineAndNoContextCostUnlessAsked()
    {
        final DemoCommandTest.Run demo = run("demo", "--tasks", "3000", "--seed", "7", "--predictive");
        assertThat(demo.exitCode()).as("demo stderr: %s", demo.err()).isZero();
        assertThat(demo.out()).containsPattern("predictive \\(patterns, threshold 0\\.70, horizon 1000 ms\\): "
            + "[0-9,]+ predictions, hit rate ").doesNotContain("context loads of");

        final DemoCommandTest.Run plain = run("demo", "--tasks", "3000", "--seed", "7", "--context-load", "1ms",
            "--json");
        assertThat(plain.exitCode()).as("demo stderr: %s", plain.err()).isZero();
        assertThat(json(plain)).containsKey("contextLoads").doesNotContainKey("predictive");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aModelLearntFromAJournalStartsTheDemosPreRouting()
    {
        // a user's trial: learn wrote a model that nothing on the command line could load
        final Path dir = tmp.resolve("learnt-from");
        assertThat(run("demo", "--tasks", "2000", "--seed", "7", "--json", "--journal", dir.toString()).exitCode())
            .isZero();
        final Path model = tmp.resolve("patterns.rmp");
        assertThat(run("learn", dir.toString(), "--out", model.toString()).exitCode()).isZero();

        final DemoCommandTest.Run demo = run("demo", "--tasks", "500", "--seed", "8", "--predictive", "--model",
            model.toString(), "--json");
        assertThat(demo.exitCode()).as("demo stderr: %s", demo.err()).isZero();
        final Map<String, Object> predictive = (Map<String, Object>)json(demo).get("predictive");
        assertThat(num(predictive, "modelArrivals")).isEqualTo(2000);
        assertThat(num(predictive, "observed")).as("and it goes on learning").isEqualTo(500);

        final DemoCommandTest.Run alone = run("demo", "--tasks", "10", "--model", model.toString());
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("--model starts predictive pre-routing from a learnt model: add --predictive");
        final DemoCommandTest.Run missing = run("demo", "--tasks", "10", "--predictive", "--model",
            tmp.resolve("none.rmp").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--model no prediction model at " + tmp.resolve("none.rmp"));
    }

    @Test
    void aJournalRecordedUnderPreRoutingIsWhatIfReplayedAsTheStrategyBeneathAndNotReDerived()
    {
        // a user's trial: "recorded with strategy 'p2c+predictive', which is not installed here; add the plugins
        // directory that holds it" (exit 2), a fix that does not exist
        final Path dir = tmp.resolve("under-pre-routing");
        assertThat(run("demo", "--tasks", "1500", "--seed", "7", "--strategy", "p2c", "--predictive", "--json",
            "--journal", dir.toString()).exitCode()).isZero();

        final DemoCommandTest.Run whatIf = run("replay", dir.toString(), "--what-if", "least-connections");
        assertThat(whatIf.exitCode()).as("stderr: %s", whatIf.err()).isZero();
        assertThat(whatIf.err()).contains("note: the journal was recorded with predictive pre-routing on top of p2c");
        assertThat(whatIf.out()).contains("p2c (recorded)", "least-connections");

        final DemoCommandTest.Run explain = run("audit", dir.toString(), "5", "--explain");
        assertThat(explain.exitCode()).as("stderr: %s", explain.err()).isZero();
        assertThat(explain.out() + explain.err()).contains("recorded under predictive pre-routing ('p2c+predictive')",
            "cannot be re-derived").doesNotContain("give the plugins directory");
    }
}
