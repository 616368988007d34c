package io.herz.codec.json;

/**
 * Why a JSON line was not projected into an event. Every bad line is counted under exactly one reason: the first
 * problem found while reading it from left to right.
 */
public enum BadLineReason
{
    /** Nothing but whitespace on the line. */
    EMPTY_LINE,
    /** Longer than the configured maximum line length; skipped up to the next newline. */
    LINE_TOO_LONG,
    /** Bytes that are not well-formed UTF-8. */
    INVALID_UTF8,
    /** Not valid JSON: a syntax error, or the line ends inside the object. */
    MALFORMED_JSON,
    /** Valid JSON but not an object, e.g. a bare array, string or number. */
    NOT_AN_OBJECT,
    /** Objects or arrays nested deeper than the configured maximum. */
    TOO_DEEP,
    /** More than one JSON value on the line, or other data after the object. */
    TRAILING_DATA,
    /** A configured field (ts, key or value) is absent. */
    MISSING_FIELD,
    /** A configured field appears twice. */
    DUPLICATE_FIELD,
    /** A configured field has the wrong JSON type: ts not an integer, key not a string or number, value not a number. */
    WRONG_TYPE,
    /** A number that does not fit: ts beyond a long (or beyond it in nanoseconds), a value that is not finite. */
    NUMBER_OUT_OF_RANGE,
    /** The key has more than 32 bytes. */
    KEY_TOO_LONG,
    /** The key holds a character outside ASCII 1..127. */
    KEY_NOT_ASCII
}
