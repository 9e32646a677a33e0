/**
 * The journal: every lifecycle event of a dispatcher as one fixed-layout binary record in a Chronicle Queue, written
 * by one writer thread off the dispatch path; readers for audit and replay, and recovery of accepted, unfinished
 * tasks after a crash. The only module that touches Chronicle Queue; core sees it as a
 * {@link dev.ringmaster.spi.DispatchListener}.
 */
package dev.ringmaster.journal;
