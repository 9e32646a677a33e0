package dev.ringmaster.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmFlagsTest
{
    @Test
    void forksGetExactlyTheParentPomFlags()
    {
        final String property = System.getProperty("ringmaster.jvm.flags");
        assertThat(property).as("surefire passes the parent POM property ringmaster.jvm.flags").isNotBlank();
        assertThat(JvmFlags.all()).containsExactly(property.trim().split("\\s+"));
    }
}
