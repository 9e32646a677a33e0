package dev.ringmaster.predict;

import dev.ringmaster.plugin.ServiceProviders;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads and writes prediction model files; stateless, usable from any thread (a predictor itself is not).
 *
 * <p>Layout, big-endian ({@link DataOutputStream}):
 * <pre>
 *   magic          8 bytes  "RMPMODEL"
 *   format version int32    {@value #FORMAT_VERSION}
 *   predictor      UTF      the predictor's name, e.g. "patterns"
 *   arrivals       int64    how many arrivals the model learned from
 *   payload length int32
 *   payload        bytes    the predictor's own {@link Predictor#writeModel} (it versions its part itself)
 *   checksum       int32    CRC32C of the payload
 * </pre>
 * A file that is not a model, has a newer format, belongs to another predictor, is cut short or fails its checksum
 * is refused with a {@link ModelFormatException} that says which and how to get a good one.
 */
public final class PredictionModels
{
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "RMPMODEL".getBytes(StandardCharsets.US_ASCII);
    private static final String RELEARN = "; make one with: ringmaster learn JOURNAL_DIR --out MODEL";

    private PredictionModels()
    {
    }

    /** @return the predictor's name, class and where it was loaded from (a plugin's jar), for a message. */
    public static String describe(final Predictor predictor)
    {
        return "the predictor '" + predictor.name() + "' (" + predictor.getClass().getName() + " from " +
            ServiceProviders.origin(predictor.getClass()) + ")";
    }

    /**
     * Writes the predictor's model to the file (replacing it), noting how many arrivals it learned from.
     *
     * <p>The bytes go to a temp file beside it, are forced to disk, and only then take the file's name (and the
     * directory is forced, where the platform allows it): after a crash or power loss the file holds either the
     * previous model or the whole new one, never an empty or partial one. A write that fails leaves the previous
     * model as it was and removes the temp file.
     *
     * @throws IOException if the file cannot be written.
     * @throws IllegalStateException if the predictor's own writeModel fails, naming it and its jar.
     */
    public static void write(final Predictor predictor, final long arrivals, final Path file) throws IOException
    {
        write(predictor, arrivals, file, Disk.REAL);
    }

    static void write(final Predictor predictor, final long arrivals, final Path file, final Disk disk)
        throws IOException
    {
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream p = new DataOutputStream(payload))
        {
            predictor.writeModel(p);
        }
        catch (final IOException | RuntimeException | Error e)
        {
            // into memory, so no disk is involved: the plugin failed, and the fix is in it, not in the file's permissions
            throw new IllegalStateException(describe(predictor) + " failed to write its model: " + e + "; fix its " +
                "writeModel(DataOutput) and rebuild " + ServiceProviders.origin(predictor.getClass()), e);
        }
        final byte[] bytes = payload.toByteArray();
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        // the whole file is assembled in memory first, so what is forced is everything, not what a stream had flushed
        final ByteArrayOutputStream whole = new ByteArrayOutputStream(bytes.length + 64);
        try (DataOutputStream out = new DataOutputStream(whole))
        {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(predictor.name());
            out.writeLong(arrivals);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.writeInt((int)crc.getValue());
        }
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                disk.write(channel, ByteBuffer.wrap(whole.toByteArray()));
                // without this a rename can reach the disk before the data: a power loss leaves an empty model
                disk.force(channel);
            }
            move(tmp, file);
        }
        catch (final IOException | RuntimeException e)
        {
            try
            {
                Files.deleteIfExists(tmp);
            }
            catch (final IOException suppressed)
            {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        final Path directory = file.toAbsolutePath().getParent();
        if (directory != null)
        {
            // makes the rename itself durable; the model is complete under either name without it
            disk.forceDirectory(directory);
        }
    }

    private static void move(final Path tmp, final Path file) throws IOException
    {
        try
        {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException e)
        {
            // a file system without atomic rename (rare for a sibling): the plain replace is the best it offers
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * How a model's bytes reach the disk; stateless, usable from any thread. A seam so a test can fail a write or a
     * force part way through without relying on timing.
     */
    static class Disk
    {
        static final Disk REAL = new Disk();

        void write(final FileChannel channel, final ByteBuffer bytes) throws IOException
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
        }

        void force(final FileChannel channel) throws IOException
        {
            channel.force(true);
        }

        void forceDirectory(final Path directory) throws IOException
        {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
            {
                channel.force(true);
            }
            catch (final IOException e)
            {
                // some platforms (Windows) cannot open or force a directory; the file itself is already durable
            }
        }
    }

    /**
     * Loads a model file into the predictor (which must have the name the file was written by).
     *
     * @return how many arrivals the model learned from.
     * @throws ModelFormatException naming the file, the problem and the fix.
     */
    public static long read(final Path file, final Predictor predictor) throws IOException
    {
        final byte[] all;
        try
        {
            all = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException e)
        {
            throw new ModelFormatException("no prediction model at " + file + RELEARN);
        }
        try (InputStream raw = new ByteArrayInputStream(all); DataInputStream in = new DataInputStream(raw))
        {
            final byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC))
            {
                throw new ModelFormatException(file + " is not a Ringmaster prediction model (it does not start with " +
                    "RMPMODEL)" + RELEARN);
            }
            final int version = in.readInt();
            if (version != FORMAT_VERSION)
            {
                throw new ModelFormatException(file + " has model format version " + version + "; this ringmaster " +
                    "reads version " + FORMAT_VERSION + (version > FORMAT_VERSION ? " (the file is newer: use the " +
                    "ringmaster that wrote it, or learn it again with this one)" : RELEARN));
            }
            final String name = in.readUTF();
            if (!name.equals(predictor.name()))
            {
                throw new ModelFormatException(file + " was learned by predictor '" + name + "', not '" +
                    predictor.name() + "': select predictor '" + name + "' or learn the model again with '" +
                    predictor.name() + "'");
            }
            final long arrivals = in.readLong();
            final int length = in.readInt();
            if (length < 0 || length > all.length)
            {
                throw new ModelFormatException(file + " is cut short or damaged (a payload of " + length +
                    " bytes in a file of " + all.length + " bytes)" + RELEARN);
            }
            final byte[] payload = new byte[length];
            in.readFully(payload);
            final int stored = in.readInt();
            final CRC32C crc = new CRC32C();
            crc.update(payload);
            if (stored != (int)crc.getValue())
            {
                throw new ModelFormatException(file + " is damaged (checksum mismatch)" + RELEARN);
            }
            try (DataInputStream p = new DataInputStream(new ByteArrayInputStream(payload)))
            {
                predictor.readModel(p);
            }
            return arrivals;
        }
        catch (final EOFException e)
        {
            throw new ModelFormatException(file + " is cut short (" + all.length + " bytes)" + RELEARN);
        }
        catch (final ModelFormatException e)
        {
            if (e.getMessage().contains(file.toString()))
            {
                throw e;
            }
            throw new ModelFormatException(file + ": " + e.getMessage());
        }
    }
}
