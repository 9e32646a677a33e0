package dev.ringmaster.plugin;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes plugin jars for tests: services files plus the class files of the given classes; one instance per jar. */
final class TestJars
{
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    static TestJars jar()
    {
        return new TestJars();
    }

    /** Registers provider classes under a kind, one per line, as a plugin author would. */
    TestJars services(final PluginKind kind, final String... classNames)
    {
        entries.put(kind.servicesFile(), (String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Copies the class files of these classes (from the test classpath) into the jar. */
    TestJars classes(final Class<?>... classes) throws IOException
    {
        for (final Class<?> c : classes)
        {
            final String path = c.getName().replace('.', '/') + ".class";
            try (InputStream in = c.getClassLoader().getResourceAsStream(path))
            {
                entries.put(path, in.readAllBytes());
            }
        }
        return this;
    }

    /**
     * Adds an empty public class with this name whose class file has this major version, e.g. 65 (Java 21): the JVM
     * checks the version before anything else, so nothing more is needed to provoke an UnsupportedClassVersionError.
     */
    TestJars classOfVersion(final String className, final int major) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(major);
            out.writeShort(5);
            out.writeByte(1);
            out.writeUTF(className.replace('.', '/'));
            out.writeByte(7);
            out.writeShort(1);
            out.writeByte(1);
            out.writeUTF("java/lang/Object");
            out.writeByte(7);
            out.writeShort(3);
            out.writeShort(0x0021);
            out.writeShort(2);
            out.writeShort(4);
            // no interfaces, fields, methods or attributes
            out.writeInt(0);
            out.writeInt(0);
        }
        entries.put(className.replace('.', '/') + ".class", bytes.toByteArray());
        return this;
    }

    /**
     * Compiles Java sources (class name to source) for release 17 against the test class path and adds their class
     * files, those named in {@code newer} with their major version set to {@code major} (e.g. 65, Java 21), as a plugin
     * built for that Java would have them: unlike {@link #classOfVersion}, the provider class itself loads, and only
     * what it uses fails.
     */
    TestJars compiled(final Map<String, String> sources, final int major, final String... newer) throws IOException
    {
        final Path dir = Files.createTempDirectory("testjars");
        final java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--release", "17", "-d",
            dir.toString(), "-cp", System.getProperty("java.class.path")));
        for (final Map.Entry<String, String> source : sources.entrySet())
        {
            final Path file = dir.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        final int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
        if (rc != 0)
        {
            throw new IOException("javac failed with " + rc + " (see stderr)");
        }
        final java.util.Set<String> patch = java.util.Set.of(newer);
        for (final String className : sources.keySet())
        {
            final String path = className.replace('.', '/') + ".class";
            final byte[] bytes = Files.readAllBytes(dir.resolve(path));
            if (patch.contains(className))
            {
                // bytes 6 and 7 of a class file are its major version
                bytes[6] = (byte)(major >> 8);
                bytes[7] = (byte)major;
            }
            entries.put(path, bytes);
        }
        return this;
    }

    TestJars entry(final String path, final String content)
    {
        entries.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Path writeTo(final Path jar) throws IOException
    {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest))
        {
            for (final Map.Entry<String, byte[]> e : entries.entrySet())
            {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }
}
