package dev.ringmaster.plugin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@link UnsupportedClassVersionError} into the fix a plugin author needs (which Java the class was
 * compiled for, which release to compile it for instead); stateless, so usable from any thread.
 */
final class ClassFileVersions
{
    /** Java 8 is class file version 52: the feature version is the major version less 44, from Java 1.2 on. */
    private static final int FEATURE_OFFSET = 44;

    // the JVM's own wording, e.g. "com/acme/X has been compiled by a more recent version of the Java Runtime (class
    // file version 65.0), this version of the Java Runtime only recognizes class file versions up to 61.0"
    private static final Pattern FOUND = Pattern.compile("^(\\S+) .*\\(class file version (\\d+)\\.\\d+\\)");

    private ClassFileVersions()
    {
    }

    /**
     * @return what the error means and the fix, e.g. "is compiled for Java 21 (class file version 65: com/acme/X) but
     *     this JVM is Java 17, which reads class file versions up to 61; compile the plugin for release 17 ...".
     */
    static String explain(final UnsupportedClassVersionError e)
    {
        final int feature = Runtime.version().feature();
        final String runtime = "this JVM is Java " + feature + ", which reads class file versions up to " +
            (feature + FEATURE_OFFSET);
        final String fix = "; compile the plugin for release " + feature + " (javac --release " + feature +
            ", or <maven.compiler.release>" + feature + "</maven.compiler.release>) and rebuild the jar";
        final Matcher m = FOUND.matcher(String.valueOf(e.getMessage()));
        if (!m.find())
        {
            return "is compiled for a newer Java than this one (" + e.getMessage() + "); " + runtime + fix;
        }
        final int major = Integer.parseInt(m.group(2));
        return "is compiled for Java " + (major - FEATURE_OFFSET) + " (class file version " + major + ", in " +
            m.group(1).replace('/', '.') + ") but " + runtime + fix;
    }
}
