package io.herz.window;

/**
 * Parses and formats durations written as a non-negative integer and a unit: {@code 500ns}, {@code 10us},
 * {@code 200ms}, {@code 1s}, {@code 5m}, {@code 2h}. A bare {@code 0} is accepted as zero.
 */
public final class Durations
{
    private static final String EXPECTED = "expected <digits><ns|us|ms|s|m|h>";

    private Durations()
    {
    }

    /**
     * Parse a duration into nanoseconds.
     *
     * @param text the duration, e.g. {@code 200ms}.
     * @return the duration in nanoseconds, never negative.
     * @throws IllegalArgumentException if the text is empty, has no digits, an unknown unit or overflows a long.
     */
    public static long parseNs(final String text)
    {
        if (null == text || text.isEmpty())
        {
            throw new IllegalArgumentException("duration is empty: " + EXPECTED + ", found ''");
        }

        int digitCount = 0;
        while (digitCount < text.length() && text.charAt(digitCount) >= '0' && text.charAt(digitCount) <= '9')
        {
            digitCount++;
        }
        if (0 == digitCount)
        {
            throw new IllegalArgumentException("duration has no digits: " + EXPECTED + ", found '" + text + "'");
        }

        final long amount;
        try
        {
            amount = Long.parseLong(text.substring(0, digitCount));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(
                "duration is too large: expected at most " + Long.MAX_VALUE + "ns, found '" + text + "'", ex);
        }

        final String unit = text.substring(digitCount);
        final long nanosPerUnit = nanosPerUnit(unit, amount, text);
        try
        {
            return Math.multiplyExact(amount, nanosPerUnit);
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException(
                "duration is too large: expected at most " + Long.MAX_VALUE + "ns, found '" + text + "'", ex);
        }
    }

    /**
     * Format nanoseconds with the largest unit that represents them exactly, the inverse of {@link #parseNs}.
     *
     * @param durationNs a non-negative duration in nanoseconds.
     * @return the text, e.g. {@code 200ms}, or {@code 0} for zero.
     */
    public static String format(final long durationNs)
    {
        if (0 == durationNs)
        {
            return "0";
        }
        if (0 == durationNs % 3_600_000_000_000L)
        {
            return (durationNs / 3_600_000_000_000L) + "h";
        }
        if (0 == durationNs % 60_000_000_000L)
        {
            return (durationNs / 60_000_000_000L) + "m";
        }
        if (0 == durationNs % 1_000_000_000L)
        {
            return (durationNs / 1_000_000_000L) + "s";
        }
        if (0 == durationNs % 1_000_000L)
        {
            return (durationNs / 1_000_000L) + "ms";
        }
        if (0 == durationNs % 1_000L)
        {
            return (durationNs / 1_000L) + "us";
        }

        return durationNs + "ns";
    }

    private static long nanosPerUnit(final String unit, final long amount, final String text)
    {
        switch (unit)
        {
            case "ns":
                return 1L;
            case "us":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            case "":
                if (0 == amount)
                {
                    return 1L;
                }
                throw new IllegalArgumentException("duration has no unit: " + EXPECTED + ", found '" + text + "'");
            default:
                throw new IllegalArgumentException(
                    "duration unit is unknown: " + EXPECTED + ", found '" + text + "'");
        }
    }
}
