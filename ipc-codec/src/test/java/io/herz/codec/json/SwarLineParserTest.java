package io.herz.codec.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Herz's single-pass parser against DSL-JSON's reading (the same rules) and Jackson's (an independent oracle): the
 * same verdict on randomly damaged lines, the closest double for every number, and no allocation per line.
 */
@Timeout(120)
class SwarLineParserTest
{
    private static final byte[] DAMAGE = "{}[]\":,\\ \t01-.eE+tfnu\u00e9x".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldGiveTheSameVerdictAsDslJsonWhenLinesAreRandomlyDamaged()
    {
        final Random random = new Random(7);
        final List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 40_000; i++)
        {
            final byte[] line = goodLine(random, i).getBytes(StandardCharsets.UTF_8);
            final int damages = random.nextInt(3);
            byte[] damaged = line;
            for (int d = 0; d < damages; d++)
            {
                damaged = damage(damaged, random);
            }
            lines.add(damaged);
        }
        final byte[] input = join(lines);

        final List<String> herz = verdicts(JsonEventProjectorTest.projector("HERZ", config()), input);
        final List<String> dslJson = verdicts(JsonEventProjectorTest.projector("DSL_JSON", config()), input);

        assertEquals(dslJson.size(), herz.size());
        for (int i = 0; i < herz.size(); i++)
        {
            assertEquals(dslJson.get(i), herz.get(i), "line " + (i + 1) + ": " +
                new String(lines.get(i), StandardCharsets.UTF_8));
        }
        assertTrue(herz.stream().filter(v -> v.startsWith("ok")).count() > 10_000, "some lines stay good");
        assertTrue(herz.stream().filter(v -> !v.startsWith("ok")).count() > 10_000, "many lines are bad");
    }

    @Test
    void shouldParseEveryNumberToTheClosestDoubleWhenLiteralsAreRandom()
    {
        final Random random = new Random(11);
        final StringBuilder sb = new StringBuilder();
        final List<Double> expected = new ArrayList<>();
        for (int i = 0; i < 50_000; i++)
        {
            final String literal = numberLiteral(random, i);
            expected.add(Double.parseDouble(literal));
            sb.append("{\"ts\":").append(i).append(",\"key\":\"k\",\"value\":").append(literal).append("}\n");
        }
        final List<Double> parsed = new ArrayList<>();
        final JsonEventProjector projector = JsonEventProjectorTest.projector("HERZ", config());

        projector.project(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.US_ASCII)),
            (t, k, o, l, v) -> parsed.add(v));

        assertEquals(0, projector.badLineCount(), projector::report);
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(Double.doubleToRawLongBits(expected.get(i)), Double.doubleToRawLongBits(parsed.get(i)),
                "line " + (i + 1));
        }
    }

    /**
     * The seed's kind of value (a few decimals, e.g. -12.345): the exact fast path. Longer literals
     * go to DSL-JSON's exact conversion, which allocates, as it did when DSL-JSON read every line.
     */
    private static final int[] SHORT_NUMBERS = { 0 };

    @Test
    void shouldAllocateNothingPerLineWhenProjectingInSteadyState()
    {
        final Random random = new Random(3);
        final List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++)
        {
            final int kind = SHORT_NUMBERS[i % SHORT_NUMBERS.length];
            lines.add(goodLine(random, kind + 6 * i).getBytes(StandardCharsets.UTF_8));
        }
        final byte[] input = join(lines);
        final JsonEventProjector projector = JsonEventProjectorTest.projector("HERZ", config());
        final long[] sum = new long[1];
        final EventSink sink = (t, k, o, l, v) -> sum[0] += t + l;
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ByteArrayInputStream stream = new ByteArrayInputStream(input);
        for (int i = 0; i < 20; i++)
        {
            stream.reset();
            projector.project(stream, sink);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++)
        {
            stream.reset();
            projector.project(stream, sink);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(0, projector.badLineCount(), projector::report);
        assertTrue(allocated < 10 * 1024, "allocated " + allocated + " bytes for 200000 lines");
    }

    private static JsonProjectionConfig config()
    {
        return new JsonProjectionConfig().maxReportedLines(Integer.MAX_VALUE).maxNestingDepth(6);
    }

    /**
     * One verdict per line: "ok ts|key|bits", or the reason and its description (a MALFORMED_JSON message is the
     * parser's own, so only the reason counts there).
     */
    private static List<String> verdicts(final JsonEventProjector projector, final byte[] input)
    {
        final List<String> events = new ArrayList<>();
        final List<Long> eventLines = new ArrayList<>();
        projector.project(new ByteArrayInputStream(input), (t, k, o, l, v) ->
        {
            events.add("ok " + t + "|" + k.getStringWithoutLengthAscii(o, l) + "|" + Double.doubleToRawLongBits(v));
            eventLines.add(projector.lineCount());
        });
        final String[] verdicts = new String[(int)projector.lineCount()];
        for (int i = 0; i < events.size(); i++)
        {
            verdicts[(int)(eventLines.get(i) - 1)] = events.get(i);
        }
        for (final String reported : projector.reportedLines())
        {
            final int colon = reported.indexOf(':');
            final int line = Integer.parseInt(reported.substring("line ".length(), colon));
            final String verdict = reported.substring(colon + 2);
            verdicts[line - 1] = verdict.startsWith("MALFORMED_JSON") ? "MALFORMED_JSON" : verdict;
        }
        return List.of(verdicts);
    }

    private static String goodLine(final Random random, final int i)
    {
        final String[] fields = new String[6];
        fields[0] = "\"ts\":" + (1_700_000_000_000L + i);
        fields[1] = random.nextInt(10) == 0 ? "\"key\":" + random.nextInt(100_000) :
            "\"key\":\"sensor-" + random.nextInt(1000) + (random.nextInt(20) == 0 ? "\\u0041" : "") + "\"";
        fields[2] = "\"value\":" + numberLiteral(random, i);
        fields[3] = "\"host\":\"web-" + random.nextInt(100) + (random.nextInt(10) == 0 ? "\u00e9\\n" : "") + "\"";
        fields[4] = "\"status\":" + (random.nextBoolean() ? "true" : random.nextBoolean() ? "null" : "-1.5e3");
        fields[5] = "\"tags\":[\"fw\",{\"a\":[1,[2]],\"b\":{}},[]]";
        for (int j = fields.length - 1; j > 0; j--)
        {
            final int k = random.nextInt(j + 1);
            final String tmp = fields[j];
            fields[j] = fields[k];
            fields[k] = tmp;
        }
        final String separator = random.nextInt(10) == 0 ? " , " : ",";
        return "{" + String.join(separator, fields) + "}";
    }

    private static String numberLiteral(final Random random, final int i)
    {
        switch (i % 6)
        {
            case 0:
                return Double.toString(Math.round(random.nextGaussian() * 1e5) / 1e3);
            case 1:
                return Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL))
                    .toLowerCase(Locale.ROOT);
            case 2:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 3:
                return (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." +
                    String.format(Locale.ROOT, "%03d", random.nextInt(1000)) + "e" + (random.nextInt(60) - 30);
            case 4:
                return Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            default:
                return (random.nextInt(100) - 50) + "." + Long.toString(Math.abs(random.nextLong()));
        }
    }

    private static byte[] damage(final byte[] line, final Random random)
    {
        final int at = random.nextInt(line.length);
        final byte with = DAMAGE[random.nextInt(DAMAGE.length)];
        switch (random.nextInt(3))
        {
            case 0:
            {
                final byte[] out = new byte[line.length - 1];
                System.arraycopy(line, 0, out, 0, at);
                System.arraycopy(line, at + 1, out, at, line.length - at - 1);
                return out.length == 0 ? line : out;
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

    private static byte[] join(final List<byte[]> lines)
    {
        int length = 0;
        for (final byte[] line : lines)
        {
            length += line.length + 1;
        }
        final byte[] out = new byte[length];
        int at = 0;
        for (final byte[] line : lines)
        {
            System.arraycopy(line, 0, out, at, line.length);
            at += line.length;
            out[at++] = '\n';
        }
        return out;
    }
}
