package io.herz.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;

/**
 * Test oracle (Jackson is never on Herz's run-time class path): reads a line with Jackson's streaming
 * {@link JsonParser} (no tree model), by its own rules, so that Herz's parsers are compared with an independent
 * reading. Field names come from Jackson's canonicalizing symbol table, so matching them allocates nothing once a name has been seen; key text is read from
 * the parser's own character buffer. Nesting depth and number length are bounded by Jackson's
 * {@link StreamReadConstraints}, so deep or huge input fails fast instead of exhausting the stack or the heap.
 * Jackson creates one small parser object per line (its buffers are recycled).
 */
final class JacksonLineParser extends LineParser
{
    private final JsonFactory factory;

    JacksonLineParser(final JsonProjectionConfig config)
    {
        super(config);
        this.factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(config.maxNestingDepth())
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build())
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    }

    boolean parse(final byte[] line, final int offset, final int length)
    {
        reset();
        JsonParser parser = null;
        try
        {
            parser = factory.createParser(line, offset, length);
            return parseObject(parser);
        }
        catch (final StreamConstraintsException ex)
        {
            final String message = ex.getMessage();
            if (message != null && message.contains("nesting depth"))
            {
                return fail(BadLineReason.TOO_DEEP, NO_FIELD);
            }
            // Jackson reads a field's value together with its name: name the field the number belongs to.
            return fail(BadLineReason.NUMBER_OUT_OF_RANGE, fieldIndex(parser.getParsingContext().getCurrentName()));
        }
        catch (final JsonProcessingException ex)
        {
            return malformed(ex.getOriginalMessage());
        }
        catch (final IOException ex)
        {
            return malformed(ex.getMessage());
        }
        finally
        {
            close(parser);
        }
    }

    private int fieldIndex(final String name)
    {
        final String[] names = fieldNames;
        return names[TS].equals(name) ? TS : names[KEY].equals(name) ? KEY : names[VALUE].equals(name) ? VALUE :
            NO_FIELD;
    }

    private static void close(final JsonParser parser)
    {
        if (parser != null)
        {
            try
            {
                parser.close();
            }
            catch (final IOException ignore)
            {
                // a byte[] source has nothing to release
            }
        }
    }

    private boolean parseObject(final JsonParser parser) throws IOException
    {
        if (parser.nextToken() != JsonToken.START_OBJECT)
        {
            return fail(BadLineReason.NOT_AN_OBJECT, NO_FIELD);
        }
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final int index = fieldIndex(parser.currentName());
            field = index;
            final JsonToken token = parser.nextToken();
            if (index == NO_FIELD)
            {
                parser.skipChildren();
                continue;
            }
            if ((seen & (1 << index)) != 0)
            {
                return fail(BadLineReason.DUPLICATE_FIELD, index);
            }
            seen |= 1 << index;
            if (!readField(parser, index, token))
            {
                return false;
            }
        }
        field = NO_FIELD;
        if (!endsAfterObject(parser))
        {
            return fail(BadLineReason.TRAILING_DATA, NO_FIELD);
        }
        return seen == ALL_FIELDS || missing(seen);
    }

    private boolean readField(final JsonParser parser, final int index, final JsonToken token) throws IOException
    {
        switch (index)
        {
            case TS:
                if (token != JsonToken.VALUE_NUMBER_INT)
                {
                    return fail(BadLineReason.WRONG_TYPE, TS);
                }
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
                {
                    return fail(BadLineReason.NUMBER_OUT_OF_RANGE, TS);
                }
                return setTimestamp(parser.getLongValue());
            case KEY:
                if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT &&
                    token != JsonToken.VALUE_NUMBER_FLOAT)
                {
                    return fail(BadLineReason.WRONG_TYPE, KEY);
                }
                return readKey(parser);
            default:
                if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT)
                {
                    return fail(BadLineReason.WRONG_TYPE, VALUE);
                }
                return setValue(parser.getDoubleValue());
        }
    }

    private boolean readKey(final JsonParser parser) throws IOException
    {
        final char[] chars = parser.getTextCharacters();
        final int start = parser.getTextOffset();
        final int length = parser.getTextLength();
        if (length > MAX_KEY_LENGTH)
        {
            return fail(BadLineReason.KEY_TOO_LONG, KEY);
        }
        for (int i = 0; i < length; i++)
        {
            final char c = chars[start + i];
            if (c == 0 || c > 127)
            {
                return fail(BadLineReason.KEY_NOT_ASCII, KEY);
            }
            key.putByte(i, (byte)c);
        }
        keyLength = length;
        return true;
    }

    private static boolean endsAfterObject(final JsonParser parser)
    {
        try
        {
            return parser.nextToken() == null;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
