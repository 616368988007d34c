package io.herz.codec.json;

import org.agrona.UnsafeApi;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link SwarLineParser}: reads a good line of the common shape straight from the projector's read
 * buffer, finding its newline as the parse reaches the end of the object (no separate newline pass), in one method
 * over locals, eight bytes at a time, and either accepts it with the three projected values or gives up
 * ({@link #BAIL}) without any verdict. A line it gives up on is read again by {@link SwarLineParser}, which decides
 * every bad-line reason and message, so this class never reports anything: it only accepts lines that
 * {@link SwarLineParser} accepts, with the same values.
 * <p>
 * What it accepts: one object on one line ending with {@code \n}, spaces, tabs and carriage returns between tokens;
 * field names without escapes, matched against the projected names by length and their first eight bytes as one
 * {@code long} (then the rest, for names over eight bytes); a string key of printable ASCII without escapes, or a
 * number key; an event time of at most 18 digits without fraction or exponent that fits in nanoseconds; a value with
 * at most 18 digits in all, a mantissa of at most 2^53 and a decimal exponent (fraction and exponent together) within
 * &plusmn;22, one exact IEEE operation as in {@link SwarLineParser}; any other field (strings with escapes and
 * non-ASCII bytes, numbers, literals, arrays and objects within the depth limit) checked and skipped. A non-ASCII byte
 * anywhere makes it check the line as UTF-8 before it accepts. Anything else (an escaped name or key, a long or
 * exponent number, a missing or duplicate field, any syntax error, a line longer than the maximum, a line not
 * complete in the buffer) gives up.
 * <p>
 * Reads eight bytes at a time without bounds checks: {@link #parse} gives up unless the array holds eight bytes
 * past {@code end}, which the projector keeps free. Bytes at or past {@code end} never decide anything. Not
 * thread-safe; allocates nothing.
 */
final class SwarFastPath
{
    /** Returned by {@link #parse} when it gives up on a line. */
    static final int BAIL = -1;
    /** Bytes {@link #parse} needs in the array past {@code end}. */
    static final int PADDING = 8;

    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long ZEROS = 0x3030303030303030L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    /** Added to (byte ^ '0'): the high bit ends up set exactly for bytes that are not digits (lowest one exact). */
    private static final long NOT_DIGIT = 0x7676767676767676L;
    private static final int TRUE = 't' | 'r' << 8 | 'u' << 16 | 'e' << 24;
    private static final int NULL = 'n' | 'u' << 8 | 'l' << 16 | 'l' << 24;
    private static final int ALSE = 'a' | 'l' << 8 | 's' << 16 | 'e' << 24;
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final int MAX_DIGITS = 18;
    private static final long[] LONG_POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L };
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22 };

    private final long tsWord;
    private final long keyWord;
    private final long valueWord;
    private final long tsMask;
    private final long keyMask;
    private final long valueMask;
    private final byte[] tsName;
    private final byte[] keyName;
    private final byte[] valueName;
    private final long tsMultiplier;
    private final int depthLimit;
    private final int maxLineLength;

    /** Set by {@link #parse} on success: event time in nanoseconds. */
    long eventTimeNs;
    /** Set by {@link #parse} on success: the key's offset in the array parsed. */
    int keyOffset;
    /** Set by {@link #parse} on success: the key's length, 0..32. */
    int keyLength;
    /** Set by {@link #parse} on success: the value, finite. */
    double value;

    /** Set while parsing: a byte above 0x7F was seen, so the line must be checked as UTF-8 before it is accepted. */
    private boolean nonAscii;
    /** Set by {@link #longValue}, {@link #doubleValue}. */
    private long longResult;
    private double doubleResult;

    SwarFastPath(final JsonProjectionConfig config)
    {
        this.tsName = config.tsField().getBytes(StandardCharsets.UTF_8);
        this.keyName = config.keyField().getBytes(StandardCharsets.UTF_8);
        this.valueName = config.valueField().getBytes(StandardCharsets.UTF_8);
        this.tsWord = firstWord(tsName);
        this.keyWord = firstWord(keyName);
        this.valueWord = firstWord(valueName);
        this.tsMask = firstMask(tsName);
        this.keyMask = firstMask(keyName);
        this.valueMask = firstMask(valueName);
        this.tsMultiplier = config.tsUnit().toNanos(1);
        this.depthLimit = config.maxNestingDepth() - 1; // the line's own object is level 1
        this.maxLineLength = config.maxLineLength();
    }

    /**
     * Read the line that starts at {@code start}, up to its newline, if it is a good line of the common shape.
     *
     * @param b     the read buffer; must hold {@link #PADDING} bytes past {@code end}, or this gives up.
     * @param start of the line.
     * @param end   of the bytes read; the line's newline must come before it.
     * @return the position after the line's newline with {@link #eventTimeNs}, {@link #keyOffset},
     * {@link #keyLength} and {@link #value} set, or {@link #BAIL}.
     */
    int parse(final byte[] b, final int start, final int end)
    {
        if (start < 0 || end > b.length - PADDING)
        {
            return BAIL;
        }
        nonAscii = false;
        int i = skipSpaces(b, start, end);
        if (i >= end || b[i] != '{')
        {
            return BAIL;
        }
        int seen = 0;
        long ts = 0;
        double v = 0;
        int kOffset = 0;
        int kLength = 0;
        i = skipSpaces(b, i + 1, end);
        while (true)
        {
            if (i >= end || b[i] != '"')
            {
                return BAIL; // also {}: fields missing
            }
            final int nameStart = i + 1;
            // A name of up to seven ASCII bytes ends in its first word: one load for finding its end and matching it
            final long first = word(b, nameStart); // nameStart <= end: within the padding
            final long flags = stringFlags(first);
            final int quote = nameStart + (Long.numberOfTrailingZeros(flags) >>> 3);
            final int nameEnd = flags != 0 && quote < end && b[quote] == '"' ? quote : nameEnd(b, nameStart, end);
            if (nameEnd < 0)
            {
                return BAIL;
            }
            final int field = field(first, b, nameStart, nameEnd - nameStart);
            i = nameEnd + 1;
            if (i >= end || b[i] != ':') // the common "name":value without spaces tested first
            {
                i = skipSpaces(b, i, end);
                if (i >= end || b[i] != ':')
                {
                    return BAIL;
                }
            }
            i = skipSpaces(b, i + 1, end);
            if (i >= end)
            {
                return BAIL;
            }
            if (field == LineParser.NO_FIELD)
            {
                i = skipValue(b, i, end);
            }
            else
            {
                final int bit = 1 << field;
                if ((seen & bit) != 0)
                {
                    return BAIL;
                }
                seen |= bit;
                final byte c = b[i];
                if (field == LineParser.KEY)
                {
                    final int from = c == '"' ? i + 1 : i;
                    final int to = c == '"' ? keyEnd(b, from, end) : numberEnd(b, i, end);
                    if (to < 0 || to - from > LineParser.MAX_KEY_LENGTH)
                    {
                        return BAIL;
                    }
                    kOffset = from;
                    kLength = to - from;
                    i = c == '"' ? to + 1 : to;
                }
                else if (field == LineParser.TS)
                {
                    i = longValue(b, i, end);
                    ts = longResult;
                }
                else
                {
                    i = doubleValue(b, i, end);
                    v = doubleResult;
                }
            }
            if (i < 0)
            {
                return BAIL;
            }
            if (i >= end || b[i] != ',')
            {
                i = skipSpaces(b, i, end);
                if (i >= end)
                {
                    return BAIL;
                }
            }
            final byte c = b[i];
            if (c == ',')
            {
                i = skipSpaces(b, i + 1, end);
                continue;
            }
            if (c != '}')
            {
                return BAIL;
            }
            return finish(b, start, skipSpaces(b, i + 1, end), end, seen, ts, kOffset, kLength, v);
        }
    }

    private int finish(
        final byte[] b, final int start, final int newline, final int end, final int seen, final long ts,
        final int kOffset, final int kLength, final double v)
    {
        if (newline >= end || b[newline] != '\n' || seen != LineParser.ALL_FIELDS)
        {
            return BAIL;
        }
        final int length = b[newline - 1] == '\r' ? newline - 1 - start : newline - start;
        if (length > maxLineLength || ts > Long.MAX_VALUE / tsMultiplier || ts < Long.MIN_VALUE / tsMultiplier)
        {
            return BAIL;
        }
        if (nonAscii && Utf8.indexOfInvalid(b, start, length) >= 0)
        {
            return BAIL;
        }
        eventTimeNs = ts * tsMultiplier;
        keyOffset = kOffset;
        keyLength = kLength;
        value = v;
        return newline + 1;
    }

    /**
     * @param first the name's first eight bytes (bytes past its end included).
     * @return which projected field the name {@code b[from, from + length)} is, or {@link LineParser#NO_FIELD}.
     */
    private int field(final long first, final byte[] b, final int from, final int length)
    {
        if (length == tsName.length && (first & tsMask) == tsWord && sameTail(b, from, tsName))
        {
            return LineParser.TS;
        }
        if (length == keyName.length && (first & keyMask) == keyWord && sameTail(b, from, keyName))
        {
            return LineParser.KEY;
        }
        if (length == valueName.length && (first & valueMask) == valueWord && sameTail(b, from, valueName))
        {
            return LineParser.VALUE;
        }
        return LineParser.NO_FIELD;
    }

    private static boolean sameTail(final byte[] b, final int from, final byte[] name)
    {
        for (int k = 8; k < name.length; k++)
        {
            if (b[from + k] != name[k])
            {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(final byte[] b, final int from, final int end)
    {
        int i = from;
        while (i < end)
        {
            final byte c = b[i];
            if (c > ' ' || (c != ' ' && c != '\t' && c != '\r')) // one compare for the usual byte after a token
            {
                return i;
            }
            i++;
        }
        return i;
    }

    /**
     * @return the first byte of {@code word} that is a quote, a backslash, below 0x20 or above 0x7F, as a bit
     * {@code 8 * n + 7}, or 0 if none.
     */
    private static long stringFlags(final long word)
    {
        final long quotes = word ^ QUOTES;
        final long backslashes = word ^ BACKSLASHES;
        // Lowest flagged byte exact (borrows only flag bytes above a real one).
        return ((quotes - ONES) & ~quotes | (backslashes - ONES) & ~backslashes | (word - SPACES) | word) & HIGH_BITS;
    }

    /**
     * A field name from after its quote: no escapes, no control characters (non-ASCII noted).
     *
     * @return the position of the closing quote, or {@link #BAIL}.
     */
    private int nameEnd(final byte[] b, final int from, final int end)
    {
        int i = from;
        while (i < end)
        {
            final long flags = stringFlags(word(b, i));
            if (flags == 0)
            {
                i += 8;
                continue;
            }
            i += Long.numberOfTrailingZeros(flags) >>> 3;
            if (i >= end)
            {
                return BAIL;
            }
            final byte c = b[i];
            if (c == '"')
            {
                return i;
            }
            if (c >= 0)
            {
                return BAIL; // an escape or a control character
            }
            nonAscii = true;
            i++;
        }
        return BAIL;
    }

    /**
     * A key string from after its quote: printable ASCII only.
     *
     * @return the position of the closing quote, or {@link #BAIL}.
     */
    private static int keyEnd(final byte[] b, final int from, final int end)
    {
        int i = from;
        while (i < end)
        {
            final long flags = stringFlags(word(b, i));
            if (flags == 0)
            {
                i += 8;
                continue;
            }
            i += Long.numberOfTrailingZeros(flags) >>> 3;
            return i < end && b[i] == '"' ? i : BAIL;
        }
        return BAIL;
    }

    /**
     * A string to skip, from after its quote: JSON's escapes, no control characters (non-ASCII noted).
     *
     * @return the position of the closing quote, or {@link #BAIL}.
     */
    private int stringEnd(final byte[] b, final int from, final int end)
    {
        int i = from;
        while (i < end)
        {
            final long flags = stringFlags(word(b, i));
            if (flags == 0)
            {
                i += 8;
                continue;
            }
            i += Long.numberOfTrailingZeros(flags) >>> 3;
            if (i >= end)
            {
                return BAIL;
            }
            final byte c = b[i];
            if (c == '"')
            {
                return i;
            }
            if (c == '\\')
            {
                i = escapeEnd(b, i, end);
                if (i < 0)
                {
                    return BAIL;
                }
                continue;
            }
            if (c >= 0)
            {
                return BAIL; // a control character
            }
            nonAscii = true;
            i++;
        }
        return BAIL;
    }

    private static int escapeEnd(final byte[] b, final int backslash, final int end)
    {
        if (backslash + 1 >= end)
        {
            return BAIL;
        }
        final byte e = b[backslash + 1];
        if (e == 'u')
        {
            return backslash + 6 <= end && isHex(b[backslash + 2]) && isHex(b[backslash + 3]) &&
                isHex(b[backslash + 4]) && isHex(b[backslash + 5]) ? backslash + 6 : BAIL;
        }
        return e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't' ?
            backslash + 2 : BAIL;
    }

    private static boolean isHex(final byte h)
    {
        return (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
    }

    /**
     * Skip the value whose first byte is at {@code from} (before {@code end}), within the depth limit.
     *
     * @return the position after it, or {@link #BAIL}.
     */
    private int skipValue(final byte[] b, final int from, final int end)
    {
        final byte c = b[from];
        if (c == '{' || c == '[')
        {
            return skipNested(b, from, end);
        }
        return skipScalar(b, from, end);
    }

    private int skipScalar(final byte[] b, final int i, final int end)
    {
        final byte c = b[i];
        if (c == '"')
        {
            final int close = stringEnd(b, i + 1, end);
            return close < 0 ? BAIL : close + 1;
        }
        if (c == '-' || (c >= '0' && c <= '9'))
        {
            return numberEnd(b, i, end);
        }
        final int four = (int)word(b, i);
        if (four == TRUE || four == NULL)
        {
            return i + 4 < end ? i + 4 : BAIL;
        }
        if (c == 'f' && (int)word(b, i + 1) == ALSE)
        {
            return i + 5 < end ? i + 5 : BAIL;
        }
        return BAIL;
    }

    /**
     * Skip an array or object from its bracket at {@code from}, iteratively, as {@link SwarLineParser} does.
     */
    private int skipNested(final byte[] b, final int from, final int end)
    {
        final int limit = depthLimit;
        long kinds = 0;
        int level = 0;
        int i = from;
        while (true)
        {
            // i is at the first byte of a value, before end
            final byte c = b[i];
            if (c == '{' || c == '[')
            {
                if (level == limit)
                {
                    return BAIL;
                }
                final boolean object = c == '{';
                kinds = (kinds << 1) | (object ? 1 : 0);
                level++;
                i = skipSpaces(b, i + 1, end);
                if (i >= end)
                {
                    return BAIL;
                }
                if (b[i] == (object ? '}' : ']'))
                {
                    kinds >>>= 1;
                    level--;
                    i++;
                }
                else
                {
                    i = object ? skipName(b, i, end) : i;
                    if (i < 0)
                    {
                        return BAIL;
                    }
                    continue;
                }
            }
            else
            {
                i = skipScalar(b, i, end);
                if (i < 0)
                {
                    return BAIL;
                }
            }
            while (true)
            {
                if (level == 0)
                {
                    return i;
                }
                final boolean object = (kinds & 1) != 0;
                i = skipSpaces(b, i, end);
                if (i >= end)
                {
                    return BAIL;
                }
                if (b[i] == ',')
                {
                    i = skipSpaces(b, i + 1, end);
                    if (i >= end)
                    {
                        return BAIL;
                    }
                    i = object ? skipName(b, i, end) : i;
                    if (i < 0)
                    {
                        return BAIL;
                    }
                    break;
                }
                if (b[i] != (object ? '}' : ']'))
                {
                    return BAIL;
                }
                kinds >>>= 1;
                level--;
                i++;
            }
        }
    }

    /**
     * Skip {@code "name" :} from {@code i} to the first byte of the value after it.
     */
    private int skipName(final byte[] b, final int i, final int end)
    {
        if (b[i] != '"')
        {
            return BAIL;
        }
        final int close = stringEnd(b, i + 1, end);
        if (close < 0)
        {
            return BAIL;
        }
        final int colon = skipSpaces(b, close + 1, end);
        if (colon >= end || b[colon] != ':')
        {
            return BAIL;
        }
        final int value = skipSpaces(b, colon + 1, end);
        return value < end ? value : BAIL;
    }

    /**
     * @return the position of the first byte that is not a digit from {@code from}, before {@code end}, or
     * {@link #BAIL}.
     */
    private static int digitsEnd(final byte[] b, final int from, final int end)
    {
        int i = from;
        while (i < end)
        {
            final long digits = word(b, i) ^ ZEROS;
            final long notDigits = ((digits + NOT_DIGIT) | digits) & HIGH_BITS;
            if (notDigits != 0)
            {
                i += Long.numberOfTrailingZeros(notDigits) >>> 3;
                return i < end ? i : BAIL;
            }
            i += 8;
        }
        return BAIL;
    }

    /**
     * Check a number literal from {@code start}, {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, at most
     * {@link LineParser#MAX_NUMBER_LENGTH} bytes.
     *
     * @return the position after it (before {@code end}), or {@link #BAIL}.
     */
    private static int numberEnd(final byte[] b, final int start, final int end)
    {
        final int digits = b[start] == '-' ? start + 1 : start;
        int i = digitsEnd(b, digits, end);
        if (i <= digits || (b[digits] == '0' && i > digits + 1))
        {
            return BAIL;
        }
        if (b[i] == '.')
        {
            final int fraction = i + 1;
            i = digitsEnd(b, fraction, end);
            if (i <= fraction)
            {
                return BAIL;
            }
        }
        if (b[i] == 'e' || b[i] == 'E')
        {
            final int sign = i + 1;
            final int exponent = sign < end && (b[sign] == '+' || b[sign] == '-') ? sign + 1 : sign;
            i = digitsEnd(b, exponent, end);
            if (i <= exponent)
            {
                return BAIL;
            }
        }
        return i - start > LineParser.MAX_NUMBER_LENGTH ? BAIL : i;
    }

    /**
     * An event time: {@code -?(0|[1-9][0-9]*)}, at most 18 digits, into {@link #longResult}.
     *
     * @return the position after it, or {@link #BAIL}.
     */
    private int longValue(final byte[] b, final int start, final int end)
    {
        final boolean negative = b[start] == '-';
        final int digits = negative ? start + 1 : start;
        final int i = digitsEnd(b, digits, end);
        final int count = i - digits;
        if (i < 0 || count <= 0 || count > MAX_DIGITS || (b[digits] == '0' && count > 1))
        {
            return BAIL;
        }
        final byte c = b[i];
        if (c == '.' || c == 'e' || c == 'E')
        {
            return BAIL;
        }
        final long magnitude = digitsValue(b, digits, i);
        longResult = negative ? -magnitude : magnitude;
        return i;
    }

    /**
     * A value of the common shape {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]{1,3})?} that one exact IEEE
     * operation converts (as {@link SwarLineParser}'s fast path), into {@link #doubleResult}.
     *
     * @return the position after it, or {@link #BAIL}.
     */
    private int doubleValue(final byte[] b, final int start, final int end)
    {
        final boolean negative = b[start] == '-';
        final int digits = negative ? start + 1 : start;
        int i = digitsEnd(b, digits, end);
        final int integerDigits = i - digits;
        if (i < 0 || integerDigits <= 0 || integerDigits > MAX_DIGITS || (b[digits] == '0' && integerDigits > 1))
        {
            return BAIL;
        }
        long mantissa = digitsValue(b, digits, i);
        int exponent = 0;
        if (b[i] == '.')
        {
            final int fraction = i + 1;
            i = digitsEnd(b, fraction, end);
            final int fractionDigits = i - fraction;
            if (i < 0 || fractionDigits <= 0 || integerDigits + fractionDigits > MAX_DIGITS)
            {
                return BAIL;
            }
            mantissa = mantissa * LONG_POWERS_OF_TEN[fractionDigits] + digitsValue(b, fraction, i);
            exponent = -fractionDigits;
        }
        final byte c = b[i];
        if (c == 'e' || c == 'E')
        {
            return withExponent(b, i, end, negative, mantissa, exponent);
        }
        return toDouble(i, negative, mantissa, exponent);
    }

    /**
     * The exponent of a value, {@code [eE][+-]?[0-9]{1,3}} from {@code e}; kept out of {@link #doubleValue} so that
     * the common shape stays small enough to inline.
     */
    private int withExponent(
        final byte[] b, final int e, final int end, final boolean negative, final long mantissa, final int exponent)
    {
        final int sign = e + 1;
        final boolean negativeExponent = b[sign] == '-'; // sign <= end: within the padding; decides nothing at end
        final int exponentDigits = b[sign] == '+' || negativeExponent ? sign + 1 : sign;
        final int i = digitsEnd(b, exponentDigits, end);
        final int count = i - exponentDigits;
        if (i < 0 || count <= 0 || count > 3)
        {
            return BAIL;
        }
        final int value = (int)digitsValue(b, exponentDigits, i);
        return toDouble(i, negative, mantissa, exponent + (negativeExponent ? -value : value));
    }

    private int toDouble(final int i, final boolean negative, final long mantissa, final int exponent)
    {
        if (mantissa > MAX_EXACT_MANTISSA || exponent < -22 || exponent > 22)
        {
            return BAIL;
        }
        final double m = (double)mantissa;
        final double magnitude = exponent < 0 ? m / POWERS_OF_TEN[-exponent] : m * POWERS_OF_TEN[exponent];
        doubleResult = negative ? -magnitude : magnitude;
        return i;
    }

    /**
     * @return the value of the checked digits {@code b[from, to)}, at most 18 of them.
     */
    private static long digitsValue(final byte[] b, final int from, final int to)
    {
        long value = 0;
        int i = from;
        while (to - i >= 8)
        {
            value = value * 100_000_000L + eightDigitsValue(word(b, i) ^ ZEROS);
            i += 8;
        }
        final int n = to - i;
        if (n > 0)
        {
            // the n digits moved to the top bytes, zeros below: the same eight-digit number
            value = value * LONG_POWERS_OF_TEN[n] + eightDigitsValue((word(b, i) ^ ZEROS) << (8 * (8 - n)));
        }
        return value;
    }

    /**
     * @return the value of eight digits 0..9, one per byte, the first in the lowest byte (as simdjson).
     */
    private static long eightDigitsValue(final long digits)
    {
        final long pairs = (digits * 10) + (digits >>> 8);
        return (((pairs & 0x000000FF000000FFL) * (100 + (1000000L << 32))) +
            (((pairs >>> 16) & 0x000000FF000000FFL) * (1 + (10000L << 32)))) >>> 32;
    }

    /**
     * Eight bytes from {@code b[i]}, the first in the lowest byte. Unchecked: every caller has {@code i < end} and
     * {@link #parse} checked that the array holds {@link #PADDING} bytes past {@code end}.
     */
    private static long word(final byte[] b, final int i)
    {
        final long word = UnsafeApi.getLong(b, BYTE_ARRAY_BASE + i);
        return LITTLE_ENDIAN ? word : Long.reverseBytes(word);
    }

    private static long firstWord(final byte[] name)
    {
        long word = 0;
        for (int i = Math.min(8, name.length) - 1; i >= 0; i--)
        {
            word = (word << 8) | (name[i] & 0xFF);
        }
        return word;
    }

    private static long firstMask(final byte[] name)
    {
        return name.length >= 8 ? -1L : (1L << (8 * name.length)) - 1;
    }
}
