package io.herz.codec.json;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path against {@link SwarLineParser} alone (the judge of every verdict): on random lines of every shape
 * (fields in any order, missing and duplicate, whitespace, escapes, non-ASCII and invalid UTF-8, numbers with
 * exponents, signs, leading zeros and many digits, nesting around the depth limit, long keys and lines, damaged
 * bytes, CRLF, chunk boundaries) the projector with the fast path gives exactly the same events (event time, key
 * bytes, value bits) and the same reasons and messages; and the fast path does accept the seed's kind of line.
 */
class SwarFastPathTest
{
    private static final byte[] DAMAGE = "{}[]\":,\\ \t\r01-.eE+tfnu\u00e9x\u0000".getBytes(StandardCharsets.UTF_8);

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldGiveTheVerdictsOfTheFullParserWhenLinesAreRandom(
        @ForAll final long seed, @ForAll @IntRange(min = 1, max = 6) final int maxDepth,
        @ForAll @IntRange(min = 0, max = 3) final int unit, @ForAll final boolean smallChunks)
    {
        final Random random = new Random(seed);
        final List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            byte[] line = randomLine(random, i).getBytes(StandardCharsets.UTF_8);
            final int damages = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
            for (int d = 0; d < damages; d++)
            {
                line = damage(line, random);
            }
            lines.add(line);
        }
        final byte[] input = join(lines, random);
        final JsonProjectionConfig config = new JsonProjectionConfig().maxReportedLines(Integer.MAX_VALUE)
            .maxNestingDepth(maxDepth).maxLineLength(unit == 3 ? 90 : 64 * 1024)
            .tsUnit(unit == 1 ? TimeUnit.MICROSECONDS : unit == 2 ? TimeUnit.NANOSECONDS : TimeUnit.MILLISECONDS);

        final JsonEventProjector fast = new JsonEventProjector(config, c -> new SwarLineParser(c, true));
        final JsonEventProjector full = new JsonEventProjector(config, c -> new SwarLineParser(c, false));
        final List<String> fastEvents = events(fast, stream(input, smallChunks, seed));
        final List<String> fullEvents = events(full, stream(input, false, seed));

        assertEquals(fullEvents, fastEvents, "seed " + seed);
        assertEquals(full.reportedLines(), fast.reportedLines(), "seed " + seed);
        assertEquals(full.report(), fast.report(), "seed " + seed);
        assertEquals(full.lineCount(), fast.lineCount());
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void shouldAcceptOnlyWhatTheFullParserAcceptsWithTheSameValues(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final JsonProjectionConfig config = new JsonProjectionConfig().conclude();
        final SwarFastPath fastPath = new SwarFastPath(config);
        final SwarLineParser full = new SwarLineParser(config, false);
        int accepted = 0;
        for (int i = 0; i < 500; i++)
        {
            byte[] line = randomLine(random, i).getBytes(StandardCharsets.UTF_8);
            if (random.nextBoolean())
            {
                line = damage(line, random);
            }
            final int offset = random.nextInt(4);
            final byte[] buffer = new byte[offset + line.length + 1 + SwarFastPath.PADDING + random.nextInt(9)];
            Arrays.fill(buffer, (byte)(random.nextBoolean() ? '1' : '"')); // stale bytes past the end decide nothing
            System.arraycopy(line, 0, buffer, offset, line.length);
            buffer[offset + line.length] = '\n';

            final int next = fastPath.parse(buffer, offset, offset + line.length + 1);

            if (next >= 0)
            {
                accepted++;
                final String text = new String(line, StandardCharsets.UTF_8);
                assertEquals(offset + line.length + 1, next, text);
                final int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                assertTrue(Utf8.indexOfInvalid(line, 0, length) < 0, text);
                assertTrue(full.parse(line, 0, length), () -> text + ": " + full.describe());
                assertEquals(full.eventTimeNs, fastPath.eventTimeNs, text);
                assertEquals(full.key.getStringWithoutLengthAscii(0, full.keyLength),
                    new String(buffer, fastPath.keyOffset, fastPath.keyLength, StandardCharsets.US_ASCII), text);
                assertEquals(Double.doubleToRawLongBits(full.value), Double.doubleToRawLongBits(fastPath.value), text);
            }
        }
        // one line in eight is of the seed's shape, half of them damaged: the fast path must accept some
        assertTrue(accepted > 40, "accepted " + accepted + " of 500");
    }

    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void shouldAcceptEveryLineOfTheSeedsShape(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final SwarFastPath fastPath = new SwarFastPath(new JsonProjectionConfig().conclude());
        for (int i = 0; i < 200; i++)
        {
            final String line = seedLine(random, i);
            final byte[] buffer = Arrays.copyOf((line + "\n").getBytes(StandardCharsets.US_ASCII),
                line.length() + 1 + SwarFastPath.PADDING);

            final int next = fastPath.parse(buffer, 0, line.length() + 1);

            assertEquals(line.length() + 1, next, line);
            assertEquals(Double.parseDouble(value(line)), fastPath.value, line);
        }
    }

