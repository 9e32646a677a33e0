package dev.ringmaster.predict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The built-in predictor learns what a user would expect it to: a job that comes at the same hour every day, what
 * follows a deployment, the next review of a module; and its model survives a round trip through a file.
 */
class PatternPredictorTest
{
    private static final long HOUR = Duration.ofHours(1).toNanos();
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private static final long HORIZON = Duration.ofMinutes(2).toNanos();

    /** Three days: random background work all day, and the nightly backups at 02:00 for the first 20 minutes. */
    private static PatternPredictor learnThreeDays(final long seed)
    {
        final PatternPredictor p = new PatternPredictor();
        final SplittableRandom random = new SplittableRandom(seed);
        for (long t = 0; t < 3 * 24 * HOUR; t += MINUTE / 2)
        {
            final long hour = (t / HOUR) % 24;
            if (hour == 2 && t % HOUR < 20 * MINUTE)
            {
                p.observe("ops", "backup", 0, t);
            }
            else
            {
                p.observe("coder", "repo-" + random.nextInt(40), 0, t);
            }
        }
        return p;
    }

    private static double confidence(final Predictor p, final long now, final String type, final String key)
    {
        final Predictions out = new Predictions();
        p.predict(now, HORIZON, out);
        final int i = out.indexOf(type, key);
        return i < 0 ? 0 : out.confidence(i);
    }

    @Test
    void aDailyJobIsPredictedAtItsHourAboveTheThresholdAndNotAtOthers()
    {
        final PatternPredictor p = learnThreeDays(7);
        final long day4 = 3 * 24 * HOUR;

        // hours since the last backup: nothing recent, only the time of day can tell
        assertThat(confidence(p, day4 + 2 * HOUR + MINUTE, "ops", "backup")).isGreaterThan(0.7);
        assertThat(confidence(p, day4 + 14 * HOUR, "ops", "backup")).isLessThan(0.1);
        // each of 40 repositories seen all day comes about once in 20 minutes: reported, every one below the threshold
        final Predictions afternoon = new Predictions();
        p.predict(day4 + 14 * HOUR, HORIZON, afternoon);
        assertThat(afternoon.size()).isGreaterThan(10);
        for (int i = 0; i < afternoon.size(); i++)
        {
            assertThat(afternoon.type(i)).isEqualTo("coder");
            assertThat(afternoon.confidence(i)).isGreaterThanOrEqualTo(0.05).isLessThan(0.7);
        }
    }

    @Test
    void afterADeploymentComeItsChecksAndAfterFiveReviewsOfAModuleTheSixth()
    {
        final PatternPredictor p = new PatternPredictor();
        final SplittableRandom random = new SplittableRandom(3);
        long t = 0;
        for (int i = 0; i < 30; i++)
        {
            p.observe("deployer", "svc-" + random.nextInt(1000), 0, t += 10 * MINUTE);
            p.observe("monitor", "post-deploy", 0, t += 5_000_000_000L);
            for (int r = 0; r < 6; r++)
            {
                p.observe("reviewer", "module-" + (i % 3), 0, t += 2_000_000_000L);
            }
        }
        p.observe("deployer", "svc-new", 0, t += 10 * MINUTE);

        final Predictions out = new Predictions();
        p.predict(t + 1_000_000_000L, HORIZON, out);
        final int check = out.indexOf("monitor", "post-deploy");
        assertThat(check).isNotNegative();
        assertThat(out.confidence(check)).isGreaterThan(0.7);
        assertThat(out.basis(check)).isEqualTo(Predictions.Basis.TRANSITION);

        for (int r = 0; r < 5; r++)
        {
            p.observe("reviewer", "module-1", 0, t += 2_000_000_000L);
        }
        out.clear();
        p.predict(t + 1_000_000_000L, HORIZON, out);
        assertThat(out.confidence(out.indexOf("reviewer", "module-1"))).isGreaterThan(0.7);
    }

    @Test
    void aModelRoundTripsThroughAFile(@TempDir final Path dir) throws IOException
    {
        final PatternPredictor learnt = learnThreeDays(11);
        final Path file = dir.resolve("model.rmp");
        PredictionModels.write(learnt, 4321, file);
        final PatternPredictor loaded = new PatternPredictor();

        assertThat(PredictionModels.read(file, loaded)).isEqualTo(4321);
        assertThat(loaded.keys()).isEqualTo(learnt.keys());
        final long day4 = 3 * 24 * HOUR;
        assertThat(confidence(loaded, day4 + 2 * HOUR + MINUTE, "ops", "backup")).isGreaterThan(0.7);
        for (final long at : new long[] {day4 + 26 * HOUR + MINUTE, day4 + 38 * HOUR})
        {
            // hours after the last arrival: the learnt one's recent rates have faded, the daily pattern decides both
            assertThat(confidence(loaded, at, "ops", "backup"))
                .isCloseTo(confidence(learnt, at, "ops", "backup"), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void aBadModelFileIsRefusedSayingWhatIsWrongAndHowToGetAGoodOne(@TempDir final Path dir) throws IOException
    {
        final Path notAModel = Files.writeString(dir.resolve("notes.txt"), "hello, this is not a model");
        assertThatThrownBy(() -> PredictionModels.read(notAModel, new PatternPredictor()))
            .isInstanceOf(ModelFormatException.class)
            .hasMessageContaining("is not a Ringmaster prediction model")
            .hasMessageContaining("ringmaster learn");

        final Path good = dir.resolve("good.rmp");
        PredictionModels.write(learnThreeDays(1), 1, good);
        final byte[] bytes = Files.readAllBytes(good);

        final Path cut = Files.write(dir.resolve("cut.rmp"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> PredictionModels.read(cut, new PatternPredictor()))
            .isInstanceOf(ModelFormatException.class).hasMessageContaining("cut short");

        final byte[] newer = bytes.clone();
        newer[11] = 9; // format version 9
        final Path future = Files.write(dir.resolve("future.rmp"), newer);
        assertThatThrownBy(() -> PredictionModels.read(future, new PatternPredictor()))
            .isInstanceOf(ModelFormatException.class).hasMessageContaining("version 9").hasMessageContaining("newer");

        final byte[] flipped = bytes.clone();
        flipped[bytes.length - 10] ^= 0x55;
        final Path damaged = Files.write(dir.resolve("damaged.rmp"), flipped);
        assertThatThrownBy(() -> PredictionModels.read(damaged, new PatternPredictor()))
            .isInstanceOf(ModelFormatException.class).hasMessageContaining("checksum");

        assertThatThrownBy(() -> PredictionModels.read(good, new PatternPredictor(HOUR, 12, MINUTE)))
            .isInstanceOf(ModelFormatException.class).hasMessageContaining("learn it again with the same settings");

        assertThatThrownBy(() -> PredictionModels.read(dir.resolve("missing.rmp"), new PatternPredictor()))
            .isInstanceOf(ModelFormatException.class).hasMessageContaining("no prediction model at");
    }

    @Test
    void thePredictorIsFoundByNameThroughTheServiceLoader()
    {
        assertThat(Predictors.create("patterns", getClass().getClassLoader())).isInstanceOf(PatternPredictor.class);
        assertThatThrownBy(() -> Predictors.create("oracle", getClass().getClassLoader()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown predictor 'oracle'")
            .hasMessageContaining("patterns");
    }
}
