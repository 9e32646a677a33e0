package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where serve's admin token comes from, and the token files it refuses. */
class AdminTokensTest
{
    private final CommandLine cli = new CommandLine(new ServeCommand());

    @Test
    void aPrivateTokenFileIsReadAndNamedAsTheSource(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("token");
        Files.writeString(file, "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        final String[] source = new String[1];

        assertThat(AdminTokens.resolve(cli, "ignored", file, source)).isEqualTo("s3cret");
        assertThat(source[0]).isEqualTo("--token-file " + file);
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedWithTheFix(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("token");
        Files.writeString(file, "s3cret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> AdminTokens.resolve(cli, null, file, new String[1]))
            .isInstanceOf(ParameterException.class).hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> AdminTokens.resolve(cli, null, dir.resolve("missing"), new String[1]))
            .isInstanceOf(ParameterException.class).hasMessageContainingAll("missing does not exist", "umask 077");
    }

    @Test
    void withoutAnyTokenOneIsGeneratedAndABlankOneIsRefused()
    {
        final String[] source = new String[1];
        if (System.getenv(AdminTokens.ENV) == null)
        {
            assertThat(AdminTokens.resolve(cli, null, null, source)).hasSize(32);
            assertThat(source[0]).isEmpty();
        }
        assertThatThrownBy(() -> AdminTokens.resolve(cli, " padded ", null, new String[1]))
            .isInstanceOf(ParameterException.class).hasMessageContaining("--token");
    }
}
