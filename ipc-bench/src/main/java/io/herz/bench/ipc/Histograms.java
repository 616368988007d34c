package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.DataFormatException;

/**
 * HdrHistogram plumbing of the harness: a histogram travels from a child to the runner as one base64 word of its
 * compressed form, and is kept as a {@code .hgrm} file (HdrHistogram's percentile distribution, in microseconds).
 */
final class Histograms
{
    /** Percentiles every table shows, in this order. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private Histograms()
    {
    }

    static String encode(final Histogram histogram)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(final String text)
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(text)), MessageChecker.HIGHEST_TRACKABLE_NS);
        }
        catch (final DataFormatException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("histogram: expected base64 of a compressed HdrHistogram, found '" +
                (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'", ex);
        }
    }

    /**
     * @param histogram values in nanoseconds.
     * @param file      the {@code .hgrm} file to write, values in microseconds.
     * @throws IOException if it cannot be written.
     */
    static void writeHgrm(final Histogram histogram, final Path file) throws IOException
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "US-ASCII"))
        {
            histogram.outputPercentileDistribution(out, 5, 1000.0);
        }
    }
}
