package io.herz.window;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Properties of {@link DoubleText}'s and {@link CsvRowWriter}'s fast paths over generated values: each one against
 * {@link Double#toString(double)} / {@link Long#toString(long)} of the running JDK, byte for byte, and the doubles'
 * fast paths (integers, at most 8 decimals) also against the Schubfach path itself ({@link DoubleText#putBySchubfach}),
 * so on JDK 17 too they are shown to be the shortest decimal. The writers write into a buffer filled with a marker
 * byte, and no byte beyond the documented limit ({@link DoubleText#MAX_LENGTH}, the digits' scratch bytes) may change.
 */
class DoubleTextPropertyTest
{
    private static final double[] POW10 = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12 };

    private final DoubleText text = new DoubleText();
    private final DoubleText reference = new DoubleText();
    private final byte[] buffer = new byte[64];
    private final byte[] schubfach = new byte[64];

    @Property(tries = 20_000)
    void shouldWriteWhatDoubleToStringWritesWhenDoubleHasFewDecimals(
        @ForAll @LongRange(min = 0, max = 999_999_999_999_999L) final long digits,
        @ForAll @IntRange(min = 0, max = 12) final int decimals,
        @ForAll final boolean negative)
    {
        final double v = (negative ? -digits : digits) / POW10[decimals];

        assertSameAsJdkAndSchubfach(v);
    }

    @Property(tries = 20_000)
    void shouldWriteWhatDoubleToStringWritesWhenDoubleIsTheSeedsKind(
        @ForAll @IntRange(min = 0, max = 10_000_000) final int cents,
        @ForAll @IntRange(min = 1, max = 50) final int count,
        @ForAll @IntRange(min = 1, max = 50) final int terms)
    {
        double sum = 0;
        for (int i = 0; i < terms; i++)
        {
            sum += (cents + 7919 * i) % 100_000 / 100.0;
        }

        assertSameAsJdkAndSchubfach(cents / 100.0);
        assertSameAsJdkAndSchubfach(sum);
        assertSameAsJdkAndSchubfach(sum / count);
    }

    @Property(tries = 20_000)
    void shouldWriteWhatDoubleToStringWritesWhenBitsAreAny(@ForAll final long bits)
    {
        assertLikeJdk(Double.longBitsToDouble(bits));
    }

    @Property(tries = 10_000)
    void shouldWriteWhatDoubleToStringWritesWhenDoubleIsAnEdge(@ForAll("edges") final double v)
    {
        assertLikeJdk(v);
        final int length = text.put(v, buffer, 0);
        assertEquals(Double.doubleToLongBits(v),
            Double.doubleToLongBits(Double.parseDouble(new String(buffer, 0, length, StandardCharsets.US_ASCII))));
    }

    @Property(tries = 10_000)
    void shouldWriteWhatLongToStringWritesWhenLongIsAny(@ForAll("longs") final long value)
    {
        fill(buffer);
        final int end = CsvRowWriter.putLong(buffer, 3, value);

        assertEquals(Long.toString(value), new String(buffer, 3, end - 3, StandardCharsets.US_ASCII));
        assertEquals((byte)'#', buffer[2], "byte before the digits");
        if (value >= 0)
        {
            final int n = DoubleText.digitLength(value);
            assertEquals(Long.toString(value).length(), n);
            fill(buffer);
            assertEquals(3 + n + 2, DoubleText.putDigits(value, n + 2, buffer, 3));
            assertEquals("00" + value, new String(buffer, 3, n + 2, StandardCharsets.US_ASCII), "with leading zeros");
            for (int k = 3 + Math.max(n + 2, 8); k < buffer.length; k++)
            {
                assertEquals((byte)'#', buffer[k], "byte " + k + " after the digits and their scratch bytes");
            }
        }
    }

    @Property(tries = 10_000)
    void shouldWriteWhatWindowCsvWritesWhenTimeIsAny(@ForAll("times") final long timeNs)
    {
        final int end = CsvRowWriter.putEpochMs(buffer, 0, timeNs);

        assertEquals(WindowCsv.appendEpochMs(new StringBuilder(), timeNs).toString(),
            new String(buffer, 0, end, StandardCharsets.US_ASCII));
    }

    @Property(tries = 10_000)
    void shouldTellPlainKeysWhenKeyHoldsAnyBytes(@ForAll("keys") final byte[] key)
    {
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[key.length + 5]);
        keyBuffer.putBytes(5, key);
        boolean plain = true;
        for (final byte c : key)
        {
            plain &= ',' != c && '"' != c && '\n' != c && '\r' != c && c >= 0;
        }

        assertEquals(plain, CsvRowWriter.isPlain(keyBuffer, 5, key.length));
    }

    @Provide
    Arbitrary<Double> edges()
    {
        final Arbitrary<Double> base = Arbitraries.oneOf(
            Arbitraries.integers().between(-1074, 1023).map(e -> Math.scalb(1.0, e)), // powers of two
            Arbitraries.integers().between(-324, 308).map(e -> Double.parseDouble("1e" + e)), // powers of ten
            Arbitraries.longs().between(0, (1L << 52) - 1).map(Double::longBitsToDouble), // subnormals
            Arbitraries.longs().map(l -> (double)l), // integers, beyond 2^53 too
            Arbitraries.doubles().between(1e16, 1e23), // where JDK 17 writes other digits than the shortest
            Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1e-3, 1e7, 9007199254740992.0));
        return Combinators.combine(base, Arbitraries.integers().between(-3, 3), Arbitraries.of(true, false))
            .as((v, ulps, negative) ->
            {
                double d = v;
                for (int i = 0; i < Math.abs(ulps); i++)
                {
                    d = ulps < 0 ? Math.nextDown(d) : Math.nextUp(d);
                }
                return negative ? -d : d;
            });
    }

    @Provide
    Arbitrary<Long> longs()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.integers().between(0, 18).flatMap(n -> Arbitraries.longs().between(-pow10(n), pow10(n))),
            Arbitraries.of(0L, 1L, 9L, 10L, 99_999_999L, 100_000_000L, 9_999_999_999_999_999L,
                10_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
    }

    @Provide
    Arbitrary<Long> times()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(1_600_000_000_000L, 1_900_000_000_000L).map(ms -> ms * 1_000_000L),
            Arbitraries.longs().between(1_600_000_000_000_000_000L, 1_900_000_000_000_000_000L),
            Arbitraries.longs().between(-10_000_000L, 10_000_000L));
    }

    @Provide
    Arbitrary<byte[]> keys()
    {
        final Arbitrary<Byte> plain = Arbitraries.bytes().between((byte)0, (byte)127)
            .filter(b -> ',' != b && '"' != b && '\n' != b && '\r' != b);
        final Arbitrary<Byte> special = Arbitraries.of((byte)',', (byte)'"', (byte)'\n', (byte)'\r', (byte)-1,
            (byte)0x80, (byte)0xAC, (byte)0xA2);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, plain),
                net.jqwik.api.Tuple.of(1, special))
            .array(byte[].class).ofMinSize(0).ofMaxSize(KeyTable.MAX_KEY_LENGTH);
    }

    private static long pow10(final int n)
    {
        long p = 1;
        for (int i = 0; i < n; i++)
        {
            p *= 10;
        }
        return p;
    }

    private static void fill(final byte[] b)
    {
        java.util.Arrays.fill(b, (byte)'#');
    }

    private void assertSameAsJdkAndSchubfach(final double v)
    {
        assertLikeJdk(v);
        final int length = text.put(v, buffer, 0);
        final int expectedLength = reference.putBySchubfach(v, schubfach, 0);
        assertEquals(new String(schubfach, 0, expectedLength, StandardCharsets.US_ASCII),
            new String(buffer, 0, length, StandardCharsets.US_ASCII), () -> "fast path against Schubfach, bits=" +
            Long.toHexString(Double.doubleToRawLongBits(v)));
    }

    private void assertLikeJdk(final double v)
    {
        fill(buffer);
        final int length = text.putLikeJdk(v, buffer, 0);
        assertEquals(Double.toString(v), new String(buffer, 0, length, StandardCharsets.US_ASCII),
            () -> "bits=" + Long.toHexString(Double.doubleToRawLongBits(v)));
        for (int k = DoubleText.MAX_LENGTH; k < buffer.length; k++)
        {
            assertEquals((byte)'#', buffer[k], "byte " + k + " beyond MAX_LENGTH");
        }
    }
}
