package dev.ringmaster.predict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model file survives a power loss: its bytes are all written and forced to disk before it takes the model's name
 * (and the directory is forced after), and a write that fails part way leaves the previous model as it was.
 */
class PredictionModelsDurabilityTest
{
    /** A predictor whose model is the given text, so a test can tell two models apart. */
    private static PatternPredictor model(final String type)
    {
        final PatternPredictor p = new PatternPredictor();
        for (long t = 0; t < 50; t++)
        {
            p.observe(type, "key-" + (t % 5), 0, t * 1_000_000_000L);
        }
        return p;
    }

    @Test
    void theWholeModelIsForcedToDiskBeforeItIsRenamedAndTheDirectoryAfter(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("model.rmp");
        PredictionModels.write(model("old"), 1, file);
        final byte[] old = Files.readAllBytes(file);
        final List<String> steps = new ArrayList<>();
        final PredictionModels.Disk recording = new PredictionModels.Disk()
        {
            @Override
            void force(final FileChannel channel) throws IOException
            {
                // at the force the temp file must already hold the whole new model, and the name the old one
                assertThat(channel.size()).isPositive();
                final Path tmp = dir.resolve("model.rmp.tmp");
                final PatternPredictor check = new PatternPredictor();
                assertThat(PredictionModels.read(tmp, check)).isEqualTo(2);
                assertThat(Files.readAllBytes(file)).isEqualTo(old);
                super.force(channel);
                steps.add("force file");
            }

            @Override
            void forceDirectory(final Path directory) throws IOException
            {
                assertThat(directory).isEqualTo(dir);
                assertThat(PredictionModels.read(file, new PatternPredictor())).isEqualTo(2);
                super.forceDirectory(directory);
                steps.add("force directory");
            }
        };

        PredictionModels.write(model("new"), 2, file, recording);

        assertThat(steps).containsExactly("force file", "force directory");
        final PatternPredictor loaded = new PatternPredictor();
        assertThat(PredictionModels.read(file, loaded)).isEqualTo(2);
        assertThat(loaded.keys()).isEqualTo(model("new").keys());
        assertThat(dir.resolve("model.rmp.tmp")).doesNotExist();
    }

    @Test
    void aWriteThatFailsPartWayLeavesThePreviousModelIntactAndNoTempFile(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("model.rmp");
        PredictionModels.write(model("old"), 1, file);
        final byte[] old = Files.readAllBytes(file);
        final PredictionModels.Disk diskFull = new PredictionModels.Disk()
        {
            @Override
            void write(final FileChannel channel, final ByteBuffer bytes) throws IOException
            {
                // half the model reaches the file, then the disk fills up
                final ByteBuffer half = bytes.duplicate();
                half.limit(half.position() + half.remaining() / 2);
                super.write(channel, half);
                throw new IOException("No space left on device");
            }
        };

        assertThatThrownBy(() -> PredictionModels.write(model("new"), 2, file, diskFull))
            .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");

        assertThat(Files.readAllBytes(file)).isEqualTo(old);
        assertThat(PredictionModels.read(file, new PatternPredictor())).isEqualTo(1);
        assertThat(dir.resolve("model.rmp.tmp")).doesNotExist();
    }

    @Test
    void aFailedForceLeavesThePreviousModelIntact(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("model.rmp");
        PredictionModels.write(model("old"), 1, file);
        final byte[] old = Files.readAllBytes(file);
        final PredictionModels.Disk ioError = new PredictionModels.Disk()
        {
            @Override
            void force(final FileChannel channel) throws IOException
            {
                throw new IOException("Input/output error");
            }
        };

        assertThatThrownBy(() -> PredictionModels.write(model("new"), 2, file, ioError))
            .isInstanceOf(IOException.class).hasMessageContaining("Input/output error");

        assertThat(Files.readAllBytes(file)).isEqualTo(old);
        assertThat(dir.resolve("model.rmp.tmp")).doesNotExist();
    }
}
