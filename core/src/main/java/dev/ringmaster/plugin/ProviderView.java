package dev.ringmaster.plugin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * A class loader through which {@link java.util.ServiceLoader} sees exactly the plugins a registry accepted:
 * its {@code META-INF/services} files list only them, and their classes come from the jar that provided them; every
 * other class and resource comes from the parent. Immutable after construction and parallel capable, so usable from
 * any thread.
 */
final class ProviderView extends ClassLoader
{
    private static final String PROTOCOL = "ringmaster-plugins";

    static
    {
        registerAsParallelCapable();
    }

    /** Provider class name to the jar loader that defines it; classpath providers are not here (the parent has them). */
    private final Map<String, ClassLoader> jarProviders;
    /** Services file path to its synthesized content, one accepted provider class per line. */
    private final Map<String, byte[]> servicesFiles;
    private final URLStreamHandler handler = new URLStreamHandler()
    {
        @Override
        protected URLConnection openConnection(final URL url) throws IOException
        {
            final byte[] content = servicesFiles.get(url.getPath().substring(1));
            if (content == null)
            {
                throw new IOException("no such plugin services file: " + url);
            }
            return new URLConnection(url)
            {
                @Override
                public void connect()
                {
                }

                @Override
                public InputStream getInputStream()
                {
                    return new ByteArrayInputStream(content);
                }
            };
        }
    };

    ProviderView(final ClassLoader parent, final Map<String, ClassLoader> jarProviders,
                 final Map<String, byte[]> servicesFiles)
    {
        super("ringmaster-plugins", parent);
        this.jarProviders = Map.copyOf(jarProviders);
        this.servicesFiles = Map.copyOf(servicesFiles);
    }

    @Override
    protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
    {
        final ClassLoader jar = jarProviders.get(name);
        return jar != null ? jar.loadClass(name) : super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(final String name)
    {
        return servicesFiles.containsKey(name) ? servicesUrl(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(final String name) throws IOException
    {
        // the parent's copy of a services file would bring back the providers that were rejected
        return servicesFiles.containsKey(name) ? Collections.enumeration(List.of(servicesUrl(name))) :
            super.getResources(name);
    }

    private URL servicesUrl(final String name)
    {
        try
        {
            return new URL(PROTOCOL, null, -1, "/" + name, handler);
        }
        catch (final MalformedURLException e)
        {
            throw new IllegalStateException("cannot form the URL of " + name, e);
        }
    }
}
