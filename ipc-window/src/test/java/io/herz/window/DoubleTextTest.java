package io.herz.window;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DoubleText} against {@link Double#toString(double)} of the running JDK, byte for byte, over random doubles
 * of every kind and over the edges (subnormals, powers of ten and two, integers around 2^53, NaN, infinities,
 * -0.0); on JDK 19 and later also the shortest writer {@link DoubleText#put} itself.
 */
@Timeout(120)
class DoubleTextTest
{
    private final DoubleText text = new DoubleText();
    private final byte[] buffer = new byte[64];

    @Test
    void shouldWriteWhatDoubleToStringWritesWhenDoublesAreEdges()
    {
        final double[] edges = {
            0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE,
            1.0, -1.0, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 100.0, 1e-3, Math.nextDown(1e-3), 1e7, Math.nextDown(1e7),
            9007199254740991.0, 9007199254740992.0, 9007199254740994.0, 1e16, Math.nextDown(1e16), 1e23, 8.41e21,
            2.82879384806159e17, 5e-324, 1e-323, 2.2250738585072014E-308, 4.35e-321, 123456.789, 0.001234 };
        for (final double v : edges)
        {
            assertLikeJdk(v);
        }
        for (int e = -325; e <= 309; e++)
        {
            final double power = Double.parseDouble("1e" + e);
            assertLikeJdk(power);
            assertLikeJdk(Math.nextUp(power));
            assertLikeJdk(Math.nextDown(power));
            assertLikeJdk(-power);
        }
        for (int e = -1074; e <= 1023; e++)
        {
            assertLikeJdk(Math.scalb(1.0, e));
        }
    }

    @Test
    void shouldWriteWhatDoubleToStringWritesWhenDoublesAreRandom()
    {
        final SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 600_000; i++)
        {
            final double v;
            switch (i % 6)
            {
                case 0 -> v = Double.longBitsToDouble(random.nextLong()); // every exponent, NaN payloads too
                case 1 -> v = Math.round(random.nextDouble() * 1e6) / 100.0; // the seed's values
                case 2 -> v = random.nextDouble() * Math.pow(10, random.nextInt(44) - 22);
                case 3 -> v = Double.longBitsToDouble(random.nextLong(1L << 52)); // subnormals
                case 4 -> v = (random.nextInt(100_000) / 100.0) / (1 + random.nextInt(50)); // means
                default -> v = (double)(random.nextLong() >> random.nextInt(64)); // integers, around 2^53 too
            }
            assertLikeJdk(v);
        }
    }

    @Test
    void shouldWriteTheShortestDigitsWhenJdkIsNineteenOrLater()
    {
        if (!DoubleText.isSameAsJdk())
        {
            return; // covered by putLikeJdk on this JDK; the shortest writer itself is checked on JDK 19+
        }
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++)
        {
            final double v = Double.longBitsToDouble(random.nextLong());
            final int length = text.put(v, buffer, 0);
            assertEquals(Double.toString(v), new String(buffer, 0, length, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldReadBackToTheSameDoubleWhenWrittenShortest()
    {
        final SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 200_000; i++)
        {
            final double v = Double.longBitsToDouble(random.nextLong());
            final int length = text.put(v, buffer, 0);
            final String written = new String(buffer, 0, length, StandardCharsets.US_ASCII);
            assertTrue(length <= DoubleText.MAX_LENGTH, written);
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(Double.parseDouble(written)), written);
        }
    }

    private void assertLikeJdk(final double v)
    {
        final int length = text.putLikeJdk(v, buffer, 0);
        assertEquals(Double.toString(v), new String(buffer, 0, length, StandardCharsets.US_ASCII),
            () -> "bits=" + Long.toHexString(Double.doubleToRawLongBits(v)));
    }
}
