package io.herz.codec.json;

import java.util.concurrent.TimeUnit;

/**
 * What a {@link JsonEventProjector} reads from each JSON line: the names of the top-level fields holding the event
 * time, the key and the value, the unit of the event time, the parser, and the limits. A mutable builder;
 * {@link #conclude()} validates it once and the projector takes a concluded copy.
 * <p>
 * Defaults: fields {@code ts} (epoch milliseconds), {@code key}, {@code value}; Herz's single-pass parser (the fastest in
 * {@code JsonProjectionBenchmark}, allocation-free, and giving the same verdict as DSL-JSON and the Jackson test
 * oracle on every bad-line case of the test fixture); lines up to 64 KiB; nesting up to 32 levels; the first 10 bad lines described
 * in the report.
 */
public final class JsonProjectionConfig
{
    /** Default event time field. */
    public static final String DEFAULT_TS_FIELD = "ts";
    /** Default key field. */
    public static final String DEFAULT_KEY_FIELD = "key";
    /** Default value field. */
    public static final String DEFAULT_VALUE_FIELD = "value";
    /** Default longest line in bytes, without the newline. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
    /** Default deepest nesting of objects and arrays; the line's own object is level 1. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 32;
    /** Default number of bad lines the report describes; all are counted. */
    public static final int DEFAULT_MAX_REPORTED_LINES = 10;

    private static final int MAX_NESTING_DEPTH_LIMIT = 64;

    /** Which streaming parser reads the lines. */
    public enum Parser
    {
        /**
         * Herz's single-pass parser: in place, strings scanned eight bytes at a time (SWAR), UTF-8 checked only on
         * lines with a non-ASCII byte; DSL-JSON converts only the numbers its exact fast path cannot.
         */
        HERZ,
        /** DSL-JSON's {@code JsonReader} over a copy of each line, with Herz's own depth-limited, strict skipping. */
        DSL_JSON
    }

    private String tsField = DEFAULT_TS_FIELD;
    private String keyField = DEFAULT_KEY_FIELD;
    private String valueField = DEFAULT_VALUE_FIELD;
    private TimeUnit tsUnit = TimeUnit.MILLISECONDS;
    private Parser parser = Parser.HERZ;
    private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
    private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;
    private int maxReportedLines = DEFAULT_MAX_REPORTED_LINES;

    /**
     * @param name top-level field holding the event time, an integer.
     * @return this.
     */
    public JsonProjectionConfig tsField(final String name)
    {
        this.tsField = name;
        return this;
    }

    /**
     * @param name top-level field holding the key, a string or a number (rendered as written).
     * @return this.
     */
    public JsonProjectionConfig keyField(final String name)
    {
        this.keyField = name;
        return this;
    }

    /**
     * @param name top-level field holding the value, a number.
     * @return this.
     */
    public JsonProjectionConfig valueField(final String name)
    {
        this.valueField = name;
        return this;
    }

    /**
     * @param unit unit of the event time field: milliseconds, microseconds or nanoseconds since the epoch.
     * @return this.
     */
    public JsonProjectionConfig tsUnit(final TimeUnit unit)
    {
        this.tsUnit = unit;
        return this;
    }

    /**
     * @param unit {@code ms}, {@code us} or {@code ns}, as a command line gives it.
     * @return this.
     * @throws IllegalArgumentException for any other text.
     */
    public JsonProjectionConfig tsUnit(final String unit)
    {
        switch (unit)
        {
            case "ms":
                return tsUnit(TimeUnit.MILLISECONDS);
            case "us":
                return tsUnit(TimeUnit.MICROSECONDS);
            case "ns":
                return tsUnit(TimeUnit.NANOSECONDS);
            default:
                throw new IllegalArgumentException("ts unit unknown: expected ms, us or ns, found " + unit);
        }
    }

    /**
     * @param parser which streaming parser reads the lines.
     * @return this.
     */
    public JsonProjectionConfig parser(final Parser parser)
    {
        this.parser = parser;
        return this;
    }

