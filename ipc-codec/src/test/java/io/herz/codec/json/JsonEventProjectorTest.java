package io.herz.codec.json;

import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.EventDecoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.herz.codec.json.BadLineReason.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class JsonEventProjectorTest
{
    static final long MS = 1_000_000L;
    static final List<String> GOOD_EVENTS = List.of(
        1700000000000L * MS + "|alpha|1.5",
        1700000000001L * MS + "|beta|-2.0",
        1700000000006L * MS + "|12345|6.25",
        1700000000012L * MS + "|abcdefghijklmnopqrstuvwxyz012345|11.0",
        1700000000015L * MS + "|mu|14.0",
        -5 * MS + "|rho|1000.0",
        1700000000025L * MS + "|last|20.0");
    static final Map<BadLineReason, Long> BAD_COUNTS = Map.ofEntries(
        Map.entry(EMPTY_LINE, 2L), Map.entry(MALFORMED_JSON, 6L), Map.entry(WRONG_TYPE, 5L),
        Map.entry(MISSING_FIELD, 1L), Map.entry(TOO_DEEP, 1L), Map.entry(NUMBER_OUT_OF_RANGE, 3L),
        Map.entry(INVALID_UTF8, 1L), Map.entry(NOT_AN_OBJECT, 2L), Map.entry(DUPLICATE_FIELD, 1L),
        Map.entry(KEY_TOO_LONG, 1L), Map.entry(KEY_NOT_ASCII, 2L), Map.entry(TRAILING_DATA, 1L),
        Map.entry(LINE_TOO_LONG, 0L));
    static final List<String> REPORTED = List.of(
        "line 3: EMPTY_LINE: empty line",
        "line 4: MALFORMED_JSON: ",
        "line 5: WRONG_TYPE: field \"ts\" is not an integer",
        "line 6: WRONG_TYPE: field \"value\" is not a number",
        "line 7: MISSING_FIELD: field \"value\" missing",
        "line 9: TOO_DEEP: nested deeper than 32",
        "line 10: NUMBER_OUT_OF_RANGE: field \"ts\" does not fit a long in nanoseconds",
        "line 11: NUMBER_OUT_OF_RANGE: field \"value\" is not a finite double",
        "line 12: INVALID_UTF8: invalid UTF-8 at byte 51",
        "line 13: NOT_AN_OBJECT: expected a JSON object",
        "line 14: DUPLICATE_FIELD: field \"ts\" appears twice",
        "line 15: KEY_TOO_LONG: field \"key\" is longer than 32 bytes",
        "line 17: KEY_NOT_ASCII: field \"key\" is not ASCII",
        "line 18: TRAILING_DATA: data after the object",
        "line 19: EMPTY_LINE: empty line",
        "line 21: WRONG_TYPE: field \"ts\" is not an integer",
        "line 22: MALFORMED_JSON: ",
        "line 23: NOT_AN_OBJECT: expected a JSON object",
        "line 24: MALFORMED_JSON: ",
        "line 25: WRONG_TYPE: field \"key\" is not a string or number",
        "line 26: WRONG_TYPE: field \"value\" is not a number",
        "line 28: NUMBER_OUT_OF_RANGE: number longer than 64 characters",
        "line 29: MALFORMED_JSON: ",
        "line 30: KEY_NOT_ASCII: field \"key\" is not ASCII",
        "line 31: MALFORMED_JSON: ",
        "line 32: MALFORMED_JSON: ");

    @TempDir
    Path dir;

    final List<String> events = new ArrayList<>();
    final EventSink collect = (eventTimeNs, key, keyOffset, keyLength, value) ->
        events.add(eventTimeNs + "|" + key.getStringWithoutLengthAscii(keyOffset, keyLength) + "|" + value);

    @ParameterizedTest
    @MethodSource("parsers")
    void shouldProjectGoodLinesAndCountEveryBadLineWhenFixtureMixesThem(final String parser)
    {
        final JsonEventProjector projector =
            projector(parser, new JsonProjectionConfig().maxReportedLines(100));

        final long projected = projector.project(fixture(), collect);

        assertEquals(GOOD_EVENTS, events);
        assertEquals(7, projected);
        assertEquals(33, projector.lineCount());
        assertEquals(26, projector.badLineCount());
        for (final Map.Entry<BadLineReason, Long> entry : BAD_COUNTS.entrySet())
        {
            assertEquals(entry.getValue(), projector.badLineCount(entry.getKey()), entry.getKey().name());
        }
        final List<String> reported = projector.reportedLines();
        assertEquals(REPORTED.size(), reported.size(), reported::toString);
        for (int i = 0; i < REPORTED.size(); i++)
        {
            final String expected = REPORTED.get(i);
            if (expected.endsWith("MALFORMED_JSON: "))
            {
                assertTrue(reported.get(i).startsWith(expected) && reported.get(i).length() > expected.length(),
                    reported.get(i));
            }
            else
            {
                assertEquals(expected, reported.get(i));
            }
        }
        assertTrue(projector.report().startsWith("read 33 lines: projected 7, bad 26 (EMPTY_LINE=2, " +
            "INVALID_UTF8=1, MALFORMED_JSON=6, NOT_AN_OBJECT=2, TOO_DEEP=1, TRAILING_DATA=1, MISSING_FIELD=1, " +
            "DUPLICATE_FIELD=1, WRONG_TYPE=5, NUMBER_OUT_OF_RANGE=3, KEY_TOO_LONG=1, KEY_NOT_ASCII=2)\n" +
            "line 3: EMPTY_LINE: empty line\nline 4: MALFORMED_JSON: "), projector.report());
    }

    @ParameterizedTest
    @MethodSource("parsers")
    void shouldReportOnlyTheFirstBadLinesButCountAllWhenManyAreBad(final String parser)
    {
        final JsonEventProjector projector = projector(parser, new JsonProjectionConfig());

        projector.project(fixture(), collect);
        projector.project(fixture(), collect);

        assertEquals(10, projector.reportedLines().size());
        assertEquals(52, projector.badLineCount());
        assertEquals(66, projector.lineCount());
        assertEquals(14, events.size());
    }

    @ParameterizedTest
    @MethodSource("parsers")
    void shouldProjectTheSameWhenStreamDeliversOneByteAtATime(final String parser)
    {
        final JsonEventProjector projector =
            projector(parser, new JsonProjectionConfig().maxReportedLines(100));

        projector.project(new OneByteAtATime(fixture()), collect);

        assertEquals(GOOD_EVENTS, events);
        assertEquals(26, projector.badLineCount());
    }

    @ParameterizedTest
    @MethodSource("parsers")
    void shouldSkipLineTooLongAndKeepNextLinesWhenLineExceedsMaximum(final String parser)
    {
        final String longLine = "{\"ts\":1,\"key\":\"k\",\"value\":1,\"pad\":\"" + "x".repeat(300_000) + "\"}";
        final String input = "{\"ts\":1,\"key\":\"a\",\"value\":1}\n" + longLine + "\n" +
            "{\"ts\":2,\"key\":\"b\",\"value\":2}\n" + longLine;
        final JsonEventProjector projector =
            projector(parser, new JsonProjectionConfig().maxLineLength(1000).tsUnit("ns"));

        projector.project(new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)), collect);

        assertEquals(List.of("1|a|1.0", "2|b|2.0"), events);
        assertEquals(4, projector.lineCount());
        assertEquals(2, projector.badLineCount(LINE_TOO_LONG));
        assertEquals(List.of("line 2: LINE_TOO_LONG: longer than 1000 bytes",
            "line 4: LINE_TOO_LONG: longer than 1000 bytes"), projector.reportedLines());
    }

    @ParameterizedTest
    @MethodSource("parsers")
    void shouldUseConfiguredFieldsAndUnitWhenNamesDiffer(final String parser)
    {
        final String input = "{\"v\":2.5,\"k\":\"x\",\"t\":7,\"ts\":\"ignored\",\"key\":[],\"value\":{}}\n";
        final JsonEventProjector projector = projector(parser, new JsonProjectionConfig()
            .tsField("t").keyField("k").valueField("v").tsUnit(TimeUnit.MICROSECONDS));

        projector.project(new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)), collect);

        assertEquals(List.of("7000|x|2.5"), events);
        assertEquals(0, projector.badLineCount());
    }

    @ParameterizedTest
    @MethodSource("parsers")
    void shouldMatchFieldNamesWrittenWithEscapes(final String parser)
    {
        final String input = "{\"\\u0074s\":5,\"k\\u0065y\":\"x\",\"value\":1,\"\\\"odd\\\"\":[\"\\n\"]}\n";
        final JsonEventProjector projector =
            projector(parser, new JsonProjectionConfig().tsUnit("ns"));

        projector.project(new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)), collect);

        assertEquals(List.of("5|x|1.0"), events, projector::report);
    }

    @Test
    void shouldAgreeAcrossParsersWhenLinesAreRandom()
    {
        final Random random = new Random(99);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5_000; i++)
        {
            final double value = switch (i % 4)
            {
                case 0 -> random.nextGaussian() * 1e3;
                case 1 -> Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
                case 2 -> random.nextInt();
                default -> random.nextDouble();
            };
            final String number = i % 4 == 2 ? Long.toString((long)value) : Double.toString(value);
            final long ts = random.nextLong() / 1_000_000;
            final String[] fields = { "\"ts\":" + ts, "\"key\":\"k" + random.nextInt(1000) + "\"",
                "\"value\":" + number.toLowerCase(Locale.ROOT), "\"host\":\"h\\u00e9-" + i + "\"", "\"n\":[1,{\"a\":null}]" };
            shuffle(fields, random);
            sb.append('{').append(String.join(",", fields)).append("}\n");
        }
        final byte[] input = sb.toString().getBytes(StandardCharsets.UTF_8);
        final List<String> jackson = project(projector("JACKSON", new JsonProjectionConfig()), input);
        final List<String> dslJson = project(projector("DSL_JSON", new JsonProjectionConfig()), input);
        final List<String> herz = project(projector("HERZ", new JsonProjectionConfig()), input);

        assertEquals(5_000, jackson.size());
        assertEquals(jackson, dslJson);
        assertEquals(jackson, herz);
    }

    static List<String> project(final JsonEventProjector projector, final byte[] input)
    {
        final List<String> out = new ArrayList<>();
        projector.project(new ByteArrayInputStream(input), (t, k, o, l, v) ->
            out.add(t + "|" + k.getStringWithoutLengthAscii(o, l) + "|" + Double.doubleToRawLongBits(v)));
        return out;
    }

    @Test
    void shouldPublishEveryGoodLineIntoRingWhenSinkPublishes() throws IOException
    {
        final Path file = dir.resolve("events.jsonl");
        try (InputStream in = fixture())
        {
            Files.write(file, in.readAllBytes());
        }
        final List<String> received = new ArrayList<>();
        try (Segment segment = Segment.create(dir.resolve("events.seg"), new SegmentConfig().capacity(64 * 1024));
            RingProducer producer = new RingProducer(segment, 1);
            RingConsumer consumer = new RingConsumer(segment))
        {
            final EventPublisher publisher = new EventPublisher(new ShmPublication(producer), 1);
            final JsonEventProjector projector = new JsonEventProjector(new JsonProjectionConfig());

            projector.project(file, new PublishingEventSink(publisher, new BusySpinIdleStrategy()));
            final EventDispatcher dispatcher = new EventDispatcher(new EventHandler()
            {
                public void onEvent(final EventDecoder decoder)
                {
                    received.add(decoder.eventTimeNs() + "|" + decoder.buffer().getStringWithoutLengthAscii(
                        decoder.offset() + EventDecoder.keyEncodingOffset(), decoder.keySize()) + "|" +
                        decoder.value());
                }
            });
            consumer.read(dispatcher);

            assertEquals(GOOD_EVENTS, received);
            assertEquals(7, publisher.eventCount());
        }
    }

    @Test
    void shouldNotCallALineTooLongWhenAReadEndsBetweenItsCarriageReturnAndNewline() throws IOException
    {
        // A line of exactly the maximum length + CRLF, read in chunks that end right after the '\r': the line is not
        // too long (onLine strips the '\r'), whatever the chunking; SwarFastPathTest found it with random chunks.
        final String line = "{\"key\":\"a\",\"value\":1,\"ts\":1}";
        final int max = line.length();
        final byte[] input = (line + "\r\n" + line + "\r\n").getBytes(StandardCharsets.US_ASCII);
        final JsonProjectionConfig config = new JsonProjectionConfig().maxLineLength(max);
        final List<String> whole = new ArrayList<>();
        final List<String> chunked = new ArrayList<>();
        final JsonEventProjector reference = new JsonEventProjector(config);
        final JsonEventProjector projector = new JsonEventProjector(config);

        reference.project(new ByteArrayInputStream(input), (t, k, o, l, v) -> whole.add(t + "|" + v));
        projector.project(new InputStream()
        {
            private int position;

            public int read()
            {
                return position < input.length ? input[position++] : -1;
            }

            public int read(final byte[] b, final int off, final int len)
            {
                if (position == input.length)
                {
                    return -1;
                }
                final int n = Math.min(len, position < max + 1 ? max + 1 - position : input.length - position);
                System.arraycopy(input, position, b, off, n);
                position += n;
                return n;
            }
        }, (t, k, o, l, v) -> chunked.add(t + "|" + v));

        assertEquals(List.of(), reference.reportedLines());
        assertEquals(2, whole.size());
        assertEquals(reference.reportedLines(), projector.reportedLines());
        assertEquals(whole, chunked);
    }

    @Test
    void shouldNameFileWhenItCannotBeRead()
    {
        final Path missing = dir.resolve("missing.jsonl");
        final JsonEventProjector projector = new JsonEventProjector(new JsonProjectionConfig());

        final UncheckedIOException ex = assertThrows(UncheckedIOException.class, () -> projector.project(missing, collect));

        assertEquals(missing.toAbsolutePath() + ": json lines read failed: line=1", ex.getMessage());
    }

    @Test
    void shouldRejectInvalidConfigurationWithTheBadValue()
    {
        assertEquals("ts unit unknown: expected ms, us or ns, found s", assertThrows(IllegalArgumentException.class,
            () -> new JsonProjectionConfig().tsUnit("s")).getMessage());
        assertEquals("field names not distinct: expected three names, found ts=a key=a value=value",
            assertThrows(IllegalArgumentException.class,
                () -> new JsonEventProjector(new JsonProjectionConfig().tsField("a").keyField("a"))).getMessage());
        assertEquals("max nesting depth out of range: expected 1..64, found 65",
            assertThrows(IllegalArgumentException.class,
                () -> new JsonProjectionConfig().maxNestingDepth(65).conclude()).getMessage());
        assertEquals("ts field empty: expected a field name, found \"\"",
            assertThrows(IllegalArgumentException.class,
                () -> new JsonProjectionConfig().tsField("").conclude()).getMessage());
        assertEquals("ts unit unsupported: expected MILLISECONDS, MICROSECONDS or NANOSECONDS, found SECONDS",
            assertThrows(IllegalArgumentException.class,
                () -> new JsonProjectionConfig().tsUnit(TimeUnit.SECONDS).conclude()).getMessage());
    }

    /** Herz's two parsers and the Jackson oracle. */
    static Stream<String> parsers()
    {
        return Stream.of("HERZ", "DSL_JSON", "JACKSON");
    }

    static JsonEventProjector projector(final String parser, final JsonProjectionConfig config)
    {
        return parser.equals("JACKSON") ? new JsonEventProjector(config, JacksonLineParser::new) :
            new JsonEventProjector(config.parser(JsonProjectionConfig.Parser.valueOf(parser)));
    }

    InputStream fixture()
    {
        final InputStream in = JsonEventProjectorTest.class.getResourceAsStream("/json/events.jsonl");
        assertTrue(in != null, "fixture json/events.jsonl on the test class path");
        return in;
    }

    static void shuffle(final String[] values, final Random random)
    {
        for (int i = values.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final String tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }

    static final class OneByteAtATime extends FilterInputStream
    {
        OneByteAtATime(final InputStream in)
        {
            super(in);
        }

        public int read(final byte[] b, final int off, final int len) throws IOException
        {
            return super.read(b, off, Math.min(1, len));
        }
    }
}
