package dev.ringmaster.model;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The skill registry's limit (a skill is a bit of a {@code long} mask): the 65th distinct name fails with an error that
 * names the limit and the fix. The registry is JVM-wide and never forgets a name, so the test exhausts a fresh copy of
 * the class in a class loader of its own, not the one every other test in this JVM shares.
 */
class SkillLimitTest
{
    @Test
    void theSixtyFifthDistinctSkillFailsNamingTheLimitAndTheFix() throws Exception
    {
        final URL classes = Skills.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader()))
        {
            final Class<?> fresh = isolated.loadClass(Skills.class.getName());
            assertThat(fresh).isNotSameAs(Skills.class);
            final Method id = fresh.getMethod("id", String.class);
            for (int i = 0; i < Skills.MAX_SKILLS; i++)
            {
                assertThat(id.invoke(null, "skill-" + i)).isEqualTo(i);
            }
            assertThat(id.invoke(null, "skill-7")).as("a name already known still resolves").isEqualTo(7);

            final Throwable thrown = catchThrowable(() -> id.invoke(null, "one-too-many"));
            assertThat(thrown).isInstanceOf(InvocationTargetException.class);
            assertThat(thrown.getCause()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at most 64 distinct skill names")
                .hasMessageContaining("'one-too-many'")
                .hasMessageContaining("group fine-grained skills into broader ones");
            // and the failure takes no place: the limit stays at 64, a known name still resolves
            assertThat(catchThrowable(() -> id.invoke(null, "another"))).isInstanceOf(InvocationTargetException.class);
            assertThat(id.invoke(null, "skill-63")).isEqualTo(63);
        }
    }
}
