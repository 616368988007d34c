package io.herz.codec;

/**
 * Why an {@link EventDispatcher} skipped a ring record instead of dispatching it.
 */
public enum RejectReason
{
    /** The record is shorter than the SBE message header, or than the header plus the block length it states. */
    TRUNCATED,
    /** The message header names a schema id other than Herz events'. */
    UNKNOWN_SCHEMA,
    /** The schema version is not readable: older than version 1, or its block is shorter than its version needs. */
    INCOMPATIBLE_VERSION,
    /** The template id is not a message of this schema. */
    UNKNOWN_TEMPLATE,
    /** The ring record's type id differs from the SBE template id. */
    TYPE_MISMATCH,
    /** A field holds a value the schema forbids, e.g. a key size above 32. */
    INVALID_FIELD
}
