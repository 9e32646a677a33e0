package dev.ringmaster.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Prints a dispatcher's routing state by reflection (its lanes, agents, routing role and router counters), for a test
 * that timed out to say what was stuck; diagnostics only, never asserted on. Call it from the test's thread.
 */
public final class InternalsDump
{
    private InternalsDump()
    {
    }

    /** @return the primitive fields of the engine's router, role, lanes and agents, one object per line. */
    public static String of(final Object dispatcher)
    {
        final StringBuilder out = new StringBuilder();
        try
        {
            final Object engine = field(dispatcher, "engine");
            final Object router = field(engine, "router");
            line(out, "role", field(engine, "role"));
            line(out, "router", router);
            for (final String name : new String[] {"lanes", "agents"})
            {
                final Object array = field(router, name);
                for (int i = 0; i < Array.getLength(array); i++)
                {
                    final Object element = Array.get(array, i);
                    line(out, name + "[" + i + "]", element);
                    final Object inbox = name.equals("agents") ? field(element, "inbox") : null;
                    if (inbox != null)
                    {
                        out.append("    inbox size ").append(field(inbox, "size")).append('\n');
                    }
                }
            }
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            out.append("(dump failed: ").append(e).append(")\n");
        }
        return out.toString();
    }

    private static void line(final StringBuilder out, final String label, final Object o) throws IllegalAccessException
    {
        out.append(label).append(':');
        final Map<Field, Boolean> seen = new IdentityHashMap<>();
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass())
        {
            for (final Field f : c.getDeclaredFields())
            {
                if (Modifier.isStatic(f.getModifiers()) || seen.put(f, Boolean.TRUE) != null)
                {
                    continue;
                }
                f.setAccessible(true);
                final Object v = f.get(o);
                if (f.getType().isPrimitive() || v instanceof Number || v instanceof String ||
                    v instanceof java.util.concurrent.atomic.AtomicLong || v instanceof java.util.concurrent.atomic.AtomicInteger)
                {
                    out.append(' ').append(f.getName()).append('=').append(v);
                }
                else if (v instanceof int[] ints)
                {
                    out.append(' ').append(f.getName()).append('=').append(java.util.Arrays.toString(ints));
                }
                else if (v != null && v.getClass().getName().startsWith("org.jctools.queues"))
                {
                    out.append(' ').append(f.getName()).append(".size=").append(((java.util.Queue<?>)v).size());
                }
                else if (v instanceof Object[] arr && arr.getClass().getComponentType().getName().startsWith("org.jctools"))
                {
                    final StringBuilder sizes = new StringBuilder();
                    for (final Object q : arr)
                    {
                        sizes.append(q == null ? "-" : String.valueOf(((java.util.Queue<?>)q).size())).append(' ');
                    }
                    out.append(' ').append(f.getName()).append(".sizes=[").append(sizes.toString().trim()).append(']');
                }
                else if (v instanceof org.jctools.util.PaddedAtomicLong p)
                {
                    out.append(' ').append(f.getName()).append('=').append(p.get());
                }
            }
        }
        out.append('\n');
    }

    private static Object field(final Object o, final String name) throws ReflectiveOperationException
    {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass())
        {
            try
            {
                final Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            }
            catch (final NoSuchFieldException e)
            {
                // up the hierarchy
            }
        }
        throw new NoSuchFieldException(name + " in " + o.getClass().getName());
    }
}
