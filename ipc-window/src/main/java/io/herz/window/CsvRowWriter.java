package io.herz.window;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * Writes window results as CSV rows, byte for byte the text of {@link WindowCsv#appendRow} plus {@code '\n'}, without
 * allocating: each row is formatted straight into a reusable byte buffer (doubles by {@link DoubleText#putLikeJdk},
 * numbers eight digits at a time, keys eight bytes at a time, a window's start and end once for all its rows in a
 * row), and the buffer goes to the stream in bulk when it fills and on {@link #flush()}.
 * Not thread-safe. Does not close the stream.
 */
public final class CsvRowWriter
{
    /**
     * The most bytes one row can take: two times, a quoted 32-byte key of quotes, a count, four doubles and eight
     * separators, plus the scratch bytes digits written eight at a time may leave after the last field.
     */
    static final int MAX_ROW_LENGTH =
        2 * 28 + (2 * KeyTable.MAX_KEY_LENGTH + 2) + 20 + 4 * DoubleText.MAX_LENGTH + 8 + DoubleText.DIGITS_SLACK;
    /** Two times of at most 28 bytes and two commas, rounded up to whole longs. */
    private static final int WINDOW_TEXT_CAPACITY = 64;
    private static final long LOW_BITS = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long COMMAS = LOW_BITS * ',';
    private static final long QUOTES = LOW_BITS * '"';
    private static final long LINE_FEEDS = LOW_BITS * '\n';
    private static final long CARRIAGE_RETURNS = LOW_BITS * '\r';
    private static final byte[] HEADER = (WindowCsv.HEADER + "\n").getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final String destination;
    private final byte[] buffer;
    private final DoubleText doubles = new DoubleText();
    private int position;
    private long rowCount;
    /** The start and end of the last row's window, and their text with both commas (0 bytes: none yet). */
    private long windowStartNs;
    private long windowEndNs;
    private int windowTextLength;
    private final byte[] windowText = new byte[WINDOW_TEXT_CAPACITY];

    /**
     * @param out         receives the bytes.
     * @param destination names the stream in error messages, e.g. an absolute path or {@code stdout}.
     * @param capacity    bytes buffered before a write, at least {@link #MAX_ROW_LENGTH}.
     */
    public CsvRowWriter(final OutputStream out, final String destination, final int capacity)
    {
        if (capacity < MAX_ROW_LENGTH)
        {
            throw new IllegalArgumentException("csv buffer capacity too small: expected >= " + MAX_ROW_LENGTH +
                ", found " + capacity);
        }
        this.out = out;
        this.destination = destination;
        this.buffer = new byte[capacity];
    }

    /**
     * Write {@link WindowCsv#HEADER} and a newline.
     */
    public void header()
    {
        ensure(HEADER.length);
        System.arraycopy(HEADER, 0, buffer, position, HEADER.length);
        position += HEADER.length;
    }

    /**
     * Write one row and its newline; see {@link WindowCsv#appendRow} for the fields.
     *
     * @param startNs   window start, epoch nanoseconds.
     * @param endNs     window end, epoch nanoseconds.
     * @param keyBuffer holding the ASCII key.
     * @param keyOffset of the key.
     * @param keyLength of the key, at most {@link KeyTable#MAX_KEY_LENGTH}.
     * @param count     events.
     * @param sum       sum of values.
     * @param min       smallest value.
     * @param max       largest value.
     * @param mean      sum / count.
     * @throws UncheckedIOException naming the destination if a write fails.
     */
    public void row(
        final long startNs,
        final long endNs,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final long count,
        final double sum,
        final double min,
        final double max,
        final double mean)
    {
        ensure(keyLength <= KeyTable.MAX_KEY_LENGTH ? MAX_ROW_LENGTH : longRowLength(keyLength));
        final byte[] b = buffer;
        int i = position;
        if (startNs == windowStartNs && endNs == windowEndNs && windowTextLength > 0)
        {
            // the results of one window come together: its "start,end," as written for the row before
            final byte[] text = windowText;
            for (int k = 0; k < windowTextLength; k += 8)
            {
                DoubleText.LONGS.set(b, i + k, (long)DoubleText.LONGS.get(text, k));
            }
            i += windowTextLength;
        }
        else
        {
            i = putEpochMs(b, i, startNs);
            b[i++] = ',';
            i = putEpochMs(b, i, endNs);
            b[i++] = ',';
            windowStartNs = startNs;
            windowEndNs = endNs;
            windowTextLength = i - position;
            System.arraycopy(b, position, windowText, 0, windowTextLength);
        }
        i = putKey(b, i, keyBuffer, keyOffset, keyLength);
        b[i++] = ',';
        i = putLong(b, i, count);
        b[i++] = ',';
        final DoubleText doubles = this.doubles;
        final int sumAt = i;
        i += doubles.putLikeJdk(sum, b, i);
        b[i++] = ',';
        // a window of one event (or of equal values) repeats a double: copy the text written just before it
        final int minAt = i;
        i = putDouble(min, sum, sumAt, minAt - 1 - sumAt, b, i);
        b[i++] = ',';
        final int maxAt = i;
        i = putDouble(max, min, minAt, maxAt - 1 - minAt, b, i);
        b[i++] = ',';
        i = putDouble(mean, max, maxAt, i - 1 - maxAt, b, i);
        b[i++] = '\n';
        position = i;
        rowCount++;
    }

    /**
     * Write {@code v} at {@code i}: when it has the bits of {@code previous}, whose text is the {@code length} bytes
     * at {@code previousAt} (just before, in this row), by copying that text eight bytes at a time (at most 7 bytes
     * past it, within the row's slack, which the next field overwrites); else by {@link DoubleText#putLikeJdk}.
     *
     * @return the index after the text.
     */
    private int putDouble(
        final double v, final double previous, final int previousAt, final int length, final byte[] b, final int i)
    {
        if (Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(previous))
        {
            return i + doubles.putLikeJdk(v, b, i);
        }
        for (int k = 0; k < length; k += 8)
        {
            DoubleText.LONGS.set(b, i + k, (long)DoubleText.LONGS.get(b, previousAt + k));
        }
        return i + length;
    }

    /**
     * Write what is buffered and flush the stream.
     *
     * @throws UncheckedIOException naming the destination if a write fails.
     */
    public void flush()
    {
        drain();
        try
        {
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write csv: file=" + destination, ex);
        }
    }

    /**
     * @return rows written (buffered or not).
     */
    public long rowCount()
    {
        return rowCount;
    }

    /**
     * @return bytes buffered and not yet written.
     */
    public int bufferedLength()
    {
        return position;
    }

    private int longRowLength(final int keyLength)
    {
        final int length = MAX_ROW_LENGTH - 2 * KeyTable.MAX_KEY_LENGTH + 2 * keyLength;
        if (keyLength < 0 || length > buffer.length)
        {
            throw new IllegalArgumentException("csv key length out of range: expected 0.." +
                (buffer.length - MAX_ROW_LENGTH) / 2 + ", found " + keyLength + " file=" + destination);
        }
        return length;
    }

    private void ensure(final int length)
    {
        if (buffer.length - position < length)
        {
            drain();
        }
    }

    private void drain()
    {
        if (position > 0)
        {
            try
            {
                out.write(buffer, 0, position);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write csv: file=" + destination, ex);
            }
            position = 0;
        }
    }

    /**
     * As {@link WindowCsv#appendEpochMs}: whole milliseconds, then the exact fraction without trailing zeros.
     */
    static int putEpochMs(final byte[] b, final int offset, final long timeNs)
    {
        final long wholeMs = Math.floorDiv(timeNs, 1_000_000L);
        final long fractionNs = Math.floorMod(timeNs, 1_000_000L);
        int i = offset;
        if (timeNs < 0 && 0 != fractionNs)
        {
            b[i++] = '-';
            return putMs(b, i, -(wholeMs + 1), 1_000_000L - fractionNs);
        }
        return putMs(b, i, wholeMs, fractionNs);
    }

    private static int putMs(final byte[] b, final int offset, final long wholeMs, final long fractionNs)
    {
        int i = putLong(b, offset, wholeMs);
        if (0 != fractionNs)
        {
            b[i++] = '.';
            // six digits with leading zeros in bytes 2..7 (fractionNs < 10^6), trailing zeros counted, not divided off
            final long digits = DoubleText.eightDigits((int)fractionNs);
            final int trailingZeros = Long.numberOfLeadingZeros(digits) >>> 3;
            DoubleText.LONGS.set(b, i, (digits + DoubleText.ASCII_ZEROS) >>> 16);
            i += 6 - trailingZeros;
        }
        return i;
    }

    /**
     * As {@link Long#toString(long)}.
     */
    static int putLong(final byte[] b, final int offset, final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            final byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII); // never in practice
            System.arraycopy(text, 0, b, offset, text.length);
            return offset + text.length;
        }
        int i = offset;
        long v = value;
        if (v < 0)
        {
            b[i++] = '-';
            v = -v;
        }
        return DoubleText.putDigits(v, DoubleText.digitLength(v), b, i);
    }

    private static int putKey(
        final byte[] b, final int offset, final DirectBuffer keyBuffer, final int keyOffset, final int keyLength)
    {
        int i = offset;
        if (keyLength >= 8 ? copyPlain(b, offset, keyBuffer, keyOffset, keyLength) :
            isPlain(keyBuffer, keyOffset, keyLength))
        {
            if (keyLength < 8)
            {
                for (int k = 0; k < keyLength; k++)
                {
                    b[i + k] = keyBuffer.getByte(keyOffset + k);
                }
            }
            return i + keyLength;
        }
        boolean quote = false;
        for (int k = 0; k < keyLength; k++)
        {
            final byte c = keyBuffer.getByte(keyOffset + k);
            if (',' == c || '"' == c || '\n' == c || '\r' == c)
            {
                quote = true;
            }
        }
        if (quote)
        {
            b[i++] = '"';
        }
        for (int k = 0; k < keyLength; k++)
        {
            final byte c = keyBuffer.getByte(keyOffset + k);
            if ('"' == c)
            {
                b[i++] = '"';
            }
            b[i++] = c < 0 ? (byte)'?' : c; // as an US-ASCII writer of WindowCsv's text writes a non-ASCII byte
        }
        if (quote)
        {
            b[i++] = '"';
        }
        return i;
    }

    /**
     * Copy a key of at least 8 bytes as it is, eight bytes at a time (the last eight overlapping the ones before),
     * checking each eight as {@link #isPlain} does.
     *
     * @return false, with some bytes copied, if the key needs quoting or holds a byte above 127.
     */
    private static boolean copyPlain(
        final byte[] b, final int offset, final DirectBuffer keyBuffer, final int keyOffset, final int keyLength)
    {
        long special = 0;
        int k = 0;
        for (; k + 8 < keyLength; k += 8)
        {
            final long x = keyBuffer.getLong(keyOffset + k, ByteOrder.LITTLE_ENDIAN);
            special |= special(x);
            DoubleText.LONGS.set(b, offset + k, x);
        }
        final long last = keyBuffer.getLong(keyOffset + keyLength - 8, ByteOrder.LITTLE_ENDIAN);
        DoubleText.LONGS.set(b, offset + keyLength - 8, last);
        return (special | special(last)) == 0;
    }

    private static long special(final long x)
    {
        return (x & HIGH_BITS) | hasZeroByte(x ^ COMMAS) | hasZeroByte(x ^ QUOTES) | hasZeroByte(x ^ LINE_FEEDS) |
            hasZeroByte(x ^ CARRIAGE_RETURNS);
    }

    /**
     * Whether the key is written as it is: no byte that needs quoting ({@code , " \n \r}) and none above 127;
     * eight bytes at a time.
     */
    static boolean isPlain(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength)
    {
        int k = 0;
        for (; k + 8 <= keyLength; k += 8)
        {
            if (special(keyBuffer.getLong(keyOffset + k)) != 0)
            {
                return false;
            }
        }
        for (; k < keyLength; k++)
        {
            final byte c = keyBuffer.getByte(keyOffset + k);
            if (',' == c || '"' == c || '\n' == c || '\r' == c || c < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return non-zero exactly when a byte of {@code x} is zero.
     */
    private static long hasZeroByte(final long x)
    {
        return (x - LOW_BITS) & ~x & HIGH_BITS;
    }
}
