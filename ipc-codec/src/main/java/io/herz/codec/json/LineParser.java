package io.herz.codec.json;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Parses one JSON line into the three projected fields. One subclass per streaming parser; both follow the same
 * rules so that a line gets the same verdict whichever parser reads it. Not thread-safe; reused for every line.
 */
abstract class LineParser
{
    static final int TS = 0;
    static final int KEY = 1;
    static final int VALUE = 2;
    static final int NO_FIELD = -1;
    static final int ALL_FIELDS = 0b111;
    static final int MAX_KEY_LENGTH = 32;
    /** Longest number literal accepted in a projected field; longer ones are out of range. */
    static final int MAX_NUMBER_LENGTH = 64;

    final String[] fieldNames;
    final int maxNestingDepth;
    private final long tsMultiplier;

    /** Projected key, ASCII, {@link #keyLength} bytes from offset 0. */
    final UnsafeBuffer key = new UnsafeBuffer(new byte[MAX_KEY_LENGTH]);
    int keyLength;
    long eventTimeNs;
    double value;

    /** Set when parse returns false. */
    BadLineReason reason;
    /** Which field the reason is about, or {@link #NO_FIELD}. */
    int field;
    /** Parser's message for MALFORMED_JSON, else null. */
    String parserMessage;
    /**
     * Set by a parser that {@link #validatesUtf8()}: the line holds a byte above 0x7F where it read, so the caller
     * must check the line as UTF-8 before trusting the verdict.
     */
    boolean nonAscii;

    LineParser(final JsonProjectionConfig config)
    {
        this.fieldNames = new String[]{ config.tsField(), config.keyField(), config.valueField() };
        this.maxNestingDepth = config.maxNestingDepth();
        this.tsMultiplier = config.tsUnit().toNanos(1);
    }

    /**
     * @return true if {@link #parse} takes lines not yet checked as UTF-8: the caller checks a line only when the
     * parse failed or set {@link #nonAscii}, and reports invalid UTF-8 first, as if it had checked before.
     */
    boolean validatesUtf8()
    {
        return false;
    }

    /**
     * @return the fast path the projector tries first on each line straight from its read buffer, or null if none:
     * a line it gives up on is handed to {@link #parse}.
     */
    SwarFastPath fastPath()
    {
        return null;
    }

    /**
     * Parse one line, without its newline.
     *
     * @param line   bytes, not blank, and valid UTF-8 unless {@link #validatesUtf8()}.
     * @param offset of the line in {@code line}.
     * @param length of the line.
     * @return true with {@link #eventTimeNs}, {@link #key}, {@link #keyLength} and {@link #value} set, or false with
     * {@link #reason} and {@link #field} set.
     */
    abstract boolean parse(byte[] line, int offset, int length);

    final boolean fail(final BadLineReason reason, final int field)
    {
        this.reason = reason;
        this.field = field;
        return false;
    }

    final boolean malformed(final String message)
    {
        this.parserMessage = message;
        return fail(BadLineReason.MALFORMED_JSON, NO_FIELD);
    }

    final void reset()
    {
        reason = null;
        field = NO_FIELD;
        parserMessage = null;
    }

    /**
     * @return false (with NUMBER_OUT_OF_RANGE) if the time does not fit a long in nanoseconds.
     */
    final boolean setTimestamp(final long ts)
    {
        final long multiplier = tsMultiplier;
        if (ts > Long.MAX_VALUE / multiplier || ts < Long.MIN_VALUE / multiplier)
        {
            return fail(BadLineReason.NUMBER_OUT_OF_RANGE, TS);
        }
        eventTimeNs = ts * multiplier;
        return true;
    }

    final boolean setValue(final double value)
    {
        if (!Double.isFinite(value))
        {
            return fail(BadLineReason.NUMBER_OUT_OF_RANGE, VALUE);
        }
        this.value = value;
        return true;
    }

    final boolean missing(final int seen)
    {
        final int field = (seen & (1 << TS)) == 0 ? TS : (seen & (1 << KEY)) == 0 ? KEY : VALUE;
        return fail(BadLineReason.MISSING_FIELD, field);
    }

    /**
     * Describe the last failure for a report. Allocates; called for the first few bad lines only.
     */
    final String describe()
    {
        final String name = field == NO_FIELD ? "" : "field \"" + fieldNames[field] + "\" ";
        switch (reason)
        {
            case MALFORMED_JSON:
                return parserMessage == null ? "not valid JSON" : firstLine(parserMessage);
            case NOT_AN_OBJECT:
                return "expected a JSON object";
            case TOO_DEEP:
                return "nested deeper than " + maxNestingDepth;
            case TRAILING_DATA:
                return "data after the object";
            case MISSING_FIELD:
                return name + "missing";
            case DUPLICATE_FIELD:
                return name + "appears twice";
            case WRONG_TYPE:
                return name + (field == TS ? "is not an integer" : field == KEY ? "is not a string or number" :
                    "is not a number");
            case NUMBER_OUT_OF_RANGE:
                if (field == NO_FIELD)
                {
                    return "number longer than " + MAX_NUMBER_LENGTH + " characters";
                }
                return name + (field == TS ? "does not fit a long in nanoseconds" : "is not a finite double");
            case KEY_TOO_LONG:
                return name + "is longer than " + MAX_KEY_LENGTH + " bytes";
            case KEY_NOT_ASCII:
                return name + "is not ASCII";
            default:
                return reason.name();
        }
    }

    private static String firstLine(final String message)
    {
        final int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
