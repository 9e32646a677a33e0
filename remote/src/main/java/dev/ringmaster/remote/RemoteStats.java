package dev.ringmaster.remote;

/**
 * What the dispatcher's remote link has counted since it started; an immutable snapshot.
 *
 * @param hostsAdmitted    host sessions admitted (a host coming back after a give-up counts again).
 * @param hostsLost        hosts given up (silent past the timeout).
 * @param hostLostAttempts attempts failed because their host was given up, and retried under the retry rules.
 * @param lateCompletions  completions from a host for attempts already given up: ignored.
 * @param fastFailures     attempts failed at once (host lost or not connected), retried.
 * @param backPressured    offers Aeron refused for back-pressure, sent later by the poller.
 * @param completions      completions received and handed to the dispatcher.
 * @param unanswered       attempts failed because their host had not answered within the answer timeout, retried.
 */
public record RemoteStats(long hostsAdmitted, long hostsLost, long hostLostAttempts, long lateCompletions,
                          long fastFailures, long backPressured, long completions, long unanswered)
{
}
