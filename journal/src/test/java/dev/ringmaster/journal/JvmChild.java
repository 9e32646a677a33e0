package dev.ringmaster.journal;

import java.nio.file.Path;

/**
 * The process {@link JournalJvmTest} starts with chosen JVM flags: opens a journal in the given directory, writes a
 * marker, closes it, and prints "opened" or the failure's message. Its own thread only.
 */
public final class JvmChild
{
    private JvmChild()
    {
    }

    public static void main(final String[] args)
    {
        try (Journal journal = Journal.open(JournalConfig.at(Path.of(args[0]))))
        {
            journal.recordRecovered(dev.ringmaster.model.Task.builder("coder").id(1).build(), "child");
            System.out.println("opened");
        }
        catch (final JournalException e)
        {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
