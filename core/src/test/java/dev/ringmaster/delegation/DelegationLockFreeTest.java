package dev.ringmaster.delegation;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ringmaster.arch.LockFreeRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delegation models sit on the submit path of their callers and their continuations run on the router thread:
 * they must take no lock and use no blocking type either.
 */
class DelegationLockFreeTest
{
    @Test
    void theDelegationModelsTakeNoLocks()
    {
        final JavaClasses models = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ringmaster.delegation");
        assertThat(models.size()).as("classes checked").isGreaterThan(8);
        assertThat(LockFreeRules.violations(models)).isEmpty();
    }
}
