package com.example.ringmaster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds jars for the tests: the example plugin's from target/classes, and small hand-made ones; stateless. */
final class PluginJars
{
    private PluginJars()
    {
    }

    /** @return target/classes, which surefire keeps off the test class path (see the pom). */
    static Path exampleClasses()
    {
        final String dir = System.getProperty("example.plugin.classes");
        if (dir == null || !Files.isDirectory(Path.of(dir)))
        {
            throw new IllegalStateException("system property example.plugin.classes must name the module's " +
                "target/classes (set in example-plugin/pom.xml); got " + dir);
        }
        return Path.of(dir);
    }

    /** Packs target/classes into {@code jar}, as maven-jar-plugin would at the package phase. */
    static Path exampleJar(final Path jar) throws IOException
    {
        final Path classes = exampleClasses();
        try (Stream<Path> files = Files.walk(classes); JarOutputStream out = open(jar))
        {
            for (final Path file : files.filter(Files::isRegularFile).sorted().toList())
            {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Writes a jar with exactly these entries (path to text). */
    static Path jar(final Path jar, final Map<String, String> entries) throws IOException
    {
        try (JarOutputStream out = open(jar))
        {
            for (final Map.Entry<String, String> e : entries.entrySet())
            {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Writes a jar with a services file and the class files of the given (test) classes. */
    static Path jar(final Path jar, final String servicesFile, final List<Class<?>> classes) throws IOException
    {
        try (JarOutputStream out = open(jar))
        {
            out.putNextEntry(new JarEntry(servicesFile));
            for (final Class<?> c : classes)
            {
                out.write((c.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.closeEntry();
            for (final Class<?> c : classes)
            {
                final String path = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(path));
                try (var in = c.getClassLoader().getResourceAsStream(path))
                {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static JarOutputStream open(final Path jar) throws IOException
    {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        final OutputStream file = Files.newOutputStream(jar);
        return new JarOutputStream(file, manifest);
    }
}
