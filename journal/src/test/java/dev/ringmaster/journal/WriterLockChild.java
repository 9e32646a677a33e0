package dev.ringmaster.journal;

import java.nio.file.Path;

/**
 * The other process of {@link WriterLockTest}: with {@code live DIR} prints whether a writer has the journal in DIR
 * open ({@code live true|false}); with {@code open DIR} tries to open it for writing and prints {@code opened} or
 * {@code refused: } and the message; with {@code claim DIR} tries to claim it ({@link WriterClaim}) and prints
 * {@code claimed} or {@code claim refused}; with {@code hold DIR} opens it for writing, prints {@code holding} and
 * keeps it open until its standard input ends. Its own thread only.
 */
public final class WriterLockChild
{
    private WriterLockChild()
    {
    }

    public static void main(final String[] args) throws java.io.IOException
    {
        final Path dir = Path.of(args[1]);
        switch (args[0])
        {
            case "live" -> System.out.println("live " + Journal.isBeingWritten(dir));
            case "open" ->
            {
                try (Journal journal = Journal.open(JournalConfig.at(dir)))
                {
                    System.out.println("opened");
                }
                catch (final RuntimeException e)
                {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            case "claim" ->
            {
                try (WriterClaim claim = WriterClaim.take(dir))
                {
                    System.out.println(claim == null ? "claim refused" : "claimed");
                }
            }
            case "hold" ->
            {
                try (Journal journal = Journal.open(JournalConfig.at(dir)))
                {
                    System.out.println("holding");
                    System.out.flush();
                    while (System.in.read() >= 0)
                    {
                        // until the parent closes the pipe (or kills this process)
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
