package dev.ringmaster.journal.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ringmaster.arch.LockFreeRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a journal, its listener runs on the thread that holds the routing role (a submitter, a worker or the router
 * thread): a lock there would be a lock on the dispatch path, which core's {@code DispatchPathLockFreeTest} does not
 * see, as these classes live in this module. So the same rules are applied to every class the listener calls
 * (nested classes included).
 */
class RouterSidePathLockFreeTest
{
    private static final List<String> ROUTER_SIDE = List.of(
        "dev.ringmaster.journal.JournalListener",
        "dev.ringmaster.journal.StandardPayloadCodec",
        "dev.ringmaster.journal.internal.CompactEncoder",
        "dev.ringmaster.journal.internal.RingPublisher",
        "dev.ringmaster.journal.internal.RingStrings",
        "dev.ringmaster.journal.internal.SkillNames",
        "dev.ringmaster.journal.internal.RecordLayout",
        "dev.ringmaster.journal.internal.Varint",
        "dev.ringmaster.journal.internal.Utf8");

    @Test
    void theJournalsListenerAndEncoderTakeNoLocks()
    {
        final JavaClasses journal = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ringmaster.journal");
        for (final String name : ROUTER_SIDE)
        {
            assertThat(journal.contain(name)).as(name + " is checked").isTrue();
        }
        final JavaClasses routerSide = journal.that(DescribedPredicate.describe("called on the routing role's thread",
            (JavaClass c) -> ROUTER_SIDE.stream().anyMatch(n -> c.getName().equals(n) || c.getName().startsWith(n + "$"))));

        assertThat(LockFreeRules.violations(routerSide)).isEmpty();
    }
}
