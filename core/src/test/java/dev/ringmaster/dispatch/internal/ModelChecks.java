package dev.ringmaster.dispatch.internal;

import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Shared Lincheck settings for the dispatcher's lock-free structures: model checking (Lincheck explores thread
 * switches at every shared access, so a rare interleaving is found, not hoped for), with few threads and operations so
 * that the whole core suite stays fast on 2 cores.
 */
final class ModelChecks
{
    /** Above every Lincheck thread id (they count from 1), for per-thread bookkeeping in the tests. */
    static final int MAX_THREADS = 8;

    private ModelChecks()
    {
    }

    /** Three threads (e.g. router, owner, thief) of two operations each; tests lower the invocations if costly. */
    static ModelCheckingOptions modelChecking()
    {
        return new ModelCheckingOptions()
            .iterations(10)
            .invocationsPerIteration(300)
            .threads(3)
            .actorsPerThread(2)
            .actorsBefore(0)
            .actorsAfter(0);
    }

    /**
     * Runs Lincheck on a deliberately broken variant and returns the failure it must report: results that no
     * sequential order explains, or a broken invariant (a validation function failed); not a crash of the test itself.
     */
    static LincheckAssertionError assertFails(final Options<?, ?> options, final Class<?> brokenVariant)
    {
        // no minimization: it only shortens the report, and costs most of the run
        final LincheckAssertionError failure = assertThrows(LincheckAssertionError.class,
            () -> options.minimizeFailedScenario(false).check(brokenVariant),
            () -> "Lincheck did not catch the broken " + brokenVariant.getSimpleName());
        System.out.println("Lincheck's report on the broken " + brokenVariant.getSimpleName() + ":" + failure.getMessage());
        assertThat(failure.getMessage()).containsAnyOf("= Invalid execution results =", "= Validation function ");
        return failure;
    }
}
