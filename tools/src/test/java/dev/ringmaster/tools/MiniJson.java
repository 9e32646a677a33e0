package dev.ringmaster.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser for the tests (objects to LinkedHashMap, arrays to List, numbers to Double or Long),
 * so that "--json prints parseable JSON" is checked by parsing, not by pattern matching; not thread-safe.
 */
final class MiniJson
{
    private final String s;
    private int i;

    private MiniJson(final String s)
    {
        this.s = s;
    }

    /** @return the parsed document; throws IllegalArgumentException with the offset on any syntax error. */
    static Object parse(final String text)
    {
        final MiniJson p = new MiniJson(text);
        p.ws();
        final Object value = p.value();
        p.ws();
        if (p.i != text.length())
        {
            throw p.error("trailing characters");
        }
        return value;
    }

    private Object value()
    {
        if (i >= s.length())
        {
            throw error("unexpected end");
        }
        final char c = s.charAt(i);
        return switch (c)
        {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        i++;
        ws();
        if (peek() == '}')
        {
            i++;
            return map;
        }
        while (true)
        {
            ws();
            final String key = string();
            ws();
            expect(':');
            ws();
            if (map.put(key, value()) != null)
            {
                throw error("duplicate key " + key);
            }
            ws();
            if (peek() == ',')
            {
                i++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        i++;
        ws();
        if (peek() == ']')
        {
            i++;
            return list;
        }
        while (true)
        {
            ws();
            list.add(value());
            ws();
            if (peek() == ',')
            {
                i++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (i >= s.length())
            {
                throw error("unterminated string");
            }
            final char c = s.charAt(i++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("raw control character in string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = s.charAt(i++);
            switch (e)
            {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' ->
                {
                    sb.append((char)Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number()
    {
        final int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
        {
            i++;
        }
        final String text = s.substring(start, i);
        if (!text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))
        {
            throw error("bad number '" + text + "'");
        }
        return text.contains(".") || text.contains("e") || text.contains("E") ? (Object)Double.parseDouble(text) :
            (Object)Long.parseLong(text);
    }

    private Object literal(final String word, final Object value)
    {
        if (!s.startsWith(word, i))
        {
            throw error("expected " + word);
        }
        i += word.length();
        return value;
    }

    private char peek()
    {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private void ws()
    {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0)
        {
            i++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at offset " + i + " of: " +
            s.substring(Math.max(0, i - 40), Math.min(s.length(), i + 40)));
    }
}
