package dev.ringmaster.tools;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Where each key of a serve config file is, by line, for messages that point at it, read from the YAML or JSON token
 * stream; stateless, any thread.
 */
final class ConfigLines
{
    private ConfigLines()
    {
    }

    /**
     * Records the line of every key by its dotted path (list items as [i]), for the messages, and refuses a key given
     * twice in one map: the tree keeps the last one silently, so {@code agents: 1} then {@code agents: 3} would serve 3
     * agents with no word about the 1.
     */
    static void index(final JsonParser p, final Map<String, Integer> lines, final Path file)
        throws IOException, ConfigProblem
    {
        final Deque<String> path = new ArrayDeque<>();
        final Deque<int[]> arrays = new ArrayDeque<>(); // the next index of each open list, or -1 for a map
        JsonToken t;
        while ((t = p.nextToken()) != null)
        {
            switch (t)
            {
                case FIELD_NAME ->
                {
                    final String parent = String.join(".", path).replace(".[", "[");
                    path.addLast(p.currentName());
                    final String key = String.join(".", path).replace(".[", "[");
                    final int line = p.currentLocation().getLineNr();
                    final Integer first = lines.putIfAbsent(key, line);
                    if (first != null)
                    {
                        throw new ConfigProblem(file + " line " + line + ", key '" + key + "': duplicate key '" +
                            p.currentName() + "' " + (parent.isEmpty() ? "at the top level" : "under " + parent) +
                            " (first at line " + first + "); keep one, the file is read as a whole and a second " +
                            "value would silently replace the first");
                    }
                }
                case START_OBJECT, START_ARRAY ->
                {
                    if (!arrays.isEmpty() && arrays.peekLast()[0] >= 0)
                    {
                        path.addLast("[" + arrays.peekLast()[0]++ + "]");
                    }
                    arrays.addLast(new int[]{t == JsonToken.START_ARRAY ? 0 : -1});
                }
                case END_OBJECT, END_ARRAY ->
                {
                    arrays.pollLast();
                    popValue(path, arrays);
                }
                default ->
                {
                    if (!arrays.isEmpty() && arrays.peekLast()[0] >= 0)
                    {
                        arrays.peekLast()[0]++;
                    }
                    else
                    {
                        popValue(path, arrays);
                    }
                }
            }
        }
    }

    /** A value ended: drop its key (in a map) or its index (in a list). */
    private static void popValue(final Deque<String> path, final Deque<int[]> arrays)
    {
        if (!path.isEmpty() && (arrays.isEmpty() || arrays.peekLast()[0] < 0 || path.peekLast().startsWith("[")))
        {
            path.pollLast();
        }
    }
}
