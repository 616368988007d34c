package io.herz.codec;

import io.herz.ipc.transport.TransportUri;
import org.agrona.DirectBuffer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a partitioned stream is laid out: which partition a key goes to, and where partition {@code i} of a stream
 * lives.
 * <p>
 * <b>Key hash</b>, stable across producers, JVMs, releases and languages: FNV-1a 64 over the key's ASCII bytes
 * (offset basis {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}), then MurmurHash3's 64-bit finalizer
 * ({@code fmix64}) so that the low bits depend on every byte; the partition is the hash as an unsigned 64-bit number
 * modulo the partition count. It never uses {@code String.hashCode()} or anything else a JVM may change, so the same
 * key always lands in the same partition whichever producer sends it.
 * <p>
 * <b>Partition streams</b>: for a ring path (or {@code shm:PATH}) partition {@code i} inserts {@code -i} before the
 * file's extension ({@code events.seg} becomes {@code events-0.seg ... events-3.seg}; a name without extension gets
 * {@code -i} appended); for an {@code aeron:} URI partition {@code i} is the same channel with
 * {@code stream-id} + {@code i}, so the URI must name a {@code stream-id}.
 */
public final class Partitions
{
    /** Most partitions a stream may have. */
    public static final int MAX_PARTITIONS = 1024;

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final Pattern STREAM_ID = Pattern.compile("([?|])stream-id=(-?[0-9]+)");

    private Partitions()
    {
    }

    /**
     * The stable 64-bit hash of a key's bytes.
     *
     * @param key    buffer holding the key.
     * @param offset of the key.
     * @param length bytes.
     * @return {@code fmix64(fnv1a64(bytes))}.
     */
    public static long hash(final DirectBuffer key, final int offset, final int length)
    {
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < length; i++)
        {
            hash ^= key.getByte(offset + i) & 0xFF;
            hash *= FNV_PRIME;
        }
        return fmix64(hash);
    }

    /**
     * The stable 64-bit hash of an ASCII key, the same as for its bytes.
     *
     * @param key ASCII characters.
     * @return {@code fmix64(fnv1a64(bytes))}.
     */
    public static long hash(final CharSequence key)
    {
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0, length = key.length(); i < length; i++)
        {
            hash ^= key.charAt(i) & 0xFF;
            hash *= FNV_PRIME;
        }
        return fmix64(hash);
    }

    /**
     * @param hash           from {@link #hash(DirectBuffer, int, int)}.
     * @param partitionCount partitions, &ge; 1.
     * @return {@code unsigned(hash) mod partitionCount}.
     */
    public static int partition(final long hash, final int partitionCount)
    {
        return (int)Long.remainderUnsigned(hash, partitionCount);
    }

    /**
     * @param key            ASCII key.
     * @param partitionCount partitions, &ge; 1.
     * @return the partition of {@code key}.
     */
    public static int partition(final CharSequence key, final int partitionCount)
    {
        return partition(hash(key), partitionCount);
    }

    /**
     * Where partition {@code partition} of a stream lives.
     *
     * @param uri       the stream as written (a path, {@code shm:PATH} or an {@code aeron:} URI with a stream-id).
     * @param partition 0 to count - 1.
     * @param count     the number of partitions, 1 to {@link #MAX_PARTITIONS}; 1 leaves the stream unchanged.
     * @return the partition's stream.
     * @throws IllegalArgumentException for a count or partition out of range, an {@code aeron:} URI without a
     *                                  stream-id, or a scheme that cannot be partitioned.
     */
    public static String uri(final String uri, final int partition, final int count)
    {
        checkCount(count, uri);
        if (partition < 0 || partition >= count)
        {
            throw new IllegalArgumentException("stream '" + uri + "': partition out of range: expected 0.." +
                (count - 1) + ", found " + partition);
        }
        if (1 == count)
        {
            return uri;
        }
        final TransportUri parsed = TransportUri.parse(uri);
        if (parsed.isShm())
        {
            final String path = parsed.specific();
            final int slash = path.lastIndexOf('/');
            final int dot = path.lastIndexOf('.');
            final String partitioned = dot > slash + 1 ?
                path.substring(0, dot) + "-" + partition + path.substring(dot) : path + "-" + partition;
            return uri.startsWith(TransportUri.SHM + ":") ? TransportUri.SHM + ":" + partitioned : partitioned;
        }
        if ("aeron".equals(parsed.scheme()))
        {
            final Matcher matcher = STREAM_ID.matcher(uri);
            if (!matcher.find())
            {
                throw new IllegalArgumentException("stream '" + uri + "': a partitioned aeron stream needs a " +
                    "stream-id: expected aeron:...|stream-id=N (partition i uses N + i), found none");
            }
            final long streamId = Long.parseLong(matcher.group(2)) + partition;
            if (streamId > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("stream '" + uri + "': stream-id + partition out of range: " +
                    "expected <= " + Integer.MAX_VALUE + ", found " + streamId);
            }
            return uri.substring(0, matcher.start()) + matcher.group(1) + "stream-id=" + streamId +
                uri.substring(matcher.end());
        }
        throw new IllegalArgumentException("stream '" + uri + "': cannot partition scheme '" + parsed.scheme() +
            ":': expected a ring path, shm:PATH or an aeron: URI");
    }

    /**
     * @param count partitions.
     * @param what  the stream, for the message.
     * @throws IllegalArgumentException if out of range.
     */
    static void checkCount(final int count, final String what)
    {
        if (count < 1 || count > MAX_PARTITIONS)
        {
            throw new IllegalArgumentException("stream '" + what + "': partitions out of range: expected 1.." +
                MAX_PARTITIONS + ", found " + count);
        }
    }

    private static long fmix64(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
