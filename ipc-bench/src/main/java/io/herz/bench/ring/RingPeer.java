package io.herz.bench.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.IoUtil;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rings a benchmark compares: Herz's segment ring and Agrona's {@code ManyToOneRingBuffer}, both on a mapped
 * file with the same data capacity. {@link #create} makes a new file (it fails if one exists); {@link #open} maps an
 * existing one, e.g. in another process.
 */
public enum RingPeer
{
    /** Herz: {@code RingProducer}/{@code RingConsumer} on a {@code Segment}. */
    HERZ
    {
        public BenchRing create(final Path path, final int capacity)
        {
            return new HerzBenchRing(Segment.create(path, config().capacity(capacity)), 0, false, false);
        }

        public BenchRing open(final Path path)
        {
            return new HerzBenchRing(Segment.open(path, config()), 0, false, false);
        }
    },

    /**
     * Herz with ipc-core's batch claims ({@code RingProducer.tryClaimBatch}): one tail CAS and one commit per
     * {@link #BATCH_LENGTH} bytes.
     */
    HERZ_BATCH
    {
        public BenchRing create(final Path path, final int capacity)
        {
            return new HerzBenchRing(Segment.create(path, config().capacity(capacity)), BATCH_LENGTH, false, false);
        }

        public BenchRing open(final Path path)
        {
            return new HerzBenchRing(Segment.open(path, config()), BATCH_LENGTH, false, false);
        }
    },

    /**
     * Herz producer and consumer of ipc-core, the consumer built with the benchmark's {@link SampledNanoClock} so an
     * empty poll reads the system clock only every 1024th time.
     */
    HERZ_SAMPLED_CLOCK
    {
        public BenchRing create(final Path path, final int capacity)
        {
            return new HerzBenchRing(Segment.create(path, config().capacity(capacity)), 0, true, false);
        }

        public BenchRing open(final Path path)
        {
            return new HerzBenchRing(Segment.open(path, config()), 0, true, false);
        }
    },

    /** Herz's exclusive producer ({@code RingProducer.exclusive}): claims without a CAS; one producer only. */
    HERZ_EXCLUSIVE
    {
        public BenchRing create(final Path path, final int capacity)
        {
            return new HerzBenchRing(Segment.create(path, config().capacity(capacity)), 0, false, true);
        }

        public BenchRing open(final Path path)
        {
            return new HerzBenchRing(Segment.open(path, config()), 0, false, true);
        }
    },

    /** Agrona: {@code ManyToOneRingBuffer} on an {@code UnsafeBuffer} over a mapped file. */
    AGRONA
    {
        public BenchRing create(final Path path, final int capacity)
        {
            if (Files.exists(path))
            {
                throw new IllegalArgumentException("ring file already exists: expected no file, found " +
                    path.toAbsolutePath());
            }
            createParent(path);
            return new AgronaBenchRing(path, IoUtil.mapNewFile(
                path.toFile(), (long)capacity + RingBufferDescriptor.TRAILER_LENGTH, true));
        }

        public BenchRing open(final Path path)
        {
            return new AgronaBenchRing(path, IoUtil.mapExistingFile(path.toFile(), "agrona ring"));
        }
    },

    /** Agrona: {@code OneToOneRingBuffer} (one producer only) on an {@code UnsafeBuffer} over a mapped file. */
    AGRONA_ONE_TO_ONE
    {
        public BenchRing create(final Path path, final int capacity)
        {
            if (Files.exists(path))
            {
                throw new IllegalArgumentException("ring file already exists: expected no file, found " +
                    path.toAbsolutePath());
            }
            createParent(path);
            return new AgronaBenchRing(path, IoUtil.mapNewFile(
                path.toFile(), (long)capacity + RingBufferDescriptor.TRAILER_LENGTH, true), true);
        }

        public BenchRing open(final Path path)
        {
            return new AgronaBenchRing(path, IoUtil.mapExistingFile(path.toFile(), "agrona ring"), true);
        }
    };

    /** Bytes the {@link #HERZ_BATCH} producer claims per CAS: 4 KiB, 56 records of 64-byte payload. */
    public static final int BATCH_LENGTH = 4096;

    /** Segment opens wait at most this long for a file to appear. */
    public static final long OPEN_TIMEOUT_MS = 10_000;

    /**
     * Create and map a new ring file.
     *
     * @param path     the file; parent directories are created.
     * @param capacity data capacity in bytes, a power of two.
     * @return the mapped ring.
     */
    public abstract BenchRing create(Path path, int capacity);

    /**
     * Map an existing ring file.
     *
     * @param path the file.
     * @return the mapped ring.
     */
    public abstract BenchRing open(Path path);

    /**
     * @param name a peer name in any case, e.g. "herz".
     * @return the peer.
     * @throws IllegalArgumentException for an unknown name.
     */
    public static RingPeer byName(final String name)
    {
        for (final RingPeer peer : values())
        {
            if (peer.name().equalsIgnoreCase(name))
            {
                return peer;
            }
        }
        throw new IllegalArgumentException(
            "unknown ring peer: expected herz, herz_batch, herz_sampled_clock, herz_exclusive, agrona or agrona_one_to_one, found " + name);
    }

    private static SegmentConfig config()
    {
        return new SegmentConfig().openTimeoutMs(OPEN_TIMEOUT_MS);
    }

    private static void createParent(final Path path)
    {
        final Path parent = path.toAbsolutePath().getParent();
        try
        {
            Files.createDirectories(parent);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create directory " + parent, ex);
        }
    }
}