    /**
     * @param length longest line in bytes, without the newline; longer lines are skipped and reported.
     * @return this.
     */
    public JsonProjectionConfig maxLineLength(final int length)
    {
        this.maxLineLength = length;
        return this;
    }

    /**
     * @param depth deepest nesting of objects and arrays, 1 to 64; the line's own object is level 1.
     * @return this.
     */
    public JsonProjectionConfig maxNestingDepth(final int depth)
    {
        this.maxNestingDepth = depth;
        return this;
    }

    /**
     * @param count how many bad lines the report describes, &ge; 0; all are counted.
     * @return this.
     */
    public JsonProjectionConfig maxReportedLines(final int count)
    {
        this.maxReportedLines = count;
        return this;
    }

    /**
     * Validate.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad value.
     */
    public JsonProjectionConfig conclude()
    {
        checkName("ts field", tsField);
        checkName("key field", keyField);
        checkName("value field", valueField);
        if (tsField.equals(keyField) || tsField.equals(valueField) || keyField.equals(valueField))
        {
            throw new IllegalArgumentException("field names not distinct: expected three names, found ts=" + tsField +
                " key=" + keyField + " value=" + valueField);
        }
        if (tsUnit != TimeUnit.MILLISECONDS && tsUnit != TimeUnit.MICROSECONDS && tsUnit != TimeUnit.NANOSECONDS)
        {
            throw new IllegalArgumentException("ts unit unsupported: expected MILLISECONDS, MICROSECONDS or " +
                "NANOSECONDS, found " + tsUnit);
        }
        if (parser == null)
        {
            throw new IllegalArgumentException("parser missing: expected HERZ or DSL_JSON, found null");
        }
        if (maxLineLength < 2 || maxLineLength > 64 * 1024 * 1024)
        {
            throw new IllegalArgumentException("max line length out of range: expected 2..67108864, found " +
                maxLineLength);
        }
        if (maxNestingDepth < 1 || maxNestingDepth > MAX_NESTING_DEPTH_LIMIT)
        {
            throw new IllegalArgumentException("max nesting depth out of range: expected 1.." +
                MAX_NESTING_DEPTH_LIMIT + ", found " + maxNestingDepth);
        }
        if (maxReportedLines < 0)
        {
            throw new IllegalArgumentException("max reported lines is negative: expected >= 0, found " +
                maxReportedLines);
        }
        return this;
    }

    private static void checkName(final String what, final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException(what + " empty: expected a field name, found " +
                (name == null ? "null" : "\"\""));
        }
    }

    JsonProjectionConfig copy()
    {
        return new JsonProjectionConfig().tsField(tsField).keyField(keyField).valueField(valueField).tsUnit(tsUnit)
            .parser(parser).maxLineLength(maxLineLength).maxNestingDepth(maxNestingDepth)
            .maxReportedLines(maxReportedLines);
    }

    /**
     * @return the event time field.
     */
    public String tsField()
    {
        return tsField;
    }

    /**
     * @return the key field.
     */
    public String keyField()
    {
        return keyField;
    }

    /**
     * @return the value field.
     */
    public String valueField()
    {
        return valueField;
    }

    /**
     * @return unit of the event time field.
     */
    public TimeUnit tsUnit()
    {
        return tsUnit;
    }

    /**
     * @return the parser.
     */
    public Parser parser()
    {
        return parser;
    }

    /**
     * @return longest line in bytes.
     */
    public int maxLineLength()
    {
        return maxLineLength;
    }

    /**
     * @return deepest nesting.
     */
    public int maxNestingDepth()
    {
        return maxNestingDepth;
    }

    /**
     * @return bad lines described in the report.
     */
    public int maxReportedLines()
    {
        return maxReportedLines;
    }

    public String toString()
    {
        return "JsonProjectionConfig{ts=" + tsField + " (" + tsUnit + "), key=" + keyField + ", value=" + valueField +
            ", parser=" + parser + ", maxLineLength=" + maxLineLength + ", maxNestingDepth=" + maxNestingDepth + "}";
    }
}
