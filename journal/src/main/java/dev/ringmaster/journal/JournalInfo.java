package dev.ringmaster.journal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a journal says about itself, kept beside its cycle files in {@value #FILE_NAME}: which payload codec wrote its
 * payloads, so that a reader decodes them with the same one; static helpers, safe from any thread (the file is
 * written once, when a journal is first opened for writing).
 */
public final class JournalInfo
{
    /** The file's name in the journal directory; Chronicle Queue and retention ignore it (not a *.cq4 file). */
    public static final String FILE_NAME = "ringmaster-journal.properties";
    private static final String CODEC_KEY = "payloadCodec";

    private JournalInfo()
    {
    }

    /**
     * @return the name of the payload codec that wrote the journal in {@code directory}, or null if it does not say
     *     (a journal written before codecs were recorded).
     * @throws JournalException if the file exists but cannot be read.
     */
    public static String payloadCodec(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(in);
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new JournalException("cannot read " + file + " (" + e.getMessage() + "): restore it, or delete it to " +
                "read the journal without knowing its payload codec", e);
        }
        return p.getProperty(CODEC_KEY);
    }

    /**
     * Records {@code codec} for a journal about to be written, or checks that it is the one already recorded.
     *
     * @throws JournalException if the journal was written with another codec: its payloads would not decode.
     */
    static void recordOrCheck(final Path directory, final PayloadCodec codec)
    {
        final String recorded = payloadCodec(directory);
        if (recorded == null)
        {
            final Properties p = new Properties();
            p.setProperty(CODEC_KEY, codec.name());
            try (Writer out = Files.newBufferedWriter(directory.resolve(FILE_NAME), StandardCharsets.UTF_8))
            {
                p.store(out, "written by ringmaster-journal; do not edit");
            }
            catch (final IOException e)
            {
                throw new JournalException("cannot write " + directory.resolve(FILE_NAME) + ": " + e.getMessage(), e);
            }
        }
        else
        {
            requireCodec(directory, recorded, codec);
        }
    }

    /** @throws JournalException if {@code recorded} (may be null: unknown, accepted) is not {@code codec}'s name. */
    static void requireCodec(final Path directory, final String recorded, final PayloadCodec codec)
    {
        if (recorded != null && !recorded.equals(codec.name()))
        {
            throw new JournalException("the journal in " + directory + " was written with payload codec '" + recorded +
                "', not '" + codec.name() + "': open it with the codec that wrote it (a journal of 'ringmaster demo': " +
                "'ringmaster recover " + directory + "', which picks the codec itself; one of 'ringmaster serve --config " +
                "FILE': 'ringmaster serve --config FILE --journal " + directory + "' with the same file; an " +
                "application's: recover it in that application), or use a new directory for a journal of this codec");
        }
    }
}
