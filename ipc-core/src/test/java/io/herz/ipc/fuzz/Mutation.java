package io.herz.ipc.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One change to a segment file. Offsets are given as selectors (any non-negative int) and resolved against the
 * file at hand, so every generated mutation applies to every template and jqwik can shrink them freely.
 */
sealed interface Mutation
{
    /** Values a word is set to, resolved against the template: kind modulo this count. */
    int VALUE_KINDS = 16;

    byte[] apply(byte[] bytes, SegmentTemplates.Template template);

    /**
     * Set an aligned word to an interesting value: a word of a region of the template (see
     * {@link SegmentTemplates.Template#words(int)}), or any word of the file (region 3).
     */
    record SetWord(int region, int offsetSelector, int width, int valueKind, long random) implements Mutation
    {
        public byte[] apply(final byte[] bytes, final SegmentTemplates.Template template)
        {
            if (bytes.length < 8)
            {
                return bytes;
            }
            final int[] words = template.words(region);
            final int offset = region == 3 ? (offsetSelector % (bytes.length / 4)) * 4 :
                words[offsetSelector % words.length];
            final int aligned = width == 8 ? offset & ~7 : offset;
            if (aligned + width > bytes.length)
            {
                return bytes;
            }
            final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            final long original = width == 8 ? buffer.getLong(aligned) : buffer.getInt(aligned);
            final long value = value(original, template);
            if (width == 8)
            {
                buffer.putLong(aligned, value);
            }
            else
            {
                buffer.putInt(aligned, (int)value);
            }
            return bytes;
        }

        private long value(final long original, final SegmentTemplates.Template template)
        {
            final long capacity = template.capacity();
            return switch (Math.floorMod(valueKind, VALUE_KINDS))
            {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> 1;
                case 3 -> original + capacity; // a stale or future lap
                case 4 -> original - capacity;
                case 5 -> original + 8 * (random % 64);
                case 6 -> capacity + 8 * (random % 4);
                case 7 -> template.maxRecordLength() + random % 16;
                case 8 -> Integer.MAX_VALUE - random % 16;
                case 9 -> Integer.MIN_VALUE + random % 16;
                case 10 -> Long.MAX_VALUE - random % 16;
                case 11 -> Long.MIN_VALUE;
                case 12 -> (ProcessHandle.current().pid() << 32) | (random & 0xFFFF_FFFFL); // a live pid, wrong start
                case 13 -> original ^ (1L << Math.floorMod(random, 64));
                case 14 -> random & 0xFFFF;
                default -> random;
            };
        }
    }

    /** XOR one byte anywhere with a non-zero mask. */
    record FlipByte(int offsetSelector, int mask) implements Mutation
    {
        public byte[] apply(final byte[] bytes, final SegmentTemplates.Template template)
        {
            if (bytes.length > 0)
            {
                bytes[offsetSelector % bytes.length] ^= (byte)(mask == 0 ? 1 : mask);
            }
            return bytes;
        }
    }

    /** Cut the file at a random length. */
    record Truncate(int lengthSelector) implements Mutation
    {
        public byte[] apply(final byte[] bytes, final SegmentTemplates.Template template)
        {
            return Arrays.copyOf(bytes, bytes.length == 0 ? 0 : lengthSelector % bytes.length);
        }
    }

    /** Append bytes (zeros or a pattern). */
    record Extend(int count, boolean zeros) implements Mutation
    {
        public byte[] apply(final byte[] bytes, final SegmentTemplates.Template template)
        {
            final int extra = 1 + count % 8192;
            final byte[] longer = Arrays.copyOf(bytes, bytes.length + extra);
            if (!zeros)
            {
                for (int i = bytes.length; i < longer.length; i++)
                {
                    longer[i] = (byte)(i * 131);
                }
            }
            return longer;
        }
    }

    /** Copy an interesting 8-byte word over another one (a value from another field or another lap). */
    record CopyWord(int fromSelector, int toSelector) implements Mutation
    {
        public byte[] apply(final byte[] bytes, final SegmentTemplates.Template template)
        {
            final int[] offsets = template.words(fromSelector % 3);
            final int from = offsets[fromSelector % offsets.length] & ~7;
            final int to = offsets[toSelector % offsets.length] & ~7;
            if (from + 8 <= bytes.length && to + 8 <= bytes.length)
            {
                System.arraycopy(bytes, from, bytes, to, 8);
            }
            return bytes;
        }
    }

    /** Fill a range with one byte value (a torn or wiped region). */
    record Fill(int offsetSelector, int length, byte value) implements Mutation
    {
        public byte[] apply(final byte[] bytes, final SegmentTemplates.Template template)
        {
            if (bytes.length > 0)
            {
                final int from = offsetSelector % bytes.length;
                Arrays.fill(bytes, from, Math.min(bytes.length, from + 1 + length % 512), value);
            }
            return bytes;
        }
    }
}
