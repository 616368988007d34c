package io.herz.codec.json;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.NumberConverter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a line with DSL-JSON's {@link JsonReader}, reused for every line (no allocation in the steady state). Field
 * names are compared as bytes, in place, against the configured names encoded once as UTF-8; a name written with
 * escapes is decoded first (rare, allocates).
 * <p>
 * DSL-JSON's own {@code skip()} recurses per nesting level and accepts anything up to the next {@code , } ]} as a
 * number, so values of other fields are skipped here instead, iteratively, with the same depth limit and the same
 * strict JSON number grammar as the projected fields; strings and names are checked for raw control characters and
 * invalid escapes, as Jackson does.
 * Numbers are parsed with DSL-JSON's {@link NumberConverter} at {@link JsonReader.DoublePrecision#EXACT} precision.
 */
final class DslJsonLineParser extends LineParser
{
    private static final long OBJECT = 1;
    /** Returned instead of a token when the line failed. */
    private static final int FAILED = -1;

    private final byte[][] nameBytes;
    private final DslJson<Object> dslJson;
    private JsonReader<Object> reader;
    private final StringBuilder text = new StringBuilder(64);
    private byte[] line;
    private int length;
    private boolean integral;
    private boolean escaped;

    DslJsonLineParser(final JsonProjectionConfig config)
    {
        super(config);
        this.nameBytes = new byte[][]{ utf8(config.tsField()), utf8(config.keyField()), utf8(config.valueField()) };
        this.dslJson = new DslJson<>(new DslJson.Settings<>()
            .doublePrecision(JsonReader.DoublePrecision.EXACT)
            .errorInfo(JsonReader.ErrorInfo.DESCRIPTION_AND_POSITION)
            .limitStringBuffer(Math.max(config.maxLineLength(), 1024))
            .limitDigitsBuffer(MAX_NUMBER_LENGTH + 1));
        newLineBuffer(Math.min(config.maxLineLength(), 64 * 1024) + 64);
    }

    /**
     * A line buffer and a reader whose scratch chars hold any string of the line, so that
     * {@link JsonReader#readSimpleQuote()} always moves past a whole string.
     */
    private void newLineBuffer(final int capacity)
    {
        line = new byte[capacity];
        reader = dslJson.newReader(line, capacity, new char[capacity]);
    }

    boolean parse(final byte[] source, final int offset, final int length)
    {
        reset();
        if (length + 64 > line.length)
        {
            newLineBuffer(length + 64);
        }
        System.arraycopy(source, offset, line, 0, length);
        // A quote right after the input stops any of DSL-JSON's scans for a closing quote there.
        line[length] = '"';
        this.length = length;
        reader.process(line, length);
        try
        {
            return parseObject();
        }
        catch (final IOException ex)
        {
            return malformed(ex.getMessage());
        }
    }

    private boolean parseObject() throws IOException
    {
        final JsonReader<Object> reader = this.reader;
        if (reader.getNextToken() != '{')
        {
            return fail(BadLineReason.NOT_AN_OBJECT, NO_FIELD);
        }
        int seen = 0;
        int token = reader.getNextToken();
        while (token != '}')
        {
            if (token != '"')
            {
                return malformed("expected a field name at " + (reader.getCurrentIndex() - 1));
            }
            final int nameEnd = stringEnd(reader.getCurrentIndex() - 1);
            if (nameEnd < 0)
            {
                return false;
            }
            final int index;
            if (escaped)
            {
                index = fieldIndex(reader.readKey()); // rare: decode the name (allocates); reads ':' and the value
            }
            else
            {
                index = fieldIndex(reader.getCurrentIndex(), nameEnd);
                reader.readSimpleQuote();
                if (reader.getNextToken() != ':')
                {
                    return malformed("expected ':' at " + (reader.getCurrentIndex() - 1));
                }
                reader.getNextToken();
            }
            field = index;
            if (index == NO_FIELD)
            {
                token = skipValue();
            }
            else
            {
                if ((seen & (1 << index)) != 0)
                {
                    return fail(BadLineReason.DUPLICATE_FIELD, index);
                }
                seen |= 1 << index;
                token = readField(index);
            }
            if (token == FAILED)
            {
                return false;
            }
            if (token == ',')
            {
                token = reader.getNextToken();
                if (token != '"')
                {
                    return malformed("expected a field name at " + (reader.getCurrentIndex() - 1));
                }
            }
            else if (token != '}')
            {
                return malformed("expected ',' or '}' at " + (reader.getCurrentIndex() - 1));
            }
        }
        field = NO_FIELD;
        if (!isBlankFrom(reader.getCurrentIndex()))
        {
            return fail(BadLineReason.TRAILING_DATA, NO_FIELD);
        }
        return seen == ALL_FIELDS || missing(seen);
    }

