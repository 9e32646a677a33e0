package dev.ringmaster.tools;

import java.util.Locale;

/**
 * A minimal streaming JSON writer (objects, arrays, strings, numbers, booleans) with correct string escaping, so
 * the CLI needs no JSON library; not thread-safe, one instance builds one document.
 *
 * <p>Commas are inserted automatically; the caller only opens, names and closes. Non-finite doubles become
 * {@code null}, since JSON has no NaN.
 */
public final class Json
{
    private final StringBuilder out = new StringBuilder(4096);
    /** Per nesting level: has the current container got an element yet (decides the comma). */
    private boolean[] hasElement = new boolean[16];
    private int depth;
    private boolean afterName;

    /** Opens an object (as a value, an array element, or the document). @return this. */
    public Json beginObject()
    {
        beforeValue();
        out.append('{');
        push();
        return this;
    }

    /** @return this. */
    public Json endObject()
    {
        depth--;
        out.append('}');
        return this;
    }

    /** Opens an array. @return this. */
    public Json beginArray()
    {
        beforeValue();
        out.append('[');
        push();
        return this;
    }

    /** @return this. */
    public Json endArray()
    {
        depth--;
        out.append(']');
        return this;
    }

    /** Writes a member name; the next call writes its value. @return this. */
    public Json name(final String name)
    {
        beforeValue();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /** @return this. */
    public Json value(final String value)
    {
        beforeValue();
        if (value == null)
        {
            out.append("null");
        }
        else
        {
            string(value);
        }
        return this;
    }

    /** @return this. */
    public Json value(final long value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /** @return this; NaN and infinities are written as {@code null}. */
    public Json value(final double value)
    {
        beforeValue();
        if (Double.isFinite(value))
        {
            // fixed notation with enough digits for ratios and rates; JSON allows no locale-specific separators
            out.append(String.format(Locale.ROOT, "%.6f", value));
        }
        else
        {
            out.append("null");
        }
        return this;
    }

    /** @return this. */
    public Json value(final boolean value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /** Shorthand for {@code name(name).value(value)}. @return this. */
    public Json field(final String name, final String value)
    {
        return name(name).value(value);
    }

    /** @return this. */
    public Json field(final String name, final long value)
    {
        return name(name).value(value);
    }

    /** @return this. */
    public Json field(final String name, final double value)
    {
        return name(name).value(value);
    }

    /** @return this. */
    public Json field(final String name, final boolean value)
    {
        return name(name).value(value);
    }

    /** @return the document written so far. */
    @Override
    public String toString()
    {
        return out.toString();
    }

    /** @return {@code s} as a quoted JSON string literal. */
    public static String quote(final String s)
    {
        final Json json = new Json();
        json.string(s);
        return json.out.toString();
    }

    private void push()
    {
        depth++;
        if (depth >= hasElement.length)
        {
            hasElement = java.util.Arrays.copyOf(hasElement, depth * 2);
        }
        hasElement[depth] = false;
    }

    private void beforeValue()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }
        if (depth > 0)
        {
            if (hasElement[depth])
            {
                out.append(',');
            }
            hasElement[depth] = true;
        }
    }

    private void string(final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default ->
                {
                    // other control characters, and the line separators that break JavaScript embedding
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
