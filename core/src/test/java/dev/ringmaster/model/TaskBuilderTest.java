package dev.ringmaster.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskBuilderTest
{
    @Test
    void oneBuilderStampsOutTasksWithDistinctIds()
    {
        final Task.Builder builder = Task.builder("worker").priority(Priority.HIGH);
        final Task first = builder.build();
        final Task second = builder.build();
        // a reused builder used to keep the first generated id, so the second submit was refused as DUPLICATE_ID
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.priority()).isEqualTo(Priority.HIGH);
    }

    @Test
    void anExplicitIdIsKeptOnEveryBuild()
    {
        final Task.Builder builder = Task.builder("worker").id(42);
        assertThat(builder.build().id()).isEqualTo(42);
        assertThat(builder.build().id()).isEqualTo(42);
    }

    @Test
    void aCopyGetsAFreshIdUnlessOneIsSet()
    {
        final Task original = Task.builder("worker").build();
        assertThat(Task.Builder.from(original).build().id()).isNotEqualTo(original.id());
        assertThat(Task.Builder.from(original).id(original.id()).build().id()).isEqualTo(original.id());
    }
}
