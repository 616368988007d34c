package io.herz.ipc.stress;

import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small real segments for jcstress states, recycled instead of created per state.
 * <p>
 * Why a pool: jcstress 0.16 keeps {@code strideSize * strideCount} states alive per pass (up to 256 * 40 = 10240)
 * and replaces every one of them after each pass, so a test makes millions of states. A segment per state, created
 * and mapped by {@link Segment#create} and unmapped only when the garbage collector gets to it, costs a file
 * creation, a write, an fsync and an mmap each (measured in {@code stress-tests/README.md}) and would run into
 * {@code vm.max_map_count} (65530 by default). Instead each state takes a segment from this pool in its constructor
 * and gives it back in its {@code @Arbiter}, which jcstress runs after every actor of that state has finished and
 * before it makes the replacement state. The pool therefore never holds more segments than states are alive at
 * once (plus a few), each is mapped once per forked JVM, and a segment is never shared by two live states.
 * <p>
 * Every segment is a real one from {@link Segment#create}: capacity {@value #CAPACITY} bytes (the minimum, so
 * wrap-around is a few records away), the largest record the geometry allows, {@value #PRODUCER_SLOTS} producer slots,
 * no counters: 4096 bytes of header plus 1024 of data, mapped from {@code /dev/shm} (or {@code java.io.tmpdir}
 * without it) and unlinked at once, so nothing is left behind when a forked JVM dies.
 * <p>
 * {@link #acquire(long)} resets a recycled segment to the state {@link Segment#create} leaves, optionally with the
 * ring fast-forwarded to a start position. The reset uses plain stores: the state is built before jcstress hands
 * it to the actor threads, and jcstress's own synchronisation orders the two.
 */
public final class SegmentPool
{
    /** Data capacity of every pooled segment. */
    public static final int CAPACITY = SegmentDescriptor.MIN_CAPACITY;
    /** Largest payload: a quarter of the ring minus the record header. */
    static final int MAX_RECORD_LENGTH = SegmentDescriptor.maxRecordLengthLimit(CAPACITY);
    /** Producer slots of every pooled segment. */
    static final int PRODUCER_SLOTS = 4;

    private static final int MAX_POOLED = 32 * 1024;
    private static final ManyToManyConcurrentArrayQueue<Segment> FREE =
        new ManyToManyConcurrentArrayQueue<>(MAX_POOLED);
    private static final AtomicLong CREATED = new AtomicLong();
    private static final Path DIRECTORY = directory();

    private SegmentPool()
    {
    }

    /**
     * Take a segment that looks freshly created, with the ring drained at {@code startPosition}: tail and base equal
     * it, cleanPosition is a lap ahead and the data area is clean (the clean word of each position's lap, layout v3),
     * as a ring that has carried {@code startPosition} bytes and consumed them all.
     *
     * @param startPosition ring position to start at, 0 for a new ring.
     * @return a segment owned by the caller until {@link #release(Segment)}.
     */
    public static Segment acquire(final long startPosition)
    {
        Segment segment = FREE.poll();
        if (segment == null)
        {
            segment = create();
        }
        reset(segment, startPosition);
        return segment;
    }

    /**
     * Give a segment back. Call only when no thread uses it any more.
     *
     * @param segment from {@link #acquire(long)}.
     */
    public static void release(final Segment segment)
    {
        if (!FREE.offer(segment))
        {
            segment.close();
        }
    }

    /**
     * @return segments created by this JVM so far.
     */
    static long created()
    {
        return CREATED.get();
    }

    private static Segment create()
    {
        final Path path = DIRECTORY.resolve("ring-" + CREATED.incrementAndGet() + ".seg");
        final Segment segment = Segment.create(path, new SegmentConfig()
            .capacity(CAPACITY)
            .maxRecordLength(MAX_RECORD_LENGTH)
            .producerSlotCount(PRODUCER_SLOTS)
            .counterCount(0));
        segment.unlink(); // the mapping stays valid; nothing is left in /dev/shm if this JVM dies
        return segment;
    }

    private static void reset(final Segment segment, final long startPosition)
    {
        final AtomicBuffer header = segment.buffer();
        final int slotsEnd = SegmentDescriptor.producerSlotOffset(PRODUCER_SLOTS);
        // Everything Segment.create() leaves zero after the geometry block: positions, consumer block, slots.
        header.setMemory(SegmentDescriptor.TAIL_POSITION_OFFSET, slotsEnd - SegmentDescriptor.TAIL_POSITION_OFFSET,
            (byte)0);
        // Every slot zero is free; the ring starts drained at startPosition, one lap clean ahead: every 8-byte word
        // of [startPosition, startPosition + capacity) holds the clean word of its lap (layout v3).
        header.putLong(SegmentDescriptor.TAIL_POSITION_OFFSET, startPosition);
        header.putLong(SegmentDescriptor.CLEAN_POSITION_OFFSET, startPosition + segment.capacity());
        header.putLong(SegmentDescriptor.BASE_POSITION_OFFSET, startPosition);
        final AtomicBuffer data = segment.dataBuffer();
        final int capacity = segment.capacity();
        for (long position = startPosition; position < startPosition + capacity; position += Long.BYTES)
        {
            data.putLong((int)position & (capacity - 1), RecordDescriptor.cleanWord(position / capacity));
        }
    }

    private static Path directory()
    {
        final Path shm = Path.of("/dev/shm");
        final Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ?
            shm : Path.of(System.getProperty("java.io.tmpdir"));
        final Path dir = parent.resolve("herz-jcstress-" + ProcessHandle.current().pid());
        final File file = dir.toFile();
        file.deleteOnExit(); // empty by then: every segment file is unlinked right after it is mapped
        return dir;
    }
}
