package dev.ringmaster.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the journal needs from the JVM it runs in: Chronicle Queue's {@code --add-exports} and {@code --add-opens}
 * flags on Java 17, checked when a journal opens so that a missing one fails with the list of flags to add instead
 * of an {@code IllegalAccessError} from deep inside Chronicle; and Chronicle's usage analytics and announcer banner
 * off unless the application asked for them. Stateless apart from those system properties; safe from any thread.
 */
public final class JournalJvm
{
    /** Chronicle's own list, for a journal on the class path (the unnamed module). */
    public static final List<String> REQUIRED_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED");

    private static final String ANALYTICS = "chronicle.analytics.disable";
    private static final String ANNOUNCER = "chronicle.announcer.disable";

    private JournalJvm()
    {
    }

    /**
     * @return the flags of {@link #REQUIRED_FLAGS} this JVM lacks for the journal's module (a flag for a module the
     *     runtime does not have, such as jdk.compiler in a trimmed runtime, is not required).
     */
    public static List<String> missingFlags()
    {
        final Module self = JournalJvm.class.getModule();
        final List<String> missing = new ArrayList<>();
        for (final String flag : REQUIRED_FLAGS)
        {
            final boolean open = flag.startsWith("--add-opens=");
            final String spec = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('='));
            final String moduleName = spec.substring(0, spec.indexOf('/'));
            final String pkg = spec.substring(spec.indexOf('/') + 1);
            final Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
            if (module.isPresent() && !(open ? module.get().isOpen(pkg, self) : module.get().isExported(pkg, self)))
            {
                missing.add(flag);
            }
        }
        return missing;
    }

    /** Turns Chronicle's analytics and announcer off unless the application set the properties itself. */
    static void quietChronicle()
    {
        if (System.getProperty(ANALYTICS) == null)
        {
            System.setProperty(ANALYTICS, "true");
        }
        if (System.getProperty(ANNOUNCER) == null)
        {
            System.setProperty(ANNOUNCER, "true"); // its banner would go into the embedding application's output
        }
    }

    /**
     * Turns Chronicle's analytics and announcer off unless the application set the properties itself, then checks
     * the flags.
     *
     * @throws JournalException naming every missing flag and where to add it.
     */
    static void prepare()
    {
        quietChronicle();
        final List<String> missing = missingFlags();
        if (!missing.isEmpty())
        {
            throw new JournalException("the journal (Chronicle Queue) needs these JVM flags on Java 17+, missing here: " +
                String.join(" ", missing) + " -- add them to the java command line, or as Add-Exports/Add-Opens " +
                "entries in your application jar's manifest (see the README, 'Add it to your build')");
        }
    }
}
