package dev.ringmaster.tools;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fat jar's Add-Exports / Add-Opens manifest entries are written out in tools/pom.xml; this keeps them equal to
 * the parent POM's ringmaster.jvm.flags, which surefire hands over as system properties.
 */
class ManifestFlagsTest
{
    @Test
    void manifestEntriesMatchTheParentJvmFlags()
    {
        final String flags = System.getProperty("ringmaster.jvm.flags");
        assertThat(flags).as("run through Maven: surefire passes the POM properties").isNotBlank();

        final Set<String> exports = new LinkedHashSet<>();
        final Set<String> opens = new LinkedHashSet<>();
        for (final String flag : flags.trim().split("\\s+"))
        {
            if (flag.startsWith("--add-exports="))
            {
                exports.add(target(flag));
            }
            else if (flag.startsWith("--add-opens="))
            {
                opens.add(target(flag));
            }
        }

        assertThat(words("ringmaster.manifest.add-exports")).isEqualTo(exports);
        assertThat(words("ringmaster.manifest.add-opens")).isEqualTo(opens);
    }

    /** "--add-opens=java.base/java.lang=ALL-UNNAMED" to "java.base/java.lang", the manifest's form. */
    private static String target(final String flag)
    {
        final String value = flag.substring(flag.indexOf('=') + 1);
        assertThat(value).as("manifest entries can only open to ALL-UNNAMED: %s", flag).endsWith("=ALL-UNNAMED");
        return value.substring(0, value.lastIndexOf('='));
    }

    private static Set<String> words(final String property)
    {
        return new LinkedHashSet<>(Arrays.asList(System.getProperty(property, "").trim().split("\\s+")));
    }
}
