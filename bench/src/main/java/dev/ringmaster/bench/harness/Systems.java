package dev.ringmaster.bench.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The systems {@code ringmaster bench} knows, by name, in report order; a fresh instance per run. Immutable. */
public final class Systems
{
    /** The reference every ratio is taken against. */
    public static final String RINGMASTER = "ringmaster";
    public static final String RINGMASTER_JOURNAL = "ringmaster-journal";
    public static final String RINGMASTER_JOURNAL_ACK = "ringmaster-journal-ack";
    public static final String RINGMASTER_REMOTE = "ringmaster-remote";
    public static final String THREAD_POOL = "thread-pool";
    public static final String FORK_JOIN = "fork-join";
    public static final String DISRUPTOR = "disruptor";
    public static final String PEKKO = "pekko";

    private static final Map<String, Supplier<SystemUnderTest>> ALL = new LinkedHashMap<>();

    static
    {
        ALL.put(RINGMASTER, () -> new RingmasterSystem(false));
        ALL.put(RINGMASTER_JOURNAL, () -> new RingmasterSystem(true));
        ALL.put(RINGMASTER_JOURNAL_ACK, () -> new RingmasterSystem(dev.ringmaster.journal.Durability.ACKNOWLEDGED));
        ALL.put(RINGMASTER_REMOTE, RingmasterRemoteSystem::new);
        ALL.put(THREAD_POOL, ThreadPoolSystem::new);
        ALL.put(FORK_JOIN, ForkJoinSystem::new);
        ALL.put(DISRUPTOR, DisruptorSystem::new);
        ALL.put(PEKKO, PekkoSystem::new);
    }

    private Systems()
    {
    }

    /** @return every name, in report order. */
    public static List<String> names()
    {
        return List.copyOf(ALL.keySet());
    }

    /**
     * @return the systems run when none are named: every one but {@value #RINGMASTER_REMOTE}, which starts two Aeron
     *     media drivers, and {@value #RINGMASTER_JOURNAL_ACK}, a variant of the journal's run; both run only when
     *     asked for by name ({@code --systems ringmaster,ringmaster-remote}).
     */
    public static List<String> defaults()
    {
        return names().stream().filter(n -> !n.equals(RINGMASTER_REMOTE) && !n.equals(RINGMASTER_JOURNAL_ACK)).toList();
    }

    /** @return one line per system: what it is. */
    public static String describe(final String name)
    {
        switch (name)
        {
            case RINGMASTER: return "Ringmaster, journal off (4 no-op agents, least-connections)";
            case RINGMASTER_JOURNAL: return "Ringmaster, Chronicle journal on (ASYNC)";
            case RINGMASTER_JOURNAL_ACK: return "Ringmaster, Chronicle journal on (ACKNOWLEDGED: each submit's stage " +
                "completes once its ACCEPTED record is in the mapped file)";
            case RINGMASTER_REMOTE: return "Ringmaster with its agents on an agent host over Aeron UDP loopback (the extra hop)";
            case THREAD_POOL: return "ThreadPoolExecutor + LinkedBlockingQueue";
            case FORK_JOIN: return "ForkJoinPool (async mode), execute(Runnable)";
            case DISRUPTOR: return "bare Disruptor hop, one consumer (the floor)";
            case PEKKO: return "Pekko classic SmallestMailboxPool router, tell(Runnable)";
            default: return name;
        }
    }

    /**
     * @return a factory of the named system.
     * @throws IllegalArgumentException naming the known systems.
     */
    public static Supplier<SystemUnderTest> byName(final String name)
    {
        final Supplier<SystemUnderTest> s = ALL.get(name);
        if (s == null)
        {
            throw new IllegalArgumentException("unknown system '" + name + "'; choose from " +
                String.join(", ", ALL.keySet()));
        }
        return s;
    }
}
