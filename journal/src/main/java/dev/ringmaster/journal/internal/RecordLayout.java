package dev.ringmaster.journal.internal;

/**
 * The binary layout of one journal record and of the batch documents that hold records; constants only.
 *
 * <p>All integers little-endian (the native order of x86-64 and AArch64, which Agrona buffers use). Fixed header:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Event type   |    Version    |   Priority    |     Flags     |  0
 *  +---------------+---------------+---------------+---------------+
 *  |            Checksum: CRC32C of bytes 8 .. end of record       |  4
 *  +---------------------------------------------------------------+
 *  |                        Task id (int64)                       ...  8
 *  +---------------------------------------------------------------+
 *  |              Acceptance sequence of the dispatcher           ... 16
 *  +---------------------------------------------------------------+
 *  |            Event time, System.nanoTime of the writer JVM     ... 24
 *  +---------------------------------------------------------------+
 *  |     Event time, wall clock, nanoseconds since the epoch      ... 32
 *  +---------------------------------------------------------------+
 *  |   Value: tokens used (COMPLETED), retry-at nanos (RETRIED)   ... 40
 *  +---------------------------------------------------------------+
 *  |            Score of the winning agent (IEEE 754, NaN)        ... 48
 *  +---------------------------------------------------------------+
 *  |              Score of the runner-up (IEEE 754, NaN)          ... 56
 *  +---------------------------------------------------------------+
 *  |                     Attempt (1 = first)                       | 64
 *  +---------------------------------------------------------------+
 *  |                   Agent index (-1 = none)                     | 68
 *  +---------------------------------------------------------------+
 *  |  Strings: task type, agent id, from-agent id (STOLEN),       ... 72
 *  |  strategy (ASSIGNED), reason; each int32 length (-1 = null)   |
 *  |  followed by that many bytes of UTF-8                         |
 *  +---------------------------------------------------------------+
 *  |  Version 3, with FLAG_PROVENANCE (an assignment) only:       ...
 *  |  candidates (int32, -1 = not counted), strategy version       |
 *  |  (int32), runner-up agent index (int32, -1 = none), random    |
 *  |  state present (int8), random state (int64), shadow agent     |
 *  |  index (int32, -1 = declined or failed, -2 = no shadow),      |
 *  |  shadow regret nanos (IEEE 754, NaN = not estimated), then    |
 *  |  strings: runner-up agent id, shadow strategy, shadow agent id|
 *  +---------------------------------------------------------------+
 *  |  ACCEPTED only, the task as submitted:                       ...
 *  |  cost tokens (int64), required skill mask (int64),            |
 *  |  TTL nanos (int64), timeout nanos (int64), max retries        |
 *  |  (int32), task priority (int8), affinity key and target       |
 *  |  agent (strings), payload: int32 length (-1 = null) followed  |
 *  |  by that many bytes from the PayloadCodec; version 2 adds     |
 *  |  tenant, avoided agent and the required skills by name        |
 *  |  (strings; the mask's bits are only the writing JVM's)        |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Version 2 folds two events that always come together into one record, which halves the records of a task in
 * the common case (the router encodes and the writer appends half as much). {@link #FLAG_ASSIGNED_FOLDED} on an
 * ACCEPTED record: the task was placed as it arrived, and the record carries the assignment too (agent index, agent
 * id, strategy, score and runner-up in their usual places, the assignment's nanoTime in the value field).
 * {@link #FLAG_STARTED_FOLDED} on a COMPLETED or FAILED record: the attempt's STARTED is folded in (the same agent;
 * the start's nanoTime in the score field, which these records do not use). Readers deliver a folded record as its
 * two events, so nothing downstream sees the difference. Version 1 records are read as before.
 *
 * <p>Version 3 adds the provenance of an assignment ({@link #FLAG_PROVENANCE} on ASSIGNED, and on ACCEPTED with
 * {@link #FLAG_ASSIGNED_FOLDED}): how many agents were eligible, who came second, the strategy's rule version and the
 * random state it drew from, and what a shadow strategy would have chosen, with its estimated regret; the block sits
 * after the five strings, before an ACCEPTED record's task. Versions 1 and 2 records have none and are read as before.
 *
 * <p>Records are appended in batches, one Chronicle Queue document per batch: one document per record cost the
 * writer most of its time in Chronicle's per-document header and index work. A batch document starts with
 * {@link #BATCH_MARKER} (no event type has code 0), the container version and two reserved bytes, then holds its
 * records back to back, each an int32 length and the record. Journals written before batching hold one bare record
 * per document; readers take both.
 *
 * <p>The wall-clock time is the writer JVM's epoch offset, captured once when the journal opens, plus the event's
 * nanoTime: monotonic within one journal session, comparable across sessions to the accuracy of the clock.
 */