    /**
     * Match the unescaped name in {@code line[start, end)} against the configured names' UTF-8 bytes.
     */
    private int fieldIndex(final int start, final int end)
    {
        final byte[][] names = nameBytes;
        final byte[] line = this.line;
        final int length = end - start;
        for (int i = 0; i < names.length; i++)
        {
            final byte[] name = names[i];
            if (name.length == length && sameBytes(line, start, name, length))
            {
                return i;
            }
        }
        return NO_FIELD;
    }

    private static boolean sameBytes(final byte[] line, final int start, final byte[] name, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (line[start + i] != name[i])
            {
                return false;
            }
        }
        return true;
    }

    private int fieldIndex(final String name)
    {
        final String[] names = fieldNames;
        return names[TS].equals(name) ? TS : names[KEY].equals(name) ? KEY : names[VALUE].equals(name) ? VALUE :
            NO_FIELD;
    }

    /**
     * Read a projected field whose first byte the reader has just read.
     *
     * @return the token after the value, or {@link #FAILED} with the failure set.
     */
    private int readField(final int index) throws IOException
    {
        final JsonReader<Object> reader = this.reader;
        final byte first = reader.last();
        final boolean isNumber = first == '-' || (first >= '0' && first <= '9');
        switch (index)
        {
            case TS:
                if (!isNumber)
                {
                    return failed(BadLineReason.WRONG_TYPE, TS);
                }
                final int start = reader.getCurrentIndex() - 1;
                final int end = numberEnd(start);
                if (end < 0)
                {
                    return FAILED;
                }
                if (!integral)
                {
                    return failed(BadLineReason.WRONG_TYPE, TS);
                }
                reader.scanNumber();
                return parseLong(start, end) && setTimestamp(eventTimeNs) ? reader.getNextToken() : FAILED;
            case KEY:
                if (first == '"')
                {
                    return readStringKey();
                }
                if (!isNumber)
                {
                    return failed(BadLineReason.WRONG_TYPE, KEY);
                }
                return readNumberKey();
            default:
                if (!isNumber)
                {
                    return failed(BadLineReason.WRONG_TYPE, VALUE);
                }
                if (numberEnd(reader.getCurrentIndex() - 1) < 0)
                {
                    return FAILED;
                }
                return setValue(NumberConverter.deserializeDouble(reader)) ? reader.getNextToken() : FAILED;
        }
    }

    private int readStringKey() throws IOException
    {
        final int start = reader.getCurrentIndex();
        final int end = stringEnd(start - 1);
        if (end < 0)
        {
            return FAILED;
        }
        if (!escaped)
        {
            final byte[] line = this.line;
            final int length = end - start;
            if (length > MAX_KEY_LENGTH)
            {
                return failed(BadLineReason.KEY_TOO_LONG, KEY);
            }
            for (int i = 0; i < length; i++)
            {
                final byte b = line[start + i];
                if (b <= 0)
                {
                    return failed(BadLineReason.KEY_NOT_ASCII, KEY);
                }
                key.putByte(i, b);
            }
            keyLength = length;
            return skipCheckedString();
        }
        final StringBuilder text = this.text;
        text.setLength(0);
        reader.appendString(text);
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
        return reader.getNextToken();
    }

    private int readNumberKey() throws IOException
    {
        final int start = reader.getCurrentIndex() - 1;
        final int end = numberEnd(start);
        if (end < 0)
        {
            return FAILED;
        }
        if (end - start > MAX_KEY_LENGTH)
        {
            return failed(BadLineReason.KEY_TOO_LONG, KEY);
        }
        key.putBytes(0, line, start, end - start);
        keyLength = end - start;
        reader.scanNumber();
        return reader.getNextToken();
    }

    /**
     * Skip the value whose first byte the reader has just read, iteratively and within the depth limit.
     *
     * @return the token after the value, or {@link #FAILED} with the failure set.
     */
    private int skipValue() throws IOException
    {
        final JsonReader<Object> reader = this.reader;
        final int limit = maxNestingDepth - 1; // the line's own object is level 1
        long kinds = 0;
        int level = 0;
        int token = reader.last();
        while (true)
        {
            if (token == '{' || token == '[')
            {
                if (level == limit)
                {
                    return failed(BadLineReason.TOO_DEEP, NO_FIELD);
                }
                final boolean object = token == '{';
                kinds = (kinds << 1) | (object ? OBJECT : 0);
                level++;
                token = reader.getNextToken();
                if (token == (object ? '}' : ']'))
                {
                    kinds >>>= 1;
                    level--;
                    token = reader.getNextToken();
                }
                else
                {
                    if (object && !skipName(token))
                    {
                        return FAILED;
                    }
                    token = reader.last();
                    continue;
                }
            }
            else
            {
                token = skipScalar(token);
                if (token == FAILED)
                {
                    return FAILED;
                }
            }
            while (true)
            {
                if (level == 0)
                {
                    return token;
                }
                final boolean object = (kinds & OBJECT) != 0;
                if (token == ',')
                {
                    token = reader.getNextToken();
                    if (object && !skipName(token))
                    {
                        return FAILED;
                    }
                    token = reader.last();
                    break;
                }
                if (token != (object ? '}' : ']'))
                {
                    malformed("expected ',' or '" + (object ? '}' : ']') + "' at " + (reader.getCurrentIndex() - 1));
                    return FAILED;
                }
                kinds >>>= 1;
                level--;
                token = reader.getNextToken();
            }
        }
    }

    /**
     * Skip {@code "name" :} and read the first byte of the value after it.
     */
    private boolean skipName(final int token) throws IOException
    {
        if (token != '"')
        {
            return malformed("expected a field name at " + (reader.getCurrentIndex() - 1));
        }
        if (stringEnd(reader.getCurrentIndex() - 1) < 0)
        {
            return false;
        }
        if (skipCheckedString() != ':')
        {
            return malformed("expected ':' at " + (reader.getCurrentIndex() - 1));
        }
        reader.getNextToken();
        return true;
    }

    private int skipScalar(final int token) throws IOException
    {
        if (token == '"')
        {
            return stringEnd(reader.getCurrentIndex() - 1) < 0 ? FAILED : skipCheckedString();
        }
        if (token == 't' || token == 'f' || token == 'n')
        {
            return reader.skip();
        }
        if (token == '-' || (token >= '0' && token <= '9'))
        {
            if (numberEnd(reader.getCurrentIndex() - 1) < 0)
            {
                return FAILED;
            }
            reader.scanNumber();
            return reader.getNextToken();
        }
        malformed("unexpected character at " + (reader.getCurrentIndex() - 1));
        return FAILED;
    }

    /**
     * Check a JSON string from its opening quote at {@code quote}: no raw control characters, only JSON's escapes.
     * Sets {@link #escaped}. DSL-JSON's own string skipping checks neither.
     *
     * @return index of the closing quote, or -1 with the failure set.
     */
    private int stringEnd(final int quote)
    {
        final byte[] b = line;
        final int end = length;
        boolean escapes = false;
        int i = quote + 1;
        while (i < end)
        {
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
                        malformed("invalid \\u escape at " + i);
                        return -1;
                    }
                    i += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                {
                    malformed("invalid escape at " + i);
                    return -1;
                }
                i += 2;
                continue;
            }
            if (c >= 0 && c < 0x20)
            {
                malformed("control character in string at " + i);
                return -1;
            }
            i++;
        }
        malformed("string not closed, from " + quote);
        return -1;
    }

    /**
     * Move past a string that {@link #stringEnd(int)} has just checked and read the next token. Without escapes,
     * DSL-JSON's {@code readSimpleQuote()} copies to the closing quote over the array directly (the scratch chars hold
     * any string of the line), where its {@code skip()} calls {@code read()} per byte.
     */
    private int skipCheckedString() throws IOException
    {
        if (escaped)
        {
            return reader.skip(); // honours escaped quotes, byte by byte
        }
        reader.readSimpleQuote();
        return reader.getNextToken();
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
        final int end = length;
        int i = start;
        if (b[i] == '-')
        {
            i++;
        }
        if (i == end || b[i] < '0' || b[i] > '9')
        {
            malformed("invalid number at " + start);
            return -1;
        }
        i = b[i] == '0' ? i + 1 : digits(b, i, end);
        integral = true;
        if (i < end && b[i] == '.')
        {
            final int fractionEnd = digits(b, i + 1, end);
            if (fractionEnd == i + 1)
            {
                malformed("invalid number at " + start);
                return -1;
            }
            integral = false;
            i = fractionEnd;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E'))
        {
            int exponentStart = i + 1;
            if (exponentStart < end && (b[exponentStart] == '+' || b[exponentStart] == '-'))
            {
                exponentStart++;
            }
            final int exponentEnd = digits(b, exponentStart, end);
            if (exponentEnd == exponentStart)
            {
                malformed("invalid number at " + start);
                return -1;
            }
            integral = false;
            i = exponentEnd;
        }
        int next = i;
        while (next < end && (b[next] == ' ' || b[next] == '\t' || b[next] == '\r' || b[next] == '\n'))
        {
            next++;
        }
        if (next < end && b[next] != ',' && b[next] != '}' && b[next] != ']')
        {
            malformed("invalid number at " + start);
            return -1;
        }
        if (i - start > MAX_NUMBER_LENGTH)
        {
            fail(BadLineReason.NUMBER_OUT_OF_RANGE, field);
            return -1;
        }
        return i;
    }

    private boolean parseLong(final int start, final int end)
    {
        final byte[] b = line;
        final boolean negative = b[start] == '-';
        long value = 0;
        for (int i = negative ? start + 1 : start; i < end; i++)
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

    private boolean isBlankFrom(final int from)
    {
        for (int i = from; i < length; i++)
        {
            final byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r')
            {
                return false;
            }
        }
        return true;
    }

    private static int digits(final byte[] b, final int from, final int end)
    {
        int i = from;
        while (i < end && b[i] >= '0' && b[i] <= '9')
        {
            i++;
        }
        return i;
    }

    private static byte[] utf8(final String name)
    {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
