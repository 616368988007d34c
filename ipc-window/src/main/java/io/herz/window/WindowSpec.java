package io.herz.window;

/**
 * What windows an event belongs to, following Apache Flink's event-time window assigners:
 * <ul>
 *     <li>{@code tumbling:SIZE}: the one window {@code [start, start + size)} with
 *     {@code start = t - floorMod(t, size)}, aligned to the epoch;</li>
 *     <li>{@code sliding:SIZE,SLIDE}: every window {@code [s, s + size)} with {@code s} a multiple of the slide and
 *     {@code s <= t < s + size} (none when the slide exceeds the size and {@code t} falls in a gap);</li>
 *     <li>{@code session:GAP}: the window {@code [t, t + gap)}, merged per key with every window it overlaps or
 *     touches.</li>
 * </ul>
 * Sizes, slides and gaps are durations as {@link Durations#parseNs(String)} reads them, e.g. {@code 200ms}.
 * Instances are immutable.
 */
public final class WindowSpec
{
    private static final String EXPECTED = "expected tumbling:SIZE, sliding:SIZE,SLIDE or session:GAP";

    private final WindowKind kind;
    private final long sizeNs;
    private final long slideNs;

    private WindowSpec(final WindowKind kind, final long sizeNs, final long slideNs)
    {
        this.kind = kind;
        this.sizeNs = sizeNs;
        this.slideNs = slideNs;
    }

    /**
     * Tumbling windows of one size.
     *
     * @param sizeNs the window size, positive.
     * @return the spec.
     * @throws IllegalArgumentException if the size is not positive.
     */
    public static WindowSpec tumbling(final long sizeNs)
    {
        checkPositive("tumbling window size", sizeNs);
        return new WindowSpec(WindowKind.TUMBLING, sizeNs, sizeNs);
    }

    /**
     * Sliding (hopping) windows.
     *
     * @param sizeNs  the window size, positive.
     * @param slideNs the distance between window starts, positive.
     * @return the spec.
     * @throws IllegalArgumentException if the size or the slide is not positive.
     */
    public static WindowSpec sliding(final long sizeNs, final long slideNs)
    {
        checkPositive("sliding window size", sizeNs);
        checkPositive("sliding window slide", slideNs);
        return new WindowSpec(WindowKind.SLIDING, sizeNs, slideNs);
    }

    /**
     * Session windows.
     *
     * @param gapNs the inactivity gap that closes a session, positive.
     * @return the spec.
     * @throws IllegalArgumentException if the gap is not positive.
     */
    public static WindowSpec session(final long gapNs)
    {
        checkPositive("session window gap", gapNs);
        return new WindowSpec(WindowKind.SESSION, gapNs, 0);
    }

    /**
     * Parse {@code tumbling:1s}, {@code sliding:10s,1s} or {@code session:5s}.
     *
     * @param text the spec.
     * @return the spec.
     * @throws IllegalArgumentException naming the problem and the text when it cannot be parsed.
     */
    public static WindowSpec parse(final String text)
    {
        if (null == text || text.isEmpty())
        {
            throw new IllegalArgumentException("window spec is empty: " + EXPECTED + ", found ''");
        }

        final int colon = text.indexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("window spec has no ':': " + EXPECTED + ", found '" + text + "'");
        }

        final String kindName = text.substring(0, colon);
        final String arguments = text.substring(colon + 1);
        switch (kindName)
        {
            case "tumbling":
                return tumbling(parseDuration(arguments, "tumbling window size", text));

            case "sliding":
            {
                final int comma = arguments.indexOf(',');
                if (comma < 0)
                {
                    throw new IllegalArgumentException(
                        "sliding window spec has no slide: expected sliding:SIZE,SLIDE, found '" + text + "'");
                }
                return sliding(
                    parseDuration(arguments.substring(0, comma), "sliding window size", text),
                    parseDuration(arguments.substring(comma + 1), "sliding window slide", text));
            }

            case "session":
                return session(parseDuration(arguments, "session window gap", text));

            default:
                throw new IllegalArgumentException(
                    "window kind is unknown: expected tumbling, sliding or session, found '" + kindName +
                    "' spec=" + text);
        }
    }

    /**
     * The kind of window.
     *
     * @return the kind.
     */
    public WindowKind kind()
    {
        return kind;
    }

    /**
     * The window size of tumbling and sliding windows, the gap of session windows.
     *
     * @return the size in nanoseconds.
     */
    public long sizeNs()
    {
        return sizeNs;
    }

    /**
     * The distance between window starts: the slide of sliding windows, the size of tumbling ones, 0 for sessions.
     *
     * @return the slide in nanoseconds.
     */
    public long slideNs()
    {
        return slideNs;
    }

    /**
     * The inactivity gap of session windows.
     *
     * @return the gap in nanoseconds, 0 for other kinds.
     */
    public long gapNs()
    {
        return WindowKind.SESSION == kind ? sizeNs : 0;
    }

    /**
     * {@inheritDoc}
     */
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof WindowSpec))
        {
            return false;
        }
        final WindowSpec that = (WindowSpec)other;

        return kind == that.kind && sizeNs == that.sizeNs && slideNs == that.slideNs;
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        return (kind.hashCode() * 31 + Long.hashCode(sizeNs)) * 31 + Long.hashCode(slideNs);
    }

    /**
     * The spec in the form {@link #parse(String)} reads.
     *
     * @return e.g. {@code sliding:10s,1s}.
     */
    public String toString()
    {
        switch (kind)
        {
            case TUMBLING:
                return "tumbling:" + Durations.format(sizeNs);
            case SLIDING:
                return "sliding:" + Durations.format(sizeNs) + "," + Durations.format(slideNs);
            default:
                return "session:" + Durations.format(sizeNs);
        }
    }

    private static long parseDuration(final String durationText, final String what, final String specText)
    {
        final long durationNs;
        try
        {
            durationNs = Durations.parseNs(durationText);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(what + " is invalid: " + ex.getMessage() + " spec=" + specText, ex);
        }
        if (durationNs <= 0)
        {
            throw new IllegalArgumentException(
                what + " is not positive: expected > 0, found '" + durationText + "' spec=" + specText);
        }

        return durationNs;
    }

    private static void checkPositive(final String what, final long durationNs)
    {
        if (durationNs <= 0)
        {
            throw new IllegalArgumentException(what + " is not positive: expected > 0, found " + durationNs + "ns");
        }
    }
}