public final class RecordLayout
{
    public static final int VERSION = 3;
    /** The oldest record layout readers still take. */
    public static final int OLDEST_VERSION = 1;

    /** Byte 0 of a batch document; a bare record has its event type, never 0, there. */
    public static final int BATCH_MARKER = 0;
    /** Byte 1 of a batch document. */
    public static final int BATCH_VERSION = 2;
    /** Marker, container version, two reserved bytes; the first record's length follows. */
    public static final int BATCH_HEADER_LENGTH = 4;
    /** A batch document stops growing once it holds this many bytes, so a document stays far below Chronicle's limit. */
    public static final int BATCH_MAX_BYTES = 256 * 1024;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int PRIORITY_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int CHECKSUM_OFFSET = 4;
    /** The checksum covers everything after itself. */
    public static final int CHECKSUMMED_FROM = 8;
    public static final int TASK_ID_OFFSET = 8;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int NANOS_OFFSET = 24;
    public static final int EPOCH_NANOS_OFFSET = 32;
    public static final int VALUE_OFFSET = 40;
    public static final int SCORE_OFFSET = 48;
    public static final int RUNNER_UP_OFFSET = 56;
    public static final int ATTEMPT_OFFSET = 64;
    public static final int AGENT_INDEX_OFFSET = 68;
    public static final int STRINGS_OFFSET = 72;
    /** Fixed part of the version 3 provenance block, before its three strings. */
    public static final int PROVENANCE_FIXED_LENGTH = 4 + 4 + 4 + 1 + 8 + 4 + 8;
    /** Offsets within the provenance block. */
    public static final int PROV_CANDIDATES = 0;
    public static final int PROV_STRATEGY_VERSION = 4;
    public static final int PROV_RUNNER_UP_INDEX = 8;
    public static final int PROV_HAS_RANDOM_STATE = 12;
    public static final int PROV_RANDOM_STATE = 13;
    public static final int PROV_SHADOW_INDEX = 21;
    public static final int PROV_SHADOW_REGRET = 25;
    /** The smallest valid record: the header and five null strings. */
    public static final int MIN_LENGTH = STRINGS_OFFSET + 5 * Integer.BYTES;

    /** The payload could not be encoded by the codec; the record has none and recovery cannot rebuild the task. */
    public static final int FLAG_PAYLOAD_UNENCODABLE = 1;
    /** The encoded payload exceeded the ring's largest message; the record has none. */
    public static final int FLAG_PAYLOAD_TOO_LARGE = 2;
    /** Version 2, ACCEPTED: the record is also the task's ASSIGNED (see the class comment). */
    public static final int FLAG_ASSIGNED_FOLDED = 4;
    /** Version 2, COMPLETED or FAILED: the record is also the attempt's STARTED (see the class comment). */
    public static final int FLAG_STARTED_FOLDED = 8;
    /** Version 3, ASSIGNED or assignment-folded ACCEPTED: the provenance block follows the strings. */
    public static final int FLAG_PROVENANCE = 16;

    private RecordLayout()
    {
    }
}
