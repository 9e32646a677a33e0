package dev.ringmaster.journal;

import dev.ringmaster.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The walk of a cycle file's header: a healthy header is sound, damage inside it is found, and no damage makes it fail. */
class HeaderStructureTest
{
    @TempDir
    Path dir;

    @Test
    void aHealthyHeaderIsSoundAndZerosInsideItAreFoundWhereTheyStart() throws Exception
    {
        final byte[] head = header();
        final int end = end(head);
        assertThat(HeaderStructure.brokenAt(head, Integer.BYTES, end)).isEqualTo(HeaderStructure.SOUND);

        // the indexing field's name onwards, the header's last 16 bytes intact
        java.util.Arrays.fill(head, 0x50, 0x90, (byte)0);
        assertThat(end - 16).isGreaterThan(0x90);
        assertThat(HeaderStructure.brokenAt(head, Integer.BYTES, end)).isEqualTo(0x50);
    }

    @Test
    void noDamageMakesTheWalkFailAndNoneReadsPastTheHeader() throws Exception
    {
        final byte[] healthy = header();
        final int end = end(healthy);
        final Random random = new Random(42);
        int found = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] head = healthy.clone();
            final int at = Integer.BYTES + random.nextInt(end - Integer.BYTES);
            final int length = 1 + random.nextInt(Math.min(24, end - at));
            for (int j = at; j < at + length; j++)
            {
                head[j] = random.nextInt(3) == 0 ? 0 : (byte)random.nextInt(256);
            }
            final int broken = HeaderStructure.brokenAt(head, Integer.BYTES, end);
            assertThat(broken).isBetween(HeaderStructure.SOUND, end);
            found += broken == HeaderStructure.SOUND ? 0 : 1;
        }
        assertThat(found).as("most damage breaks the structure").isGreaterThan(10_000);
    }

    private byte[] header() throws Exception
    {
        try (Journal journal = Journal.open(JournalConfig.at(dir)))
        {
            journal.recordRecovered(Task.builder("coder").id(1).payload("p").build(), "a record to have a cycle file");
        }
        try (Stream<Path> s = Files.list(dir))
        {
            final Path cycle = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
            try (java.io.InputStream in = Files.newInputStream(cycle))
            {
                return in.readNBytes(4096);
            }
        }
    }

    private static int end(final byte[] head)
    {
        return Integer.BYTES + (ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x3fff_ffff);
    }
}
