package io.herz.window;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class CsvRowWriterTest
{
    @Test
    void shouldWriteTheBytesOfWindowCsvWhenRowsAreRandom()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CsvRowWriter writer = new CsvRowWriter(out, "memory", CsvRowWriter.MAX_ROW_LENGTH + 100);
        final StringBuilder expected = new StringBuilder(WindowCsv.HEADER).append('\n');
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KeyTable.MAX_KEY_LENGTH]);
        final String alphabet = "ab,\"\n\r-09 \u00e9";

        writer.header();
        for (int i = 0; i < 50_000; i++)
        {
            final int keyLength = random.nextInt(KeyTable.MAX_KEY_LENGTH + 1);
            for (int k = 0; k < keyLength; k++)
            {
                key.putByte(k, (byte)alphabet.charAt(random.nextInt(random.nextInt(10) == 0 ? alphabet.length() : 2)));
            }
            final long startNs = i % 3 == 0 ? random.nextLong() : random.nextLong(1L << 61) * (i % 2 == 0 ? 1 : 1000);
            final long endNs = startNs + random.nextLong(1L << 40);
            final long count = i % 5 == 0 ? random.nextLong() : 1 + random.nextInt(1000);
            final double sum = value(random, i);
            final double min = value(random, i + 1);
            final double max = value(random, i + 2);
            final double mean = sum / count;
            writer.row(startNs, endNs, key, 0, keyLength, count, sum, min, max, mean);
            WindowCsv.appendRow(expected, startNs, endNs, key, 0, keyLength, count, sum, min, max, mean).append('\n');
        }
        writer.flush();

        final String[] expectedLines = new String(expected.toString().getBytes(StandardCharsets.US_ASCII),
            StandardCharsets.US_ASCII).split("\n", -1);
        final String[] actualLines = out.toString(StandardCharsets.US_ASCII).split("\n", -1);
        assertEquals(expectedLines.length, actualLines.length);
        for (int i = 0; i < expectedLines.length; i++)
        {
            assertEquals(expectedLines[i], actualLines[i], "line " + (i + 1));
        }
        assertEquals(50_000, writer.rowCount());
    }

    @Test
    void shouldWriteTheBytesOfWindowCsvWhenRowsShareTheirWindow()
    {
        final SplittableRandom random = new SplittableRandom(43);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CsvRowWriter writer = new CsvRowWriter(out, "memory", CsvRowWriter.MAX_ROW_LENGTH + 100);
        final StringBuilder expected = new StringBuilder();
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KeyTable.MAX_KEY_LENGTH]);
        long startNs = 0;
        long endNs = 0;

        for (int i = 0; i < 20_000; i++)
        {
            if (random.nextInt(8) == 0)
            {
                startNs = random.nextBoolean() ? random.nextLong() : random.nextLong(1L << 61) / 1000 * 1000;
                endNs = random.nextInt(4) == 0 ? startNs : startNs + random.nextLong(1L << 40);
            }
            else if (random.nextInt(16) == 0)
            {
                endNs++; // same start, another end
            }
            final int keyLength = 1 + random.nextInt(KeyTable.MAX_KEY_LENGTH);
            for (int k = 0; k < keyLength; k++)
            {
                key.putByte(k, (byte)('a' + random.nextInt(26)));
            }
            final double sum = value(random, i);
            writer.row(startNs, endNs, key, 0, keyLength, 1, sum, sum, sum, sum);
            WindowCsv.appendRow(expected, startNs, endNs, key, 0, keyLength, 1, sum, sum, sum, sum).append('\n');
        }
        writer.flush();

        final String[] expectedLines = expected.toString().split("\n", -1);
        final String[] actualLines = out.toString(StandardCharsets.US_ASCII).split("\n", -1);
        assertEquals(expectedLines.length, actualLines.length);
        for (int i = 0; i < expectedLines.length; i++)
        {
            assertEquals(expectedLines[i], actualLines[i], "line " + (i + 1));
        }
    }

    @Test
    void shouldWriteTheBytesOfWindowCsvWhenNeighbouringDoublesRepeat()
    {
        // the writer copies a double's text when the next one has the same bits: every such pattern, also the
        // doubles that print alike with other bits (0.0 / -0.0) and those that never compare equal (NaN)
        final double[] values = {0.0, -0.0, 1.0, 0.25, 12.75, 1.0 / 3, -7.5e-300, 1e22, 123456789.125,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.longBitsToDouble(0x7ff8_0000_0000_0001L)};
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CsvRowWriter writer = new CsvRowWriter(out, "memory", CsvRowWriter.MAX_ROW_LENGTH + 100);
        final StringBuilder expected = new StringBuilder();
        final UnsafeBuffer key = new UnsafeBuffer("k".getBytes(StandardCharsets.US_ASCII));
        int rows = 0;
        for (final double a : values)
        {
            for (final double b : values)
            {
                for (int pattern = 0; pattern < 16; pattern++)
                {
                    final double sum = (pattern & 1) == 0 ? a : b;
                    final double min = (pattern & 2) == 0 ? a : b;
                    final double max = (pattern & 4) == 0 ? a : b;
                    final double mean = (pattern & 8) == 0 ? a : b;
                    writer.row(1_000_000L * rows, 1_000_000L * rows + 1, key, 0, 1, 1 + pattern, sum, min, max, mean);
                    WindowCsv.appendRow(expected, 1_000_000L * rows, 1_000_000L * rows + 1, key, 0, 1, 1 + pattern,
                        sum, min, max, mean).append('\n');
                    rows++;
                }
            }
        }
        writer.flush();

        final String[] expectedLines = expected.toString().split("\n", -1);
        final String[] actualLines = out.toString(StandardCharsets.US_ASCII).split("\n", -1);
        assertEquals(expectedLines.length, actualLines.length);
        for (int i = 0; i < expectedLines.length; i++)
        {
            assertEquals(expectedLines[i], actualLines[i], "line " + (i + 1));
        }
        assertEquals(values.length * values.length * 16, writer.rowCount());
    }

    @Test
    void shouldAllocateNothingPerRowWhenValuesAreBelowTenToTheSixteen()
    {
        final CsvRowWriter writer = new CsvRowWriter(OutputStream.nullOutputStream(), "null", 1 << 16);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KeyTable.MAX_KEY_LENGTH]);
        final int keyLength = key.putStringWithoutLengthAscii(0, "sensor-00042");
        final SplittableRandom random = new SplittableRandom(1);
        final double[] values = new double[4096];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = (random.nextInt(1_000_000) / 100.0) / (1 + random.nextInt(30));
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200_000; i++)
        {
            writer.row(i * 1_000_000L, i * 1_000_000L + 1000, key, 0, keyLength, i, values[i & 4095],
                values[(i + 1) & 4095], values[(i + 2) & 4095], values[(i + 3) & 4095]);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++)
        {
            writer.row(i * 1_000_000L, i * 1_000_000L + 1000, key, 0, keyLength, i, values[i & 4095],
                values[(i + 1) & 4095], values[(i + 2) & 4095], values[(i + 3) & 4095]);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 200000 rows");
    }

    @Test
    void shouldNameTheDestinationWhenWriteFails()
    {
        final OutputStream failing = new OutputStream()
        {
            public void write(final int b) throws IOException
            {
                throw new IOException("disk full");
            }
        };
        final CsvRowWriter writer = new CsvRowWriter(failing, "/tmp/out.csv", CsvRowWriter.MAX_ROW_LENGTH);
        writer.header();

        final UncheckedIOException ex = assertThrows(UncheckedIOException.class, writer::flush);

        assertEquals("cannot write csv: file=/tmp/out.csv", ex.getMessage());
        assertEquals("csv buffer capacity too small: expected >= " + CsvRowWriter.MAX_ROW_LENGTH + ", found 10",
            assertThrows(IllegalArgumentException.class,
                () -> new CsvRowWriter(OutputStream.nullOutputStream(), "x", 10)).getMessage());
    }

    private static double value(final SplittableRandom random, final int i)
    {
        switch (i % 4)
        {
            case 0:
                return Math.round(random.nextDouble() * 1e6) / 100.0 - 5000;
            case 1:
                return Double.longBitsToDouble(random.nextLong());
            case 2:
                return random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            default:
                return random.nextInt(1000);
        }
    }
}
