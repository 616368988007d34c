package io.herz.window;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * Writes a double as ASCII into a byte array without allocating: the shortest decimal that reads back to the same
 * double (Raffaello Giulietti's Schubfach algorithm, the one {@link Double#toString(double)} uses since JDK 19), laid
 * out as {@link Double#toString(double)} lays it out: {@code NaN}, {@code Infinity}, {@code -0.0}, plain notation
 * with at least one fraction digit for {@code 10^-3 <= |v| < 10^7} ({@code 123.45}, {@code 0.001}), otherwise
 * computerized scientific notation ({@code 1.0E7}, {@code 4.9E-324}).
 * <p>
 * On JDK 19 and later the text equals {@link Double#toString(double)} for every double. Earlier JDKs use an older
 * algorithm that, for some doubles of magnitude 10^16 and above, writes more digits than needed
 * ({@code 8.409999999999999E21} for {@code 8.41E21}, {@code 2.82879384806159008E17}), and for some subnormals
 * ({@code 1.0E-323} for {@code 9.9E-324}) and powers of two with 10 or more digits ({@code 7.1202363472230444E-307}
 * for {@code 2^-1017}); otherwise from {@link Double#MIN_NORMAL} to below 10^16 it writes the shortest
 * decimal too (no difference in tens of millions of random doubles across that range, and {@code DoubleTextTest}
 * keeps checking). {@link #putLikeJdk} is therefore byte-identical to {@code Double.toString} of the running JDK: on
 * an older JDK it falls back to {@code Double.toString} (which allocates) for subnormals, those powers of two and
 * magnitudes of 10^16 and above.
 * <p>
 * Fast paths, each held to the Schubfach path and to {@code Double.toString} by {@code DoubleTextPropertyTest}:
 * integers below 2^53 are laid out from their own digits; doubles of plain layout ({@code 10^-3 <= |v| < 10^7}) that
 * are a decimal with at most 8 fraction digits (prices, the seed's values and most of their sums) are found with one
 * multiplication, {@code rint} and one division instead of Schubfach. Digits become ASCII eight at a time.
 */
public final class DoubleText
{
    /** Longest text written: {@code -2.2250738585072014E-308} is 24 bytes. */
    public static final int MAX_LENGTH = 24;

    private static final boolean SAME_AS_JDK = Runtime.version().feature() >= 19;
    /**
     * From {@link Double#MIN_NORMAL} to below this magnitude the pre-19 {@code Double.toString} writes the shortest
     * decimal too (measured, and kept under test by {@code DoubleTextTest}); at and above it, and for subnormals, it
     * sometimes writes other digits.
     */
    private static final double OLD_JDK_EXACT_BELOW = 1e16;
    private static final int P = 53;
    private static final int Q_MIN = -1074;
    private static final long C_MIN = 1L << (P - 1);
    private static final int BQ_MASK = 0x7FF;
    private static final long T_MASK = (1L << (P - 1)) - 1;
    private static final long C_TINY = 3;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    private static final long MASK_63 = (1L << 63) - 1;
    private static final long[] G = powersOfTen();
    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L };
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static
    {
        for (int d = 0; d < 100; d++)
        {
            TENS[d] = (byte)('0' + d / 10);
            ONES[d] = (byte)('0' + d % 10);
        }
    }

    /** The fast path: doubles of plain layout that are a decimal with at most this many fraction digits. */
    private static final double FEW_DECIMALS_SCALE = 1e8;
    /** Plain layout ({@code 0.001}) from here; times the scale at least 10^5. */
    private static final double FEW_DECIMALS_FROM = 1e-3;
    /** Plain layout below here; times the scale below 10^15: 15 digits at most, each decimal its own double. */
    private static final double FEW_DECIMALS_BELOW = 1e7;
    /** Digits a decimal is normalized to before it is laid out. */
    private static final int DIGITS = 17;
    /** Added to {@link #eightDigits}: '0' in every byte. */
    static final long ASCII_ZEROS = 0x3030_3030_3030_3030L;
    /** Bytes {@link #putDigits} may write after the digits. */
    static final int DIGITS_SLACK = 7;
    /** "0.000000" as a little-endian long. */
    private static final long ZERO_POINT_ZEROS = 0x3030_3030_3030_2E30L;
    /** Stores a long into a byte array, little-endian (one store, intrinsic). */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte[] NAN = { 'N', 'a', 'N' };
    private static final byte[] INFINITY = { 'I', 'n', 'f', 'i', 'n', 'i', 't', 'y' };

    /** Set by {@link #decimal}: the digits (may end in zeros) and exponent of the shortest decimal. */
    private long digits;
    private int exponent;
    /** Set by {@link #put}: the digits came from {@link #decimal}, not from an integer's own digits. */
    private boolean decimalWritten;
    /** Set by {@link #layOut}: the digits written, without trailing zeros. */
    private int significantDigits;

    /**
     * @return true where {@link #put} always equals {@link Double#toString(double)} (JDK 19 and later).
     */
    public static boolean isSameAsJdk()
    {
        return SAME_AS_JDK;
    }

    /**
     * Write the shortest decimal of {@code v}, laid out as {@link Double#toString(double)} does.
     *
     * @param v      the double.
     * @param dst    receives ASCII bytes; needs {@link #MAX_LENGTH} bytes from {@code offset}.
     * @param offset where to write.
     * @return the bytes written.
     */
    public int put(final double v, final byte[] dst, final int offset)
    {
        return put(v, dst, offset, true);
    }

    /**
     * {@link #put} with Schubfach for every finite non-zero double: no integer or few-decimals fast path; for tests
     * that hold the fast paths to it.
     */
    int putBySchubfach(final double v, final byte[] dst, final int offset)
    {
        return put(v, dst, offset, false);
    }

    private int put(final double v, final byte[] dst, final int offset, final boolean fastPaths)
    {
        final long bits = Double.doubleToRawLongBits(v);
        final long t = bits & T_MASK;
        decimalWritten = false;
        final int bq = (int)(bits >>> (P - 1)) & BQ_MASK;
        if (bq == BQ_MASK)
        {
            if (t != 0)
            {
                return copy(NAN, dst, offset);
            }
            int i = offset;
            if (bits < 0)
            {
                dst[i++] = '-';
            }
            return i - offset + copy(INFINITY, dst, i);
        }
        int i = offset;
        if (bits < 0)
        {
            dst[i++] = '-';
        }
        if (bq != 0)
        {
            final int mq = -Q_MIN + 1 - bq;
            final long c = C_MIN | t;
            if (fastPaths && 0 < mq && mq < P)
            {
                final long f = c >> mq;
                if (f << mq == c)
                {
                    return i - offset + layOut(f, 0, dst, i); // an integer below 2^53: its own digits
                }
            }
            final double magnitude = Math.abs(v);
            if (fastPaths && magnitude >= FEW_DECIMALS_FROM && magnitude < FEW_DECIMALS_BELOW)
            {
                // at most 8 decimals: the decimal n 10^-8 rounds to v (one correctly rounded division of exact
                // doubles says so) and has at most 15 digits, so no other decimal of 15 digits or fewer does; it is
                // the shortest, the one Schubfach finds
                final double scaled = Math.rint(magnitude * FEW_DECIMALS_SCALE);
                if (scaled / FEW_DECIMALS_SCALE == magnitude)
                {
                    decimalWritten = true;
                    return i - offset + layOutFewDecimals((long)scaled, dst, i);
                }
            }
            decimal(-mq, c, 0);
        }
        else if (t != 0)
        {
            if (t < C_TINY)
            {
                decimal(Q_MIN, 10 * t, -1);
            }
            else
            {
                decimal(Q_MIN, t, 0);
            }
        }
        else
        {
            dst[i] = '0';
            dst[i + 1] = '.';
            dst[i + 2] = '0';
            return i + 3 - offset;
        }
        decimalWritten = true;
        return i - offset + layOut(digits, exponent, dst, i);
    }

    /**
     * Write {@code v} exactly as {@link Double#toString(double)} of this JDK does: {@link #put} where that is
     * certain, {@code Double.toString} (which allocates) for the rare doubles an older JDK may write differently.
     *
     * @param v      the double.
     * @param dst    receives ASCII bytes; needs {@link #MAX_LENGTH} bytes from {@code offset}.
     * @param offset where to write.
     * @return the bytes written.
     */
    public int putLikeJdk(final double v, final byte[] dst, final int offset)
    {
        final double magnitude = Math.abs(v);
        if (SAME_AS_JDK || magnitude != magnitude)
        {
            return put(v, dst, offset);
        }
        if (magnitude < OLD_JDK_EXACT_BELOW && (magnitude >= Double.MIN_NORMAL || magnitude == 0))
        {
            final int length = put(v, dst, offset);
            // a power of two has an asymmetric rounding interval, where the old algorithm may write another digit (all powers of two are under test)
            final boolean powerOfTwo = (Double.doubleToRawLongBits(v) & T_MASK) == 0;
            if (!powerOfTwo || !decimalWritten || significantDigits < 10)
            {
                return length;
            }
        }
        final String text = Double.toString(v);
        final int length = text.length();
        for (int k = 0; k < length; k++)
        {
            dst[offset + k] = (byte)text.charAt(k);
        }
        return length;
    }

    private static int copy(final byte[] text, final byte[] dst, final int offset)
    {
        System.arraycopy(text, 0, dst, offset, text.length);
        return text.length;
    }

    /**
     * Schubfach: the shortest decimal in the rounding interval of {@code c 2^q}, the closest one if several.
     * Sets {@link #digits} and {@link #exponent}.
     */
    private void decimal(final int q, final long c, final int dk)
    {
        final int out = (int)c & 0x1;
        final long cb = c << 2;
        final long cbr = cb + 2;
        final long cbl;
        final int k;
        if (c != C_MIN || q == Q_MIN)
        {
            cbl = cb - 2;
            k = flog10pow2(q);
        }
        else
        {
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        }
        final int h = q + flog2pow10(-k) + 2;
        final int index = (k - K_MIN) << 1;
        final long g1 = G[index];
        final long g0 = G[index + 1];

        final long vb = rop(g1, g0, cb << h);
        final long vbl = rop(g1, g0, cbl << h);
        final long vbr = rop(g1, g0, cbr << h);

        final long s = vb >> 2;
        if (s >= 100)
        {
            final long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            final long tp10 = sp10 + 10;
            final boolean upin = vbl + out <= sp10 << 2;
            final boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin)
            {
                digits = upin ? sp10 : tp10;
                exponent = k;
                return;
            }
        }
        final long t = s + 1;
        final boolean uin = vbl + out <= s << 2;
        final boolean win = (t << 2) + out <= vbr;
        exponent = k + dk;
        if (uin != win)
        {
            digits = uin ? s : t;
            return;
        }
        final long cmp = vb - ((s + t) << 1);
        digits = cmp < 0 || cmp == 0 && (s & 0x1) == 0 ? s : t;
    }

    private static long rop(final long g1, final long g0, final long cp)
    {
        final long x1 = Math.multiplyHigh(g0, cp);
        final long y0 = g1 * cp;
        final long y1 = Math.multiplyHigh(g1, cp);
        final long z = (y0 >>> 1) + x1;
        final long vbp = y1 + (z >>> 63);
        return vbp | ((z & MASK_63) + MASK_63) >>> 63;
    }

    private static int flog10pow2(final int e)
    {
        return (int)(e * 661_971_961_083L >> 41);
    }

    private static int flog10threeQuartersPow2(final int e)
    {
        return (int)(e * 661_971_961_083L + -274_743_187_321L >> 41);
    }

    private static int flog2pow10(final int e)
    {
        return (int)(e * 913_124_641_741L >> 38);
    }

    /**
     * Lay out {@code value 10^e} as {@link Double#toString(double)} does, as JDK 19's {@code DoubleToDecimal} does:
     * the digits normalized to exactly 17 ({@code f}, so that {@code value 10^e = 0.f 10^exp}), split into one
     * digit and two blocks of eight, each block turned into eight ASCII bytes at once ({@link #eightDigits}) and
     * stored as one little-endian long; trailing zeros are not removed digit by digit but counted from the blocks and
     * left behind the returned length. Sets {@link #significantDigits}. Writes at most 24 bytes from {@code offset}
     * (the text, then scratch bytes of the blocks that the caller overwrites or ignores).
     *
     * @return bytes of the text.
     */
    private int layOut(final long value, final int e, final byte[] dst, final int offset)
    {
        long f = value;
        int len = digitLength(f);
        int exp = e + len;
        if (len > DIGITS)
        {
            f /= POW10[len - DIGITS]; // never in practice: only zeros go (Schubfach's digits have at most 17 digits)
            len = DIGITS;
        }
        f *= POW10[DIGITS - len];
        // f / 10^8 and (f / 10^8) / 10^8 by multiplication, as in JDK 19's DoubleToDecimal.toChars
        final long hm = Math.multiplyHigh(f, 193_428_131_138_340_668L) >>> 20;
        final int l = (int)(f - 100_000_000L * hm);
        final int h = (int)(hm * 1_441_151_881L >>> 57);
        final int m = (int)(hm - 100_000_000L * h);
        final long middle = eightDigits(m);
        final long low = eightDigits(l);
        final int lowZeros = Long.numberOfLeadingZeros(low) >>> 3; // trailing zero digits: the high bytes are zero
        final int n = lowZeros < 8 ? DIGITS - lowZeros : 9 - (Long.numberOfLeadingZeros(middle) >>> 3);
        significantDigits = n;
        final long middleText = middle + ASCII_ZEROS;
        final long lowText = low + ASCII_ZEROS;
        final int i = offset;
        if (0 < exp && exp <= 7)
        {
            // 1 <= |v| < 10^7: exp integer digits, the point, at least one fraction digit
            final int shift = (exp - 1) << 3;
            final long integerMask = (1L << shift) - 1;
            dst[i] = (byte)('0' + h);
            LONGS.set(dst, i + 1, (middleText & integerMask) | ((long)'.' << shift) | ((middleText & ~integerMask) << 8));
            dst[i + 9] = (byte)(middleText >>> 56);
            LONGS.set(dst, i + 10, lowText);
            return n <= exp ? exp + 2 : n + 1;
        }
        if (-3 < exp && exp <= 0)
        {
            // 10^-3 <= |v| < 1: "0.", -exp zeros, the digits
            LONGS.set(dst, i, ZERO_POINT_ZEROS);
            final int p = i + 2 - exp;
            dst[p] = (byte)('0' + h);
            LONGS.set(dst, p + 1, middleText);
            LONGS.set(dst, p + 9, lowText);
            return 2 - exp + n;
        }
        dst[i] = (byte)('0' + h);
        dst[i + 1] = '.';
        LONGS.set(dst, i + 2, middleText);
        LONGS.set(dst, i + 10, lowText);
        int k = i + (n == 1 ? 3 : n + 1); // one digit: "d.0", the '0' is the first of the middle block
        dst[k++] = 'E';
        int x = exp - 1;
        if (x < 0)
        {
            dst[k++] = '-';
            x = -x;
        }
        if (x >= 100)
        {
            dst[k++] = (byte)('0' + x / 100);
            x %= 100;
            dst[k++] = TENS[x];
            dst[k++] = ONES[x];
        }
        else if (x >= 10)
        {
            dst[k++] = TENS[x];
            dst[k++] = ONES[x];
        }
        else
        {
            dst[k++] = (byte)('0' + x);
        }
        return k - offset;
    }

    /**
     * Lay out {@code n 10^-8} for {@code 10^-3 <= n 10^-8 < 10^7} as {@link #layOut} would, more directly: the
     * integer part's digits (at most 7, or "0"), the point, the eight fraction digits as one block without its
     * trailing zeros (one digit at least). Sets {@link #significantDigits}. Writes at most 17 bytes from
     * {@code offset}.
     *
     * @return bytes of the text.
     */
    private int layOutFewDecimals(final long n, final byte[] dst, final int offset)
    {
        final int integer = (int)(n / 100_000_000L);
        final long fraction = eightDigits((int)(n - integer * 100_000_000L));
        final int fractionZeros = Long.numberOfLeadingZeros(fraction) >>> 3; // 8 when the fraction is 0
        final int integerDigits = digitLength(integer);
        LONGS.set(dst, offset, (eightDigits(integer) + ASCII_ZEROS) >>> ((8 - integerDigits) << 3));
        final int point = offset + integerDigits;
        dst[point] = '.';
        LONGS.set(dst, point + 1, fraction + ASCII_ZEROS);
        if (integer != 0)
        {
            significantDigits = integerDigits + 8 - fractionZeros;
        }
        else
        {
            significantDigits = 8 - fractionZeros - (Long.numberOfTrailingZeros(fraction) >>> 3);
        }
        return integerDigits + 1 + (fractionZeros == 8 ? 1 : 8 - fractionZeros);
    }

    /**
     * The eight decimal digits of {@code value} (leading zeros included) as ASCII-less digit values, one per byte,
     * the most significant in the lowest byte: stored little-endian and with {@link #ASCII_ZEROS} added, they read
     * as the text. Four lanes at once (Paul Khuong's and Daniel Lemire's method): split into two blocks of four
     * digits, each into two of two, each into two digits, by multiplications and shifts.
     *
     * @param value from 0 to 99,999,999.
     * @return the digit values, byte 0 the most significant.
     */
    static long eightDigits(final int value)
    {
        final int high = value / 10_000;
        final long merged = high | ((long)(value - high * 10_000) << 32);
        final long hundreds = ((merged * 10_486L) >>> 20) & ((0x7FL << 32) | 0x7FL); // each lane / 100
        final long pairs = ((merged - 100L * hundreds) << 16) + hundreds;
        final long tens = ((pairs * 103L) >>> 10) & ((0xFL << 48) | (0xFL << 32) | (0xFL << 16) | 0xFL); // / 10
        return tens + ((pairs - 10L * tens) << 8);
    }

    /**
     * Write the {@code n} decimal digits of {@code f} from {@code offset}, eight at a time ({@link #eightDigits}, one
     * long store each). May write up to {@value #DIGITS_SLACK} scratch bytes after the digits (at most
     * {@code max(n, 8)} bytes from {@code offset} in all): the caller writes over them or ignores them.
     *
     * @param f      at least 0.
     * @param n      the digits of {@code f}, {@link #digitLength} (more writes leading zeros), at most 19.
     * @param dst    receives ASCII digits.
     * @param offset where the first digit goes.
     * @return the position after the digits.
     */
    static int putDigits(final long f, final int n, final byte[] dst, final int offset)
    {
        final int end = offset + n;
        if (n <= 8)
        {
            LONGS.set(dst, offset, (eightDigits((int)f) + ASCII_ZEROS) >>> ((8 - n) << 3));
            return end;
        }
        final long high = f / 100_000_000L;
        final int low = (int)(f - high * 100_000_000L);
        if (n <= 16)
        {
            LONGS.set(dst, offset, (eightDigits((int)high) + ASCII_ZEROS) >>> ((16 - n) << 3));
        }
        else
        {
            final long top = high / 100_000_000L;
            LONGS.set(dst, offset, (eightDigits((int)top) + ASCII_ZEROS) >>> ((24 - n) << 3));
            LONGS.set(dst, end - 16, eightDigits((int)(high - top * 100_000_000L)) + ASCII_ZEROS);
        }
        LONGS.set(dst, end - 8, eightDigits(low) + ASCII_ZEROS);
        return end;
    }

    /**
     * @return the number of decimal digits of {@code f}, which is at least 0 (1 for 0).
     */
    static int digitLength(final long f)
    {
        if (f < 10)
        {
            return 1;
        }
        final int n = flog10pow2(Long.SIZE - Long.numberOfLeadingZeros(f));
        return n < POW10.length && f >= POW10[n] ? n + 1 : n;
    }

    /**
     * {@code g = floor(10^-k 2^-r) + 1} with {@code 2^125 <= 10^-k 2^-r < 2^126}, split as {@code g1 2^63 + g0},
     * for every k from {@value #K_MIN} to {@value #K_MAX}; computed once with exact integers.
     */
    private static long[] powersOfTen()
    {
        final long[] g = new long[(K_MAX - K_MIN + 1) << 1];
        final BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
        for (int k = K_MIN; k <= K_MAX; k++)
        {
            final int e = -k;
            final BigInteger beta;
            if (e >= 0)
            {
                final BigInteger pow = BigInteger.TEN.pow(e);
                final int r = pow.bitLength() - 1 - 125;
                beta = r >= 0 ? pow.shiftRight(r) : pow.shiftLeft(-r);
                check(r == flog2pow10(e) - 125, k);
            }
            else
            {
                final BigInteger pow = BigInteger.TEN.pow(-e);
                final int r = -pow.bitLength() - 125; // floor(log2(10^e)) = -bitLength(10^-e): not a power of two
                beta = BigInteger.ONE.shiftLeft(-r).divide(pow);
                check(r == flog2pow10(e) - 125, k);
            }
            final BigInteger gk = beta.add(BigInteger.ONE);
            final int index = (k - K_MIN) << 1;
            g[index] = gk.shiftRight(63).longValueExact();
            g[index + 1] = gk.and(mask63).longValue();
        }
        return g;
    }

    private static void check(final boolean condition, final int k)
    {
        if (!condition)
        {
            throw new IllegalStateException("power of ten table inconsistent: k=" + k);
        }
    }
}
