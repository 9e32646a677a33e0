/** Statistics rebuilt from a journal alone: distribution of work, per-stage latency, dead letters, utilization. */
package dev.ringmaster.journal.replay;
