package dev.ringmaster.arch;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.ClassReader;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.ClassVisitor;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.MethodVisitor;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds locks on the dispatch path: dependencies on lock and blocking types, synchronized methods, and
 * {@code synchronized} blocks (MONITORENTER in the bytecode, which ArchUnit's model does not show, so the class files
 * are read with the ASM copy that ArchUnit ships). Stateless; usable from any test thread.
 */
public final class LockFreeRules
{
    /** Types whose use means a thread can block on another's lock. {@code LockSupport} (park/unpark) is not one. */
    static final Set<String> FORBIDDEN_TYPES = Set.of(
        "java.util.concurrent.locks.Lock",
        "java.util.concurrent.locks.ReentrantLock",
        "java.util.concurrent.locks.ReadWriteLock",
        "java.util.concurrent.locks.ReentrantReadWriteLock",
        "java.util.concurrent.locks.StampedLock",
        "java.util.concurrent.locks.Condition",
        "java.util.concurrent.locks.AbstractQueuedSynchronizer",
        "java.util.concurrent.BlockingQueue",
        "java.util.concurrent.ArrayBlockingQueue",
        "java.util.concurrent.LinkedBlockingQueue",
        "java.util.concurrent.LinkedBlockingDeque",
        "java.util.concurrent.PriorityBlockingQueue",
        "java.util.concurrent.SynchronousQueue",
        "java.util.concurrent.Semaphore",
        "java.util.concurrent.CountDownLatch",
        "java.util.concurrent.CyclicBarrier",
        "java.util.Hashtable",
        "java.util.Vector",
        "java.lang.StringBuffer",
        // Disruptor wait strategies that lock and signal on every publish
        "com.lmax.disruptor.BlockingWaitStrategy",
        "com.lmax.disruptor.LiteBlockingWaitStrategy",
        "com.lmax.disruptor.TimeoutBlockingWaitStrategy",
        "com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy");

    private LockFreeRules()
    {
    }

    /** @return one line per violation, empty if the classes are lock-free. */
    public static List<String> violations(final JavaClasses classes)
    {
        final List<String> violations = new ArrayList<>();
        for (final JavaClass c : classes)
        {
            for (final Dependency d : c.getDirectDependenciesFromSelf())
            {
                if (FORBIDDEN_TYPES.contains(d.getTargetClass().getName()))
                {
                    violations.add(d.getDescription());
                }
            }
            for (final JavaCodeUnit unit : c.getCodeUnits())
            {
                if (unit.getModifiers().contains(JavaModifier.SYNCHRONIZED))
                {
                    violations.add("synchronized method " + unit.getFullName());
                }
                for (final JavaAccess<?> access : unit.getAccessesFromSelf())
                {
                    final String target = access.getTarget().getName();
                    if (access.getTargetOwner().getName().equals("com.lmax.disruptor.RingBuffer") &&
                        target.startsWith("create") && access.getTarget() instanceof com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget &&
                        ((com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget)access.getTarget()).getRawParameterTypes().stream()
                            .noneMatch(p -> p.getName().equals("com.lmax.disruptor.WaitStrategy")))
                    {
                        violations.add("ring buffer created with the default BlockingWaitStrategy (a lock per publish): " +
                            access.getDescription());
                    }
                    if (access.getTargetOwner().isEquivalentTo(Object.class) &&
                        (target.equals("wait") || target.equals("notify") || target.equals("notifyAll")))
                    {
                        violations.add("monitor call " + access.getDescription());
                    }
                }
            }
            violations.addAll(synchronizedBlocks(c.reflect()));
        }
        return violations;
    }

    static List<String> synchronizedBlocks(final Class<?> type)
    {
        final List<String> found = new ArrayList<>();
        final String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException("class file of " + type.getName() + " not found");
            }
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9)
            {
                @Override
                public MethodVisitor visitMethod(final int access, final String name, final String descriptor,
                                                 final String signature, final String[] exceptions)
                {
                    return new MethodVisitor(Opcodes.ASM9)
                    {
                        @Override
                        public void visitInsn(final int opcode)
                        {
                            if (opcode == Opcodes.MONITORENTER)
                            {
                                found.add("synchronized block in " + type.getName() + "." + name + descriptor);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read class file of " + type.getName(), e);
        }
        return found;
    }
}