    /** The seed's kind of line, as the benchmark's: ~120 bytes, 6 fields in any order, 3 projected. */
    static String seedLine(final Random random, final int i)
    {
        final String[] fields = {
            "\"ts\":" + (1_700_000_000_000L + i * 7L),
            "\"key\":\"sensor-" + random.nextInt(1000) + "\"",
            "\"value\":" + Math.round(random.nextGaussian() * 1e5) / 1e3,
            "\"host\":\"web-" + random.nextInt(100) + ".eu-west-1.prod\"",
            "\"status\":" + (200 + random.nextInt(4) * 100),
            "\"tags\":[\"fw-" + random.nextInt(10) + "\",\"rack-" + random.nextInt(40) + "\"]" };
        JsonEventProjectorTest.shuffle(fields, random);
        return "{" + String.join(",", fields) + "}";
    }

    private static String value(final String line)
    {
        final int from = line.indexOf("\"value\":") + "\"value\":".length();
        int to = from;
        while (to < line.length() && line.charAt(to) != ',' && line.charAt(to) != '}')
        {
            to++;
        }
        return line.substring(from, to);
    }

    private static String randomLine(final Random random, final int i)
    {
        if (random.nextInt(8) == 0)
        {
            return seedLine(random, i);
        }
        final List<String> fields = new ArrayList<>();
        if (random.nextInt(20) != 0)
        {
            fields.add(name(random, "ts") + colon(random) + tsLiteral(random));
        }
        if (random.nextInt(20) != 0)
        {
            fields.add(name(random, "key") + colon(random) + keyLiteral(random));
        }
        if (random.nextInt(20) != 0)
        {
            fields.add(name(random, "value") + colon(random) + numberLiteral(random));
        }
        if (random.nextInt(30) == 0)
        {
            fields.add(name(random, random.nextBoolean() ? "ts" : "value") + ":" + numberLiteral(random));
        }
        final int others = random.nextInt(5);
        for (int k = 0; k < others; k++)
        {
            fields.add("\"" + otherName(random) + "\"" + colon(random) + anyValue(random, random.nextInt(5)));
        }
        final String[] shuffled = fields.toArray(new String[0]);
        JsonEventProjectorTest.shuffle(shuffled, random);
        final String separator = random.nextInt(6) == 0 ? space(random) + "," + space(random) : ",";
        return space(random) + "{" + space(random) + String.join(separator, shuffled) + space(random) + "}" +
            (random.nextInt(40) == 0 ? " x" : "") + space(random);
    }

    private static String name(final Random random, final String name)
    {
        return random.nextInt(40) == 0 ? "\"\\u00" + Integer.toHexString(name.charAt(0)) + name.substring(1) + "\"" :
            "\"" + name + "\"";
    }

    private static String colon(final Random random)
    {
        return random.nextInt(8) == 0 ? space(random) + ":" + space(random) : ":";
    }

    private static String space(final Random random)
    {
        switch (random.nextInt(12))
        {
            case 0:
                return " ";
            case 1:
                return "\t";
            case 2:
                return " \r ";
            default:
                return "";
        }
    }

    private static String otherName(final Random random)
    {
        final String[] names = { "host", "status", "tags", "t", "tsx", "keys", "valu", "value2", "k\u00e9y",
            "a\\\"b", "v\u00e4lue", "", "ts ", "KEY", "veryLongFieldNameOfSomeKind" };
        return names[random.nextInt(names.length)];
    }

    private static String tsLiteral(final Random random)
    {
        switch (random.nextInt(10))
        {
            case 0:
                return Long.toString(random.nextLong());
            case 1:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 2:
                return random.nextBoolean() ? "9223372036854775" : "-9223372036854776";
            case 3:
                return random.nextBoolean() ? "0" : random.nextBoolean() ? "-0" : "007";
            case 4:
                return random.nextBoolean() ? "17.5" : "1e3";
            case 5:
                return random.nextBoolean() ? "\"1700000000000\"" : "null";
            default:
                return Long.toString(1_700_000_000_000L + random.nextInt(1_000_000));
        }
    }

    private static String keyLiteral(final Random random)
    {
        switch (random.nextInt(12))
        {
            case 0:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 1:
                return "\"" + "k".repeat(30 + random.nextInt(5)) + "\"";
            case 2:
                return "\"s\\u0041\\n" + random.nextInt(100) + "\"";
            case 3:
                return "\"\u00e9t\u00e9\"";
            case 4:
                return random.nextBoolean() ? "\"\"" : "true";
            case 5:
                return "-1.5e" + random.nextInt(30);
            case 6:
                return "\"a\u007fb\"";
            default:
                return "\"sensor-" + random.nextInt(1000) + "\"";
        }
    }

