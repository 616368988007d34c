package io.herz.codec.json;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.NumberConverter;
import org.agrona.UnsafeApi;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Herz's own single-pass line parser: reads the line in place (no copy, no sentinel), scans strings eight bytes at a
 * time with SWAR (a {@code long} per eight bytes: quote, backslash, control character and non-ASCII found at once)
 * and notes whether it saw a non-ASCII byte, so that the projector validates UTF-8 only for lines that have one or
 * that failed (see {@link #nonAscii}). It applies exactly the rules of {@link DslJsonLineParser}: the strict number
 * grammar, the depth limit, JSON's escapes, no raw control characters, trailing data, duplicate and missing fields.
 * <p>
 * Numbers: an event time is parsed as a long; a value with at most 19 significant digits whose mantissa fits 2^53
 * and whose decimal exponent is within &plusmn;22 is one exact IEEE operation (correctly rounded, Clinger's fast
 * path); any other value is handed to DSL-JSON's {@link NumberConverter} at exact precision over a small scratch
 * copy of the literal, so every value is the closest double, as Jackson and {@link Double#parseDouble} give.
 * <p>
 * The projector first tries {@link #fastPath()} on each line; this parser reads the lines it gives up on (every bad
 * line, and good lines of a rarer shape), so the verdict on a bad line is always this parser's.
 */
final class SwarLineParser extends LineParser
{
    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long ZEROS = 0x3030303030303030L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    private static final long OBJECT = 1;
    /** Returned instead of a position when the line failed. */
    private static final int FAILED = -1;
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22 };

    private final byte[][] nameBytes;
    /** First eight bytes of each name, little-endian, zero past its end. */
    private final long[] nameWords = new long[3];
    /** Which bytes of {@link #nameWords} a name covers. */
    private final long[] nameMasks = new long[3];
    private final StringBuilder text = new StringBuilder(64);
    private final byte[] numberScratch = new byte[MAX_NUMBER_LENGTH + 8];
    private final JsonReader<Object> numberReader;
    private final SwarFastPath fastPath;

    private byte[] line;
    private int base;
    private int end;
    /** Set by {@link #stringEnd}: the string holds an escape. */
    private boolean escaped;
    /** Set by {@link #numberEnd}: the literal has neither fraction nor exponent. */
    private boolean integral;
    /** Set by {@link #numberEnd}: the literal's digits as a long (exact while {@link #numberDigits} &le; 18). */
    private long numberMantissa;
    /** Set by {@link #numberEnd}: significant digits of the literal (leading zeros not counted). */
    private int numberDigits;
    /** Set by {@link #numberEnd}: the decimal exponent that applies to {@link #numberMantissa}, clamped. */
    private int numberExponent;

    SwarLineParser(final JsonProjectionConfig config)
    {
        this(config, true);
    }

    /**
     * @param withFastPath false to read every line with this parser alone (a test oracle for {@link SwarFastPath}).
     */
    SwarLineParser(final JsonProjectionConfig config, final boolean withFastPath)
    {
        super(config);
        this.fastPath = withFastPath ? new SwarFastPath(config) : null;
        this.nameBytes = new byte[][]{ utf8(config.tsField()), utf8(config.keyField()), utf8(config.valueField()) };
        for (int n = 0; n < nameBytes.length; n++)
        {
            final byte[] name = nameBytes[n];
            long word = 0;
            for (int i = Math.min(8, name.length) - 1; i >= 0; i--)
            {
                word = (word << 8) | (name[i] & 0xFF);
            }
            nameWords[n] = word;
            nameMasks[n] = name.length >= 8 ? -1L : (1L << (8 * name.length)) - 1;
        }
        final DslJson<Object> dslJson = new DslJson<>(new DslJson.Settings<>()
            .doublePrecision(JsonReader.DoublePrecision.EXACT)
            .limitDigitsBuffer(MAX_NUMBER_LENGTH + 1));
        this.numberReader = dslJson.newReader(numberScratch, numberScratch.length, new char[numberScratch.length]);
    }

    /**
     * Parse one line in place. Unlike the other parsers the line need not have been checked as UTF-8: when this
     * returns false or sets {@link #nonAscii}, the caller validates the line and reports {@code INVALID_UTF8} first.
     */
    boolean validatesUtf8()
    {
        return true;
    }

    SwarFastPath fastPath()
    {
        return fastPath;
    }

    boolean parse(final byte[] source, final int offset, final int length)
    {
        reset();
        nonAscii = false;
        line = source;
        base = offset;
        end = offset + length;
        return parseObject();
    }

    private boolean parseObject()
    {
        final byte[] b = line;
        int i = skipWhitespace(base);
        if (i == end || b[i] != '{')
        {
            return fail(BadLineReason.NOT_AN_OBJECT, NO_FIELD);
        }
        int seen = 0;
        i = skipWhitespace(i + 1);
        if (i < end && b[i] == '}')
        {
            return finish(i + 1, seen);
        }
        while (true)
        {
            if (i == end || b[i] != '"')
            {
                return malformed("expected a field name at " + (i - base));
            }
            final int nameEnd = stringEnd(i);
            if (nameEnd < 0)
            {
                return false;
            }
            final int index = escaped ? fieldIndexEscaped(i + 1, nameEnd) : fieldIndex(i + 1, nameEnd);
            i = skipWhitespace(nameEnd + 1);
            if (i == end || b[i] != ':')
            {
                return malformed("expected ':' at " + (i - base));
            }
            i = skipWhitespace(i + 1);
            if (i == end)
            {
                return malformed("line ends before a value at " + (i - base));
            }
            field = index;
            if (index == NO_FIELD)
            {
                i = skipValue(i);
            }
            else
            {
                if ((seen & (1 << index)) != 0)
                {
                    return fail(BadLineReason.DUPLICATE_FIELD, index);
                }
                seen |= 1 << index;
                i = readField(index, i);
            }
            if (i == FAILED)
            {
                return false;
            }
            i = skipWhitespace(i);
            if (i < end && b[i] == ',')
            {
                i = skipWhitespace(i + 1);
                continue;
            }
            if (i < end && b[i] == '}')
            {
                return finish(i + 1, seen);
            }
            return malformed("expected ',' or '}' at " + (i - base));
        }
    }

    private boolean finish(final int from, final int seen)
    {
        field = NO_FIELD;
        final byte[] b = line;
        for (int i = from; i < end; i++)
        {
            final byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r')
            {
                return fail(BadLineReason.TRAILING_DATA, NO_FIELD);
            }
        }
        return seen == ALL_FIELDS || missing(seen);
    }

    private int skipWhitespace(final int from)
    {
        final byte[] b = line;
        int i = from;
        while (i < end)
        {
            final byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            {
                return i;
            }
            i++;
        }
        return i;
    }

    /**
     * Match the unescaped name in {@code line[start, end)} against the configured names' UTF-8 bytes.
     */
    private int fieldIndex(final int start, final int nameEnd)
    {
        final byte[] b = line;
        final int length = nameEnd - start;
        if (start + 8 <= b.length)
        {
            // first eight bytes compared at once, masked to the name's length; the rest (names over 8 bytes) by byte
            final long word = word(b, start);
            final long[] words = nameWords;
            final long[] masks = nameMasks;
            final byte[][] names = nameBytes;
            for (int n = 0; n < words.length; n++)
            {
                if (names[n].length == length && (word & masks[n]) == words[n] && sameFrom(8, start, names[n]))
                {
                    return n;
                }
            }
            return NO_FIELD;
        }
        final byte[][] names = nameBytes;
        for (int n = 0; n < names.length; n++)
        {
            if (names[n].length == length && sameFrom(0, start, names[n]))
            {
                return n;
            }
        }
        return NO_FIELD;
    }

    private boolean sameFrom(final int from, final int start, final byte[] name)
    {
        final byte[] b = line;
        for (int i = from; i < name.length; i++)
        {
            if (b[start + i] != name[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Rare: a name written with escapes is decoded into {@link #text} and compared with the configured names.
     */
    private int fieldIndexEscaped(final int start, final int nameEnd)
    {
        decode(start, nameEnd);
        final String[] names = fieldNames;
        final StringBuilder text = this.text;
        return names[TS].contentEquals(text) ? TS : names[KEY].contentEquals(text) ? KEY :
            names[VALUE].contentEquals(text) ? VALUE : NO_FIELD;
    }

    /**
     * Decode the checked string body {@code line[start, end)} into {@link #text}: escapes resolved, UTF-8 decoded.
     */
    private void decode(final int start, final int stringEnd)
    {
        final StringBuilder text = this.text;
        text.setLength(0);
        final byte[] b = line;
        int i = start;
        while (i < stringEnd)
        {
            final int c = b[i] & 0xFF;
            if (c == '\\')
            {
                final byte e = b[i + 1];
                switch (e)
                {
                    case 'b' -> text.append('\b');
                    case 'f' -> text.append('\f');
                    case 'n' -> text.append('\n');
                    case 'r' -> text.append('\r');
                    case 't' -> text.append('\t');
                    case 'u' -> text.append((char)((hex(b[i + 2]) << 12) | (hex(b[i + 3]) << 8) |
                        (hex(b[i + 4]) << 4) | hex(b[i + 5])));
                    default -> text.append((char)e);
                }
                i += e == 'u' ? 6 : 2;
            }
            else if (c < 0x80)
            {
                text.append((char)c);
                i++;
            }
            else
            {
                i = decodeUtf8(b, i, stringEnd, text);
            }
        }
    }

    /**
     * Decode one UTF-8 sequence from its lead byte at {@code i} into {@code text}; tolerant of malformed input (the
     * line is validated as UTF-8 anyway, since {@link #nonAscii} is set), which becomes U+FFFD.
     *
     * @return the position after the sequence.
     */
    private static int decodeUtf8(final byte[] b, final int i, final int limit, final StringBuilder text)
    {
        final int lead = b[i] & 0xFF;
        final int count = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        int codePoint = lead & (0x3F >> count);
        int k = 1;
        while (k <= count && i + k < limit && (b[i + k] & 0xC0) == 0x80)
        {
            codePoint = (codePoint << 6) | (b[i + k] & 0x3F);
            k++;
        }
        if (count == 0 || k <= count || codePoint > Character.MAX_CODE_POINT)
        {
            text.append('\uFFFD');
        }
        else
        {
            text.appendCodePoint(codePoint);
        }
        return i + k;
    }

    private static int hex(final byte h)
    {
        return h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10;
    }

    /**
     * Read a projected field whose first byte is at {@code i}.
     *
     * @return the position after the value, or {@link #FAILED} with the failure set.
     */
    private int readField(final int index, final int i)
    {
        final byte first = line[i];
        final boolean isNumber = first == '-' || (first >= '0' && first <= '9');
        switch (index)
        {
            case TS:
            {
                if (!isNumber)
                {
                    return failed(BadLineReason.WRONG_TYPE, TS);
                }
                final int numberEnd = numberEnd(i);
                if (numberEnd < 0)
                {
                    return FAILED;
                }
                if (!integral)
                {
                    return failed(BadLineReason.WRONG_TYPE, TS);
                }
                return parseLong(i, numberEnd) && setTimestamp(eventTimeNs) ? numberEnd : FAILED;
            }
            case KEY:
                if (first == '"')
                {
                    return readStringKey(i);
                }
                if (!isNumber)
                {
                    return failed(BadLineReason.WRONG_TYPE, KEY);
                }
                return readNumberKey(i);
            default:
            {
                if (!isNumber)
                {
                    return failed(BadLineReason.WRONG_TYPE, VALUE);
                }
                final int numberEnd = numberEnd(i);
                if (numberEnd < 0)
                {
                    return FAILED;
                }
                return setValue(parseDouble(i, numberEnd)) ? numberEnd : FAILED;
            }
        }
    }

    private int readStringKey(final int quote)
    {
        final boolean nonAsciiBefore = nonAscii;
        nonAscii = false;
        final int stringEnd = stringEnd(quote);
        final boolean keyNonAscii = nonAscii;
        nonAscii |= nonAsciiBefore;
        if (stringEnd < 0)
        {
            return FAILED;
        }
        final int start = quote + 1;
        if (!escaped)
        {
            final int length = stringEnd - start;
            if (length > MAX_KEY_LENGTH)
            {
                return failed(BadLineReason.KEY_TOO_LONG, KEY);
            }
            if (keyNonAscii)
            {
                // stringEnd saw a byte above 0x7F (a raw NUL cannot pass it: control characters are malformed)
                return failed(BadLineReason.KEY_NOT_ASCII, KEY);
            }
            key.putBytes(0, line, start, length);
            keyLength = length;
            return stringEnd + 1;
        }
        decode(start, stringEnd);
        final StringBuilder text = this.text;
        final int length = text.length();
        if (length > MAX_KEY_LENGTH)
        {
            return failed(BadLineReason.KEY_TOO_LONG, KEY);
        }
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == 0 || c > 127)
            {
                return failed(BadLineReason.KEY_NOT_ASCII, KEY);
            }
            key.putByte(i, (byte)c);
        }
        keyLength = length;
        return stringEnd + 1;
    }

    private int readNumberKey(final int start)
    {
        final int numberEnd = numberEnd(start);
        if (numberEnd < 0)
        {
            return FAILED;
        }
        if (numberEnd - start > MAX_KEY_LENGTH)
        {
            return failed(BadLineReason.KEY_TOO_LONG, KEY);
        }
        key.putBytes(0, line, start, numberEnd - start);
        keyLength = numberEnd - start;
        return numberEnd;
    }

    /**
     * Skip the value whose first byte is at {@code from}, iteratively and within the depth limit.
     *
     * @return the position after the value, or {@link #FAILED} with the failure set.
     */
    private int skipValue(final int from)
    {
        final byte[] b = line;
        final int limit = maxNestingDepth - 1; // the line's own object is level 1
        long kinds = 0;
        int level = 0;
        int i = from;
        while (true)
        {
            // i is at the first byte of a value (not whitespace), inside the line
            final byte c = b[i];
            if (c == '{' || c == '[')
            {
                if (level == limit)
                {
                    return failed(BadLineReason.TOO_DEEP, NO_FIELD);
                }
                final boolean object = c == '{';
                kinds = (kinds << 1) | (object ? OBJECT : 0);
                level++;
                i = skipWhitespace(i + 1);
                if (i < end && b[i] == (object ? '}' : ']'))
                {
                    kinds >>>= 1;
                    level--;
                    i++;
                }
                else
                {
                    i = object ? skipName(i) : valueStart(i);
                    if (i == FAILED)
                    {
                        return FAILED;
                    }
                    continue;
                }
            }
            else
            {
                i = skipScalar(i);
                if (i == FAILED)
                {
                    return FAILED;
                }
            }
            while (true)
            {
                if (level == 0)
                {
                    return i;
                }
                final boolean object = (kinds & OBJECT) != 0;
                i = skipWhitespace(i);
                if (i < end && b[i] == ',')
                {
                    i = skipWhitespace(i + 1);
                    i = object ? skipName(i) : valueStart(i);
                    if (i == FAILED)
                    {
                        return FAILED;
                    }
                    break;
                }
                if (i == end || b[i] != (object ? '}' : ']'))
                {
                    malformed("expected ',' or '" + (object ? '}' : ']') + "' at " + (i - base));
                    return FAILED;
                }
                kinds >>>= 1;
                level--;
                i++;
            }
        }
    }

    private int valueStart(final int i)
    {
        if (i == end)
        {
            malformed("line ends before a value at " + (i - base));
            return FAILED;
        }
        return i;
    }

    /**
     * Skip {@code "name" :} from {@code i} (whitespace skipped) to the first byte of the value after it.
     */
    private int skipName(final int i)
    {
        if (i == end || line[i] != '"')
        {
            malformed("expected a field name at " + (i - base));
            return FAILED;
        }
        final int nameEnd = stringEnd(i);
        if (nameEnd < 0)
        {
            return FAILED;
        }
        final int colon = skipWhitespace(nameEnd + 1);
        if (colon == end || line[colon] != ':')
        {
            malformed("expected ':' at " + (colon - base));
            return FAILED;
        }
        return valueStart(skipWhitespace(colon + 1));
    }

    private int skipScalar(final int i)
    {
        final byte c = line[i];
        if (c == '"')
        {
            final int stringEnd = stringEnd(i);
            return stringEnd < 0 ? FAILED : stringEnd + 1;
        }
        if (c == 't')
        {
            return literal(i, "true");
        }
        if (c == 'f')
        {
            return literal(i, "false");
        }
        if (c == 'n')
        {
            return literal(i, "null");
        }
        if (c == '-' || (c >= '0' && c <= '9'))
        {
            return numberEnd(i);
        }
        if (c < 0)
        {
            nonAscii = true;
        }
        malformed("unexpected character at " + (i - base));
        return FAILED;
    }

    private int literal(final int i, final String word)
    {
        final byte[] b = line;
        final int length = word.length();
        if (i + length > end)
        {
            malformed("invalid literal at " + (i - base));
            return FAILED;
        }
        for (int k = 1; k < length; k++)
        {
            if (b[i + k] != word.charAt(k))
            {
                malformed("invalid literal at " + (i - base));
                return FAILED;
            }
        }
        return i + length;
    }

    /**
     * Check a JSON string from its opening quote at {@code quote}: no raw control characters, only JSON's escapes.
     * Eight bytes at a time: a byte that is a quote, a backslash, below 0x20 or above 0x7F stops the scan; above 0x7F
     * only sets {@link #nonAscii}. Sets {@link #escaped}.
     *
     * @return position of the closing quote, or -1 with the failure set.
     */
    private int stringEnd(final int quote)
    {
        final byte[] b = line;
        final int end = this.end;
        final int wordLimit = b.length - 8;
        boolean escapes = false;
        int i = quote + 1;
        while (i < end)
        {
            if (i <= wordLimit)
            {
                final long word = word(b, i);
                final long quotes = word ^ QUOTES;
                final long backslashes = word ^ BACKSLASHES;
                // Lowest flagged byte exact (borrows only flag bytes above a real one): zero byte of quotes or
                // backslashes, a byte below 0x20, or a byte with its high bit set.
                final long flags = ((quotes - ONES) & ~quotes | (backslashes - ONES) & ~backslashes |
                    (word - SPACES) | word) & HIGH_BITS;
                if (flags == 0)
                {
                    i += 8;
                    continue;
                }
                i += Long.numberOfTrailingZeros(flags) >>> 3;
                if (i >= end)
                {
                    break;
                }
            }
            final byte c = b[i];
            if (c == '"')
            {
                escaped = escapes;
                return i;
            }
            if (c == '\\')
            {
                escapes = true;
                if (i + 1 == end)
                {
                    break;
                }
                final byte e = b[i + 1];
                if (e == 'u')
                {
                    if (i + 6 > end || !isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4]) || !isHex(b[i + 5]))
                    {
                        malformed("invalid \\u escape at " + (i - base));
                        return -1;
                    }
                    i += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                {
                    malformed("invalid escape at " + (i - base));
                    return -1;
                }
                i += 2;
                continue;
            }
            if (c < 0)
            {
                nonAscii = true;
            }
            else if (c < 0x20)
            {
                malformed("control character in string at " + (i - base));
                return -1;
            }
            i++;
        }
        malformed("string not closed, from " + (quote - base));
        return -1;
    }

    /**
     * Eight bytes from {@code b[i]}, the first in the lowest byte. Unchecked: every caller has checked
     * {@code i + 8 <= b.length}.
     */
    private static long word(final byte[] b, final int i)
    {
        final long word = UnsafeApi.getLong(b, BYTE_ARRAY_BASE + i);
        return LITTLE_ENDIAN ? word : Long.reverseBytes(word);
    }

    /**
     * @return true if all eight bytes of {@code word} are ASCII digits.
     */
    private static boolean eightDigits(final long word)
    {
        return ((word & 0xF0F0F0F0F0F0F0F0L) | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4)) ==
            0x3333333333333333L;
    }

    /**
     * @return the value of eight ASCII digits, the first in the lowest byte (three multiplications, as simdjson).
     */
    private static long eightDigitsValue(final long word)
    {
        long value = word - ZEROS;
        value = (value * 10) + (value >>> 8);
        return (((value & 0x000000FF000000FFL) * (100 + (1000000L << 32))) +
            (((value >>> 16) & 0x000000FF000000FFL) * (1 + (10000L << 32)))) >>> 32;
    }

    private int failed(final BadLineReason reason, final int field)
    {
        fail(reason, field);
        return FAILED;
    }

    private static boolean isHex(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    /**
     * Check a JSON number literal from {@code start}: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?} followed by
     * whitespace and {@code , } ]} or the end of the line. Sets {@link #integral}.
     *
     * @return the end of the literal, or -1 with the failure set.
     */
    private int numberEnd(final int start)
    {
        final byte[] b = line;
        final int end = this.end;
        int i = start;
        if (b[i] == '-')
        {
            i++;
        }
        if (i == end || b[i] < '0' || b[i] > '9')
        {
            malformed("invalid number at " + (start - base));
            return -1;
        }
        long mantissa = 0;
        int digitCount = 0;
        int exponent = 0;
        if (b[i] == '0')
        {
            i++;
        }
        else
        {
            while (i + 8 <= end)
            {
                final long word = word(b, i);
                if (!eightDigits(word))
                {
                    break;
                }
                mantissa = mantissa * 100_000_000L + eightDigitsValue(word);
                digitCount += 8;
                i += 8;
            }
            while (i < end)
            {
                final int digit = b[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    break;
                }
                mantissa = mantissa * 10 + digit;
                digitCount++;
                i++;
            }
        }
        integral = true;
        if (i < end && b[i] == '.')
        {
            final int fractionStart = ++i;
            while (i < end)
            {
                final int digit = b[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    break;
                }
                mantissa = mantissa * 10 + digit;
                digitCount += mantissa == 0 ? 0 : 1; // leading zeros of 0.00x are not significant
                i++;
            }
            if (i == fractionStart)
            {
                malformed("invalid number at " + (start - base));
                return -1;
            }
            exponent = fractionStart - i;
            integral = false;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E'))
        {
            i++;
            final boolean negativeExponent = i < end && b[i] == '-';
            if (i < end && (b[i] == '+' || b[i] == '-'))
            {
                i++;
            }
            final int exponentStart = i;
            int e = 0;
            while (i < end)
            {
                final int digit = b[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    break;
                }
                e = Math.min(e * 10 + digit, 100_000);
                i++;
            }
            if (i == exponentStart)
            {
                malformed("invalid number at " + (start - base));
                return -1;
            }
            exponent += negativeExponent ? -e : e;
            integral = false;
        }
        if (i < end)
        {
            final byte c = b[i];
            if (c != ',' && c != '}' && c != ']')
            {
                final int next = skipWhitespace(i);
                if (next < end && b[next] != ',' && b[next] != '}' && b[next] != ']')
                {
                    malformed("invalid number at " + (start - base));
                    return -1;
                }
            }
        }
        if (i - start > MAX_NUMBER_LENGTH)
        {
            fail(BadLineReason.NUMBER_OUT_OF_RANGE, field);
            return -1;
        }
        numberMantissa = mantissa;
        numberDigits = digitCount;
        numberExponent = exponent;
        return i;
    }

    private boolean parseLong(final int start, final int numberEnd)
    {
        final byte[] b = line;
        final boolean negative = b[start] == '-';
        if (numberDigits <= 18)
        {
            eventTimeNs = negative ? -numberMantissa : numberMantissa; // at most 18 digits: no overflow
            return true;
        }
        long value = 0;
        for (int i = negative ? start + 1 : start; i < numberEnd; i++)
        {
            final int digit = b[i] - '0';
            if (value < Long.MIN_VALUE / 10)
            {
                return fail(BadLineReason.NUMBER_OUT_OF_RANGE, TS);
            }
            value *= 10;
            if (value < Long.MIN_VALUE + digit)
            {
                return fail(BadLineReason.NUMBER_OUT_OF_RANGE, TS);
            }
            value -= digit;
        }
        if (!negative && value == Long.MIN_VALUE)
        {
            return fail(BadLineReason.NUMBER_OUT_OF_RANGE, TS);
        }
        eventTimeNs = negative ? value : -value;
        return true;
    }

    /**
     * Parse the checked literal {@code line[start, numberEnd)} to the closest double.
     */
    private double parseDouble(final int start, final int numberEnd)
    {
        final long mantissa = numberMantissa;
        final int exponent = numberExponent;
        if (numberDigits <= 18 && mantissa <= MAX_EXACT_MANTISSA && exponent >= -22 && exponent <= 22)
        {
            final double m = (double)mantissa;
            final double magnitude = exponent < 0 ? m / POWERS_OF_TEN[-exponent] : m * POWERS_OF_TEN[exponent];
            return line[start] == '-' ? -magnitude : magnitude;
        }
        return parseDoubleExactly(start, numberEnd);
    }

    /**
     * Rare: DSL-JSON's exact conversion over a copy of the literal (at most 64 bytes, checked by numberEnd).
     */
    private double parseDoubleExactly(final int start, final int numberEnd)
    {
        final int length = numberEnd - start;
        System.arraycopy(line, start, numberScratch, 0, length);
        final JsonReader<Object> reader = numberReader;
        reader.process(numberScratch, length);
        try
        {
            reader.getNextToken();
            return NumberConverter.deserializeDouble(reader);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("number checked but not converted: " +
                new String(numberScratch, 0, length, StandardCharsets.US_ASCII), ex);
        }
    }

    private static byte[] utf8(final String name)
    {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
