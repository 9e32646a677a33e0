package dev.ringmaster.remote.internal;

import java.util.concurrent.atomic.LongAdder;

/** What the remote link counts; every counter may be incremented and read from any thread. */
public final class RemoteCounters
{
    /** Attempts failed at once: host lost or not connected, or the pending table full. */
    public final LongAdder fastFailures = new LongAdder();
    /** Offers that found the publication back-pressured and left the attempt in the backlog. */
    public final LongAdder backPressured = new LongAdder();
    /** Completions for attempts nobody waits for any more (their host was given up): ignored. */
    public final LongAdder lateCompletions = new LongAdder();
    /** Attempts failed because their host was given up; the dispatcher retries them elsewhere. */
    public final LongAdder hostLostAttempts = new LongAdder();
    /** Hosts given up after silence. */
    public final LongAdder hostsLost = new LongAdder();
    /** Host sessions admitted (a host given up and coming back counts again). */
    public final LongAdder hostsAdmitted = new LongAdder();
    /** Attempts failed because their host had not answered by the answer timeout (the host still heard from). */
    public final LongAdder unanswered = new LongAdder();
    /** Completions received and handed to the dispatcher. */
    public final LongAdder completions = new LongAdder();
}
