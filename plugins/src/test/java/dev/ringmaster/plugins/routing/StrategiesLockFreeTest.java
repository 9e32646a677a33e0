package dev.ringmaster.plugins.routing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ringmaster.arch.LockFreeRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Strategies run on the router thread for every task: none may take a lock. */
class StrategiesLockFreeTest
{
    @Test
    void builtInStrategiesTakeNoLocks()
    {
        final JavaClasses strategies = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ringmaster.plugins.routing");
        assertThat(strategies.size()).isGreaterThanOrEqualTo(3);
        assertThat(LockFreeRules.violations(strategies)).isEmpty();
    }
}
