/**
 * Implementation of the journal, not API: the record layout and its encoder, the router-to-writer ring and its
 * full policy, the writer thread, acknowledgements and retention.
 */
package dev.ringmaster.journal.internal;
