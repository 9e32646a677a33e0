package dev.ringmaster.bench;

/**
 * The JVM flags every JMH fork gets, one compile-time constant per flag so that annotations can list them; a copy of
 * the parent POM property {@code ringmaster.jvm.flags} (JvmFlagsTest fails the build when the two drift apart).
 * Constants only: thread-safe.
 */
public final class JvmFlags
{
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String EXPORT_UTIL = "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED";
    public static final String EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String EXPORT_SUN_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    public static final String EXPORT_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String OPEN_JAVAC = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    public static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String OPEN_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    public static final String OPEN_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    public static final String NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";

    private JvmFlags()
    {
    }

    /** @return every flag, in the order of the POM property. */
    public static String[] all()
    {
        return new String[] {EXPORT_MISC, EXPORT_REF, EXPORT_UTIL, EXPORT_NIO_CH, EXPORT_SUN_MISC, EXPORT_JAVAC_FILE,
            OPEN_JAVAC, OPEN_LANG, OPEN_REFLECT, OPEN_IO, OPEN_UTIL, NO_ANALYTICS, NO_ANNOUNCER};
    }
}
