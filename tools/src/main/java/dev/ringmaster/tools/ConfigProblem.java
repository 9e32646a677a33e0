package dev.ringmaster.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A file that cannot be served, with where and why; immutable. */
final class ConfigProblem extends Exception
{
    private static final long serialVersionUID = 1L;
    /** The file's line the problem is on, for the order of several; {@link Integer#MAX_VALUE} when unknown. */
    final int line;

    ConfigProblem(final String message)
    {
        this(message, Integer.MAX_VALUE);
    }

    ConfigProblem(final String message, final int line)
    {
        super(message, null, false, false);
        this.line = line;
    }

    /**
     * @return one problem naming every one found, in the file's order: a file with several mistakes used to be
     *     refused for its first one alone, one start at a time, and not always the first in the file.
     */
    static ConfigProblem of(final Path file, final List<ConfigProblem> found)
    {
        if (found.size() == 1)
        {
            return found.get(0);
        }
        final List<ConfigProblem> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparingInt(p -> p.line)); // stable: the same line keeps check order
        final StringBuilder message = new StringBuilder(file + " has " + ordered.size() + " problems, in file order:");
        ordered.forEach(p -> message.append("\n  ").append(p.getMessage()));
        return new ConfigProblem(message.toString(), ordered.get(0).line);
    }
}
