package dev.ringmaster.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/** Fails if a lock, a blocking queue or a synchronized block enters the classes between submit and execution. */
class DispatchPathLockFreeTest
{
    @Test
    void theDispatchPathTakesNoLocks()
    {
        final JavaClasses dispatchPath = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ringmaster.dispatch", "dev.ringmaster.spi");
        assertThat(dispatchPath.size()).as("classes checked").isGreaterThan(20);
        // the routing role and the router's parts, which run on submitter and worker threads as well
        for (final String name : new String[]{"RoutingRole", "Router", "Placement", "Selection", "RateLimits", "Health",
            "Outcomes", "Fleet", "Lookups", "LiveIds", "StageRecorders", "Signals", "Worker", "Slot", "Inbox", "Lane",
            "Aging", "Delivery", "Shadow", "DecisionTrail", "Slumber", "Slumber$Doze", "ParkingIdleStrategy"})
        {
            assertThat(dispatchPath.contain("dev.ringmaster.dispatch.internal." + name)).as(name + " is checked").isTrue();
        }
        assertThat(LockFreeRules.violations(dispatchPath)).isEmpty();
        // the one class the path uses from metrics: every contained fault goes through it
        assertThat(LockFreeRules.violations(new ClassFileImporter().importClasses(dev.ringmaster.metrics.FaultLog.class)))
            .isEmpty();
    }

    @Test
    void theRuleCatchesEveryKindOfLock()
    {
        final JavaClasses offenders = new ClassFileImporter().importClasses(
            SynchronizedBlock.class, SynchronizedMethod.class, ExplicitLock.class, Waiter.class, DefaultRing.class);
        final var violations = LockFreeRules.violations(offenders);
        assertThat(violations).anyMatch(v -> v.contains("synchronized block") && v.contains("SynchronizedBlock"));
        assertThat(violations).anyMatch(v -> v.contains("synchronized method") && v.contains("SynchronizedMethod"));
        assertThat(violations).anyMatch(v -> v.contains("ReentrantLock"));
        assertThat(violations).anyMatch(v -> v.contains("monitor call"));
        assertThat(violations).anyMatch(v -> v.contains("default BlockingWaitStrategy"));
    }

    static final class SynchronizedBlock
    {
        private final Object guard = new Object();
        private int n;

        void touch()
        {
            synchronized (guard)
            {
                n++;
            }
        }
    }

    static final class SynchronizedMethod
    {
        private int n;

        synchronized void touch()
        {
            n++;
        }
    }

    static final class ExplicitLock
    {
        private final ReentrantLock lock = new ReentrantLock();

        void touch()
        {
            lock.lock();
            lock.unlock();
        }
    }

    static final class DefaultRing
    {
        Object ring()
        {
            return com.lmax.disruptor.RingBuffer.createMultiProducer(Object::new, 8);
        }
    }

    static final class Waiter
    {
        void await() throws InterruptedException
        {
            wait(1);
        }
    }
}
