package dev.ringmaster.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Superclass of every benchmark: one fork with the project's JVM flags ({@link JvmFlags}) and modest iterations, so
 * a full run takes minutes; JMH annotations are inherited, and a subclass or the command line may override them.
 * Holds no state: thread-safe.
 */
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.EXPORT_MISC, JvmFlags.EXPORT_REF, JvmFlags.EXPORT_UTIL, JvmFlags.EXPORT_NIO_CH, JvmFlags.EXPORT_SUN_MISC,
    JvmFlags.EXPORT_JAVAC_FILE, JvmFlags.OPEN_JAVAC, JvmFlags.OPEN_LANG, JvmFlags.OPEN_REFLECT, JvmFlags.OPEN_IO,
    JvmFlags.OPEN_UTIL, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class BenchDefaults
{
}
