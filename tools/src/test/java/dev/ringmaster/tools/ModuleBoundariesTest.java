package dev.ringmaster.tools;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No code reaches into another area's {@code internal} package: a class may use {@code X.internal} only if it lives
 * in {@code X} or below. This module sees every other module's classes, so the rule covers them all.
 */
class ModuleBoundariesTest
{
    @Test
    void onlyTheOwningPackageUsesAnInternalPackage()
    {
        final JavaClasses all = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ringmaster");
        assertThat(all.size()).as("classes checked").isGreaterThan(200);
        assertThat(all.containPackage("dev.ringmaster.dispatch.internal")).isTrue();
        assertThat(all.containPackage("dev.ringmaster.journal.internal")).isTrue();
        assertThat(all.containPackage("dev.ringmaster.admin.internal")).isTrue();
        final List<String> violations = new ArrayList<>();
        for (final JavaClass c : all)
        {
            for (final Dependency d : c.getDirectDependenciesFromSelf())
            {
                final String target = d.getTargetClass().getPackageName();
                final int cut = target.indexOf(".internal");
                if (target.startsWith("dev.ringmaster.") && cut > 0 &&
                    !c.getPackageName().startsWith(target.substring(0, cut)))
                {
                    violations.add(d.getDescription());
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