    private static String numberLiteral(final Random random)
    {
        switch (random.nextInt(14))
        {
            case 0:
                return Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL))
                    .toLowerCase(Locale.ROOT);
            case 1:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 2:
                return (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." +
                    String.format(Locale.ROOT, "%03d", random.nextInt(1000)) + (random.nextBoolean() ? "e" : "E") +
                    (random.nextBoolean() ? "+" : random.nextBoolean() ? "-" : "") + random.nextInt(40);
            case 3:
                return Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4:
                return (random.nextInt(100) - 50) + "." + Long.toString(Math.abs(random.nextLong()));
            case 5:
                return "0.0000" + random.nextInt(100_000);
            case 6:
                return "9007199254740993"; // 2^53 + 1: not exact in a double
            case 7:
                return random.nextBoolean() ? "1e400" : random.nextBoolean() ? "-0.0" : "1e0007";
            case 8:
                return random.nextBoolean() ? "01.5" : random.nextBoolean() ? "1." : random.nextBoolean() ? ".5" :
                    "-";
            case 9:
                return "1" + "0".repeat(random.nextInt(70)) + (random.nextBoolean() ? ".5" : "");
            default:
                return Double.toString(Math.round(random.nextGaussian() * 1e5) / 1e3);
        }
    }

    private static String anyValue(final Random random, final int depth)
    {
        switch (random.nextInt(depth > 0 ? 9 : 6))
        {
            case 0:
                return numberLiteral(random);
            case 1:
                return random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null";
            case 2:
                return "\"web-" + random.nextInt(100) + (random.nextBoolean() ? "\\\"\\\\\\/\\b\\f\\n\\r\\t" : "") +
                    (random.nextBoolean() ? "\\u00E9\u00e9\u4e2d\ud83d\ude00" : "") + "\"";
            case 3:
                return random.nextBoolean() ? "\"bad \\x escape\"" : random.nextBoolean() ? "\"\\u12G4\"" : "tru";
            case 4:
                return "\"" + "x".repeat(random.nextInt(20)) + "\"";
            case 5:
                return random.nextBoolean() ? "[]" : "{}";
            case 6:
            {
                final StringBuilder sb = new StringBuilder("[");
                final int n = random.nextInt(4);
                for (int k = 0; k < n; k++)
                {
                    sb.append(k > 0 ? "," + space(random) : "").append(anyValue(random, depth - 1));
                }
                return sb.append(random.nextInt(30) == 0 ? "," : "").append(']').toString();
            }
            default:
            {
                final StringBuilder sb = new StringBuilder("{");
                final int n = random.nextInt(4);
                for (int k = 0; k < n; k++)
                {
                    sb.append(k > 0 ? "," : "").append('"').append(otherName(random)).append("\":")
                        .append(anyValue(random, depth - 1));
                }
                return sb.append('}').toString();
            }
        }
    }

    private static byte[] damage(final byte[] line, final Random random)
    {
        if (line.length == 0)
        {
            return line;
        }
        final int at = random.nextInt(line.length);
        final byte with = random.nextInt(10) == 0 ? (byte)(0x80 + random.nextInt(128)) :
            DAMAGE[random.nextInt(DAMAGE.length)];
        switch (random.nextInt(3))
        {
            case 0:
            {
                final byte[] out = new byte[line.length - 1];
                System.arraycopy(line, 0, out, 0, at);
                System.arraycopy(line, at + 1, out, at, line.length - at - 1);
                return out;
            }
            case 1:
            {
                final byte[] out = new byte[line.length + 1];
                System.arraycopy(line, 0, out, 0, at);
                out[at] = with;
                System.arraycopy(line, at, out, at + 1, line.length - at);
                return out;
            }
            default:
            {
                final byte[] out = line.clone();
                out[at] = with;
                return out;
            }
        }
    }

    private static byte[] join(final List<byte[]> lines, final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++)
        {
            out.writeBytes(lines.get(i));
            if (i < lines.size() - 1 || random.nextBoolean())
            {
                out.writeBytes(random.nextInt(5) == 0 ? new byte[]{ '\r', '\n' } : new byte[]{ '\n' });
            }
        }
        return out.toByteArray();
    }

    private static InputStream stream(final byte[] input, final boolean smallChunks, final long seed)
    {
        final ByteArrayInputStream in = new ByteArrayInputStream(input);
        if (!smallChunks)
        {
            return in;
        }
        final Random random = new Random(seed ^ 0x5DEECE66DL);
        return new FilterInputStream(in)
        {
            public int read(final byte[] b, final int off, final int len) throws IOException
            {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(200)));
            }
        };
    }

    private static List<String> events(final JsonEventProjector projector, final InputStream in)
    {
        final List<String> out = new ArrayList<>();
        projector.project(in, (t, k, o, l, v) ->
            out.add(projector.lineCount() + ": " + t + "|" + k.getStringWithoutLengthAscii(o, l) + "|" +
                Double.doubleToRawLongBits(v)));
        return out;
    }
}
