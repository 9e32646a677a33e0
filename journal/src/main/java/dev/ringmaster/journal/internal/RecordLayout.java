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
 * <p>An ADMIN record (an operator's change, added without a new version: older readers name its code as unknown)
 * has task id and sequence -1, what was asked in the task-type string, the client's address in the from-agent string,
 * the HTTP status in the value field and the outcome in the reason.
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
 * <p>{@link #FLAG_CANCELLED_AT_SHUTDOWN} on a CANCELLED record (added without a new version): the dispatcher's
 * shutdown cancelled a task that had not started or waited for a retry. It did not end, so recovery finds it open, as
 * after a kill -9; an operator's cancel has no flag and stays final. Older readers take it for a plain CANCELLED.
 *
 * <p>Records are appended in batches, one Chronicle Queue document per batch: one document per record cost the
 * writer most of its time in Chronicle's per-document header and index work. A batch document starts with
 * {@link #BATCH_MARKER} (no event type has code 0), the container version and two reserved bytes, then holds its
 * records back to back, each an int32 length and the record. Journals written before batching hold one bare record
 * per document; readers take both.
 *
 * <p>Since container version 3 ({@link #COMPACT_BATCH_VERSION}) each record is stored in a compact form (the router's
 * encoder writes it, see {@link CompactEncoder}; the writer compacts other encoders' fixed records) and readers expand
 * it back into the layout above, so nothing downstream of the reader changed; see {@link RecordCompactor} for why.
 * A compact batch: the same four-byte header, then entries, each a variable-length (LEB128) byte count, the CRC32C
 * of the entry's bytes (int32), and the bytes, whose first byte says what it is:
 * <pre>
 *   {@link #COMPACT_BASE}: the batch's base numbers (task id, sequence, nanoTime, wall-clock offset; zig-zag), the
 *       batch's first entry
 *   {@link #COMPACT_STRING}: a string of the batch (its id, byte count, UTF-8), before the first record using it
 *   {@link #COMPACT_RAW}: a record kept whole (another layout version, or a shape the compactor cannot account for
 *       byte by byte), the fixed record follows
 *   an event type code: a compact record of layout version 2 or 3:
 *     type, version, priority, flags, field mask (one byte each)
 *     task id, sequence, nanoTime, wall-clock offset: zig-zag differences from the batch's base
 *     value: zig-zag, or its difference from the nanoTime (mask bit VALUE_DELTA)
 *     score and runner-up, each only if not NaN (bits *_PRESENT): eight raw bytes, or the zig-zag difference of
 *         their bits from the nanoTime (bits *_DELTA: a folded start time)
 *     attempt, agent index (zig-zag)
 *     the five strings, each a reference: 0 null, 1 in full right here (byte count, UTF-8), or 2 + a string id
 *     version 3 with a provenance block (mask bit PROVENANCE): candidates, strategy version, runner-up index
 *         (zig-zag), whether a random state is present (one byte), a flag byte, the random state (eight raw bytes
 *         when present, else zig-zag), shadow index (zig-zag), the regret (eight raw bytes, only if not NaN), then
 *         the runner-up agent, shadow strategy and shadow agent (references)
 *     with the task (mask bit SPEC): cost, skill mask, TTL, timeout, max retries (zig-zag), the task's priority (one
 *         byte), affinity key and target agent (references), payload (byte count + 1, 0 for null, then the
 *         bytes), tenant, avoided agent, skill names (references)
 * </pre>
 * Every batch starts from nothing, and no record is read relative to another record, so each document can be read
 * alone and a damaged entry costs only itself: a lost record alone, a lost string definition the records that use
 * it (each reported), a lost base the batch's compact records (each reported).
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
    /** Byte 1 of a batch document of compact records (see the class comment); version 2 batches are still read. */
    public static final int COMPACT_BATCH_VERSION = 3;
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
    /** A byte of flags: {@link #PROV_FLAG_RANDOM_STATE}, {@link #PROV_FLAG_FELL_BACK}. */
    public static final int PROV_HAS_RANDOM_STATE = 12;
    /** The strategy recorded its random state. */
    public static final int PROV_FLAG_RANDOM_STATE = 1;
    /** The built-in fallback made the placement, not the strategy (a reader of an older build sees random state). */
    public static final int PROV_FLAG_FELL_BACK = 2;
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
    /**
     * CANCELLED: the dispatcher's shutdown cancelled the task before it started, so it did not end and recovery runs
     * it again (see the class comment). Added without a new layout version.
     */
    public static final int FLAG_CANCELLED_AT_SHUTDOWN = 32;

    /** The record layout versions the compactor knows field by field; records of any other are stored whole. */
    public static final int COMPACTABLE_FROM_VERSION = 2;
    public static final int COMPACTABLE_TO_VERSION = 3;
    /** The strings of every record, and of a record that carries the task (affinity, target, tenant, avoid, skills). */
    public static final int STRINGS_PER_RECORD = 5;
    public static final int STRINGS_PER_SPEC_RECORD = 10;
    /** The string slots of a version 3 provenance block (runner-up agent, shadow strategy, shadow agent). */
    public static final int PROVENANCE_STRINGS = 3;
    /** Every string slot a compactable record may have: its own, the provenance block's, the task's. */
    public static final int STRING_SLOTS = STRINGS_PER_SPEC_RECORD + PROVENANCE_STRINGS;
    /** Cost, skill mask, TTL, timeout (int64 each), max retries (int32), priority (int8). */
    public static final int SPEC_FIXED_BYTES = 37;
    /** The bits of the NaN the encoder writes for an absent score. */
    public static final long NAN_BITS = Double.doubleToRawLongBits(Double.NaN);
    /** First byte of a compact record kept whole (no event type has code 0). */
    public static final int COMPACT_RAW = 0;
    /** First byte of a compact batch's base entry (no event type has a negative code). */
    public static final int COMPACT_BASE = -1;
    /** First byte of a compact batch's string definition. */
    public static final int COMPACT_STRING = -2;
    public static final int COMPACT_VALUE_DELTA = 1;
    public static final int COMPACT_SCORE_PRESENT = 2;
    public static final int COMPACT_SCORE_DELTA = 4;
    public static final int COMPACT_RUNNER_UP_PRESENT = 8;
    public static final int COMPACT_RUNNER_UP_DELTA = 16;
    public static final int COMPACT_SPEC = 32;
    /** Version 3: the record has a provenance block (after its five strings, as in the fixed layout). */
    public static final int COMPACT_PROVENANCE = 64;
    /** In a compact provenance block's own flag byte: the random state, and the regret, as eight raw bytes. */
    public static final int COMPACT_PROV_RANDOM_RAW = 1;
    public static final int COMPACT_PROV_REGRET = 2;
    public static final int COMPACT_STRING_NULL = 0;
    public static final int COMPACT_STRING_INLINE = 1;
    public static final int COMPACT_STRING_FIRST_ID = 2;
    /** The most strings one compact batch defines; any more are written in full at each use. */
    public static final int COMPACT_MAX_STRINGS = 512;

    private RecordLayout()
    {
    }
}
