package dev.ringmaster.tools;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where {@code serve} takes its admin token from: {@code --token-file}, {@code --token}, {@code $RINGMASTER_ADMIN_TOKEN},
 * else a random one; stateless, any thread.
 */
final class AdminTokens
{
    static final String ENV = "RINGMASTER_ADMIN_TOKEN";

    private AdminTokens()
    {
    }

    /**
     * @param source receives where the token came from ("--token-file F", "--token", "$RINGMASTER_ADMIN_TOKEN"), or
     *               "" when it was generated.
     * @return the token.
     * @throws ParameterException for a blank or padded token, or a token file that is missing or readable by others.
     */
    static String resolve(final CommandLine cli, final String token, final Path file, final String[] source)
    {
        final String chosen;
        if (file != null)
        {
            chosen = read(cli, file);
            source[0] = "--token-file " + file;
        }
        else if (token != null)
        {
            chosen = token;
            source[0] = "--token";
        }
        else if (System.getenv(ENV) != null && !System.getenv(ENV).isEmpty())
        {
            chosen = System.getenv(ENV);
            source[0] = "$" + ENV;
        }
        else
        {
            final byte[] bytes = new byte[16];
            new SecureRandom().nextBytes(bytes);
            source[0] = "";
            return HexFormat.of().formatHex(bytes);
        }
        if (chosen.isBlank() || !chosen.equals(chosen.strip()))
        {
            throw new ParameterException(cli, "the admin token from " + source[0] +
                " must be non-blank without surrounding spaces");
        }
        return chosen;
    }

    /** @return the token in the file, which must exist and be private to its owner; for serve and admin. */
    static String read(final CommandLine cli, final Path file)
    {
        try
        {
            try
            {
                final Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ))
                {
                    throw new ParameterException(cli, "--token-file " + file + " can be read by other users; make it " +
                        "private with 'chmod 600 " + file + "'");
                }
            }
            catch (final UnsupportedOperationException notPosix)
            {
                // not a POSIX file system: nothing to check against
            }
            return Files.readString(file).strip();
        }
        catch (final NoSuchFileException e)
        {
            throw new ParameterException(cli, "--token-file " + file + " does not exist; write the token into a file " +
                "only you can read: umask 077; openssl rand -hex 16 > " + file);
        }
        catch (final IOException e)
        {
            throw new ParameterException(cli, "--token-file " + file + " cannot be read (" + e.getMessage() +
                "); write the token into a file only you can read: umask 077; openssl rand -hex 16 > FILE");
        }
    }
}
