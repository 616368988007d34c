package io.herz.ipc.segment;


import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How to create or open a segment. Mutable builder; {@link #conclude()} validates it once, before anything is
 * mapped, and throws {@link IllegalArgumentException} naming the bad value.
 */
public final class SegmentConfig
{
    /** Default directory for segment files: memory-backed on Linux. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm/herz");
    /** Default data capacity: 16 MiB. */
    public static final int DEFAULT_CAPACITY = 16 * 1024 * 1024;
    /** Default producer slots. */
    public static final int DEFAULT_PRODUCER_SLOTS = 32;
    /** Default counters. */
    public static final int DEFAULT_COUNTERS = 64;
    /** Default bounded wait for a segment that is still being created. */
    public static final long DEFAULT_OPEN_TIMEOUT_MS = 5_000;

    /** Default of {@link #lockTimeoutMs(long)}. */
    public static final long DEFAULT_LOCK_TIMEOUT_MS = 5_000;
    /** Default permissions of a new segment file. */
    public static final String DEFAULT_MODE = "rw-------";

    private long capacity = DEFAULT_CAPACITY;
    private long maxRecordLength = -1;
    private long producerSlotCount = DEFAULT_PRODUCER_SLOTS;
    private long counterCount = DEFAULT_COUNTERS;
    private long openTimeoutMs = DEFAULT_OPEN_TIMEOUT_MS;
    private long lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS;
    private String mode = DEFAULT_MODE;
    private Set<PosixFilePermission> permissions;
    private boolean allowForeignOwner;
    private boolean concluded;

    /**
     * @param capacity bytes of the data area, a power of two from 1 KiB to 1 GiB.
     * @return this.
     */
    public SegmentConfig capacity(final long capacity)
    {
        this.capacity = capacity;
        return this;
    }

    /**
     * @param maxRecordLength largest payload in bytes; default: capacity / 8 - 8.
     * @return this.
     */
    public SegmentConfig maxRecordLength(final long maxRecordLength)
    {
        this.maxRecordLength = maxRecordLength;
        return this;
    }

    /**
     * @param producerSlotCount how many producers (threads or processes) may be registered at once.
     * @return this.
     */
    public SegmentConfig producerSlotCount(final long producerSlotCount)
    {
        this.producerSlotCount = producerSlotCount;
        return this;
    }

    /**
     * @param counterCount how many named counters the segment holds.
     * @return this.
     */
    public SegmentConfig counterCount(final long counterCount)
    {
        this.counterCount = counterCount;
        return this;
    }

    /**
     * @param openTimeoutMs how long {@code open} waits for a file that does not exist yet or is still being created.
     * @return this.
     */
    public SegmentConfig openTimeoutMs(final long openTimeoutMs)
    {
        this.openTimeoutMs = openTimeoutMs;
        return this;
    }

    /**
     * @param lockTimeoutMs how long attaching or removing a consumer waits for the ring lock while a live process
     *                      holds it (then a {@link SegmentException} names the holder); default
     *                      {@value #DEFAULT_LOCK_TIMEOUT_MS} ms.
     * @return this.
     */
    public SegmentConfig lockTimeoutMs(final long lockTimeoutMs)
    {
        this.lockTimeoutMs = lockTimeoutMs;
        return this;
    }

    /**
     * @param mode permissions of a new segment file in {@code ls} notation, e.g. {@code rw-------}.
     * @return this.
     */
    public SegmentConfig mode(final String mode)
    {
        this.mode = mode;
        return this;
    }

    /**
     * @param allowForeignOwner open files owned by another user (off by default).
     * @return this.
     */
    public SegmentConfig allowForeignOwner(final boolean allowForeignOwner)
    {
        this.allowForeignOwner = allowForeignOwner;
        return this;
    }

    /**
     * Validate and fill in defaults. Idempotent.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad value.
     */
    public SegmentConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        check(SegmentDescriptor.checkCapacity(capacity));
        if (maxRecordLength == -1)
        {
            maxRecordLength = capacity / 8 - SegmentDescriptor.RECORD_HEADER_LENGTH;
        }
        check(SegmentDescriptor.checkMaxRecordLength(maxRecordLength, capacity));
        check(SegmentDescriptor.checkProducerSlotCount(producerSlotCount));
        check(SegmentDescriptor.checkCounterCount(counterCount));
        if (openTimeoutMs < 0)
        {
            throw new IllegalArgumentException("openTimeoutMs must not be negative: found " + openTimeoutMs);
        }
        if (lockTimeoutMs < 0)
        {
            throw new IllegalArgumentException("lockTimeoutMs must not be negative: found " + lockTimeoutMs);
        }
        try
        {
            permissions = PosixFilePermissions.fromString(mode);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("mode is not a permission string: expected e.g. rw-------, found " + mode);
        }
        concluded = true;
        return this;
    }

    private static void check(final String problem)
    {
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
    }

    public int capacity()
    {
        return (int)capacity;
    }

    public int maxRecordLength()
    {
        return (int)maxRecordLength;
    }

    public int producerSlotCount()
    {
        return (int)producerSlotCount;
    }

    public int counterCount()
    {
        return (int)counterCount;
    }

    public long openTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(openTimeoutMs);
    }

    public long openTimeoutMs()
    {
        return openTimeoutMs;
    }

    public long lockTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(lockTimeoutMs);
    }

    public Set<PosixFilePermission> permissions()
    {
        return permissions;
    }

    public boolean allowForeignOwner()
    {
        return allowForeignOwner;
    }

    public String toString()
    {
        return "SegmentConfig{capacity=" + capacity + ", maxRecordLength=" + maxRecordLength +
            ", producerSlotCount=" + producerSlotCount + ", counterCount=" + counterCount +
            ", openTimeoutMs=" + openTimeoutMs + ", lockTimeoutMs=" + lockTimeoutMs + ", mode=" + mode +
            ", allowForeignOwner=" + allowForeignOwner + "}";
    }
}
