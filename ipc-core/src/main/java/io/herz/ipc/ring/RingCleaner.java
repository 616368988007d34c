package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentException;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.ConsumerSlotDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.*;

/**
 * Cleans the space ahead of the tail in bulk, so that no consumer ever zeroes what it read (layout version 3).
 * <p>
 * Invariant: every 8-byte word at positions {@code [tailPosition, cleanPosition)} holds the clean word of its lap
 * ({@link RecordDescriptor#cleanWord(long)}: 0 in lap 0), except what an exclusive producer wrote into its claim in
 * flight and the payloads of shared claims in flight, and {@code cleanPosition <= oldest + capacity}, where {@code
 * oldest} is the smallest position of the registered consumers (or {@code basePosition} when none is registered). A
 * claim may not pass {@code cleanPosition}. A producer whose claim comes within a margin of it ({@link #margin()}: a
 * quarter of the ring, at most 1 MiB) calls {@link #clean(long, boolean)} early, while the claim still fits, so that
 * the other producers go on claiming in the margin while it cleans (a producer that cleaned only once its claim no
 * longer fitted was refused whenever another producer held the lock to clean that same chunk: back-pressure on a ring
 * its consumers had emptied). Chunks are small (a sixteenth of the ring, at most {@value #MAX_CHUNK} bytes), because
 * the claim that cleans waits for the cleaning: 256 KiB chunks cost that claim 11-14 us, once every 4096 records of 64
 * bytes, which at paced rates delays the records queued behind it and shows in the tail latency. Under the ring lock it
 * reads every consumer position (F3 acquire, pairing with each consumer's F9 release, so every read of the old lap
 * happened before), cleans the next chunk (more if the claim needs more, never past {@code oldest + capacity}) and
 * advances {@code cleanPosition} (F21 release). A claimer acquires {@code cleanPosition} (F20) before its tail CAS and
 * a reader acquires it (F19) before it reads a header below it, so both see the clean words: a reader at a position
 * below {@code cleanPosition} sees this lap's clean word (free or claimed) or a committed header of this lap, never a
 * byte of an earlier lap.
 * <p>
 * Why producers clean and not consumers: the producer writes these lines next anyway, so cleaning them in bulk ahead
 * of time costs it one pass over lines it is about to own, and no line is pulled back from a consumer (v1's consumer
 * zeroed every record it read, so every line went consumer-exclusive and back again). A consumer only reads.
 * <p>
 * The cleaner also applies the opt-in drop policy: a registered consumer with {@code dropAfterMs > 0}, no live
 * process attached and no heartbeat for that long, is removed and counted in {@code droppedConsumers}. Slow path.
 */
final class RingCleaner
{
    static final int MIN_CHUNK_DIVISOR = 16;
    static final int RETRY_DIVISOR = 16;
    static final long LIVENESS_PROBE_INTERVAL_MS = 1;
    private static final long LIVENESS_PROBE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(LIVENESS_PROBE_INTERVAL_MS);
    static final int MAX_CHUNK = 32 * 1024;
    private static final int MAX_MARGIN = 1024 * 1024;
    private static final int MARGIN_DIVISOR = 4;

    private final Segment segment;
    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final int capacity;
    private final int chunk;
    private final int margin;
    private final int retryStride;
    private long nextProbeNs = System.nanoTime();

    RingCleaner(final Segment segment)
    {
        this.segment = segment;
        this.header = segment.buffer();
        this.data = segment.dataBuffer();
        this.capacity = segment.capacity();
        this.chunk = Math.min(capacity / MIN_CHUNK_DIVISOR, MAX_CHUNK);
        this.margin = Math.min(capacity / MARGIN_DIVISOR, MAX_MARGIN);
        this.retryStride = Math.max(RecordDescriptor.ALIGNMENT, chunk / RETRY_DIVISOR);
    }

    /**
     * Clean the next chunk, at least up to {@code needed}, if the consumers allow it. A producer calls this early,
     * while its claim still fits ({@code mustAdvance} false: a lock held by anyone else is left alone, and nothing
     * is done when another producer has cleaned meanwhile), and again when its claim no longer fits
     * ({@code mustAdvance} true: the claim is refused unless the clean position moves; only then is a holder that
     * does not let go checked for a dead process, at most once per {@value #LIVENESS_PROBE_INTERVAL_MS} ms, since
     * that reads {@code /proc}).
     *
     * @param needed      the position the caller's claim must not pass.
     * @param mustAdvance whether the caller's claim is refused unless the clean position passes {@code needed}.
     * @return the clean position now (may be below {@code needed}: back-pressure).
     */
    long clean(final long needed, final boolean mustAdvance)
    {
        if (!RingLock.tryLockIfFree(segment) && !(mustAdvance && probeHolder()))
        {
            // F20 acquire (clean position): someone else is cleaning; take what is published.
            return header.getLongAcquire(CLEAN_POSITION_OFFSET);
        }
        try
        {
            final long clean = header.getLongVolatile(CLEAN_POSITION_OFFSET);
            if (!mustAdvance && needed <= clean - margin)
            {
                return clean; // another producer cleaned ahead meanwhile
            }
            final long oldest = oldestPosition(segment, System.currentTimeMillis());
            final long tail = header.getLongVolatile(TAIL_POSITION_OFFSET);
            if (clean < tail || clean - oldest > capacity)
            {
                throw new SegmentException(segment.path(), "corrupt cleanPosition: expected " + tail + ".." +
                    (oldest + capacity) + ", found " + clean);
            }
            final long limit = oldest + capacity;
            final long target = Math.min(limit, Math.max(needed, clean + chunk));
            if (target > clean)
            {
                fill(data, clean, target); // plain: published by F21
                // setMemory and copyMemory may use non-temporal stores, which a release store does not order on
                // x86: fence them.
                VarHandle.fullFence();
                header.putLongRelease(CLEANED_BYTES_OFFSET, header.getLong(CLEANED_BYTES_OFFSET) + (target - clean));
                // F21 release (clean position): the clean words above are visible to whoever acquires the new value
                // (F19 in RingConsumer.read, F20 in RingProducer.tryClaim). Pairs with F19, F20.
                header.putLongRelease(CLEAN_POSITION_OFFSET, target);
                return target;
            }
            return clean;
        }
        finally
        {
            RingLock.unlock(segment);
        }
    }

    /**
     * The lock is taken and our claim cannot go on without cleaning: take the lock over if its holder is gone.
     */
    private boolean probeHolder()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextProbeNs < 0)
        {
            return false;
        }
        nextProbeNs = nowNs + LIVENESS_PROBE_INTERVAL_NS;
        return RingLock.tryLock(segment);
    }

    /**
     * @return bytes cleaned at a time (at least): a sixteenth of the capacity, at most {@value #MAX_CHUNK}.
     */
    int chunk()
    {
        return chunk;
    }

    /**
     * @return how close to the clean position a claim may come before its producer cleans ahead: a quarter of the
     * capacity, at most 1 MiB; what the other producers can still claim while one cleans or is stopped holding the
     * lock (64 ms of {@code herz demo}'s two producers). A claim is refused with room in the ring only when a producer
     * holding the lock is stopped (descheduled, SIGSTOP) for longer than the others take to claim this much.
     */
    int margin()
    {
        return margin;
    }

    /**
     * @return bytes claimed between two early cleaning attempts that did not move the clean position.
     */
    int retryStride()
    {
        return retryStride;
    }

    /**
     * Clean the positions {@code [from, to)} of a data area, across its end if need be: every 8-byte word gets the
     * clean word of its position's lap. Plain stores, which the caller publishes (and fences: {@code setMemory} and
     * {@code copyMemory} may use non-temporal stores).
     *
     * @param data the data area, its capacity a power of two.
     * @param from first position, a multiple of 8.
     * @param to   end position, a multiple of 8, at most a capacity above {@code from}.
     */
    static void fill(final AtomicBuffer data, final long from, final long to)
    {
        final int capacity = data.capacity();
        final int shift = Integer.numberOfTrailingZeros(capacity);
        final int fromIndex = (int)from & (capacity - 1);
        final int length = (int)(to - from);
        final int first = Math.min(length, capacity - fromIndex);
        fillWords(data, fromIndex, first, RecordDescriptor.cleanWordAt(from, shift));
        if (first < length)
        {
            fillWords(data, 0, length - first, RecordDescriptor.cleanWordAt(from + first, shift));
        }
    }

    /**
     * Fill {@code length} bytes (a multiple of 8) at {@code index} with {@code word}: one store, then copies that
     * double the filled range (a dozen {@code copyMemory} calls for a 32 KiB chunk instead of 4096 stores).
     */
    private static void fillWords(final AtomicBuffer data, final int index, final int length, final long word)
    {
        if (length == 0)
        {
            return;
        }
        if (word == 0)
        {
            data.setMemory(index, length, (byte)0);
            return;
        }
        data.putLong(index, word);
        int filled = Long.BYTES;
        while (filled < length)
        {
            final int copy = Math.min(filled, length - filled);
            data.putBytes(index + filled, data, index, copy);
            filled += copy;
        }
    }

    /**
     * The oldest position any registered consumer still needs, or {@code basePosition} when none is registered.
     * Call under the ring lock. Drops consumers whose opt-in timeout has passed without a live process. The tail is
     * read after the positions, so a valid position is never beyond it.
     *
     * @param segment the segment.
     * @param nowMs   epoch milliseconds, for the drop policy.
     * @return the oldest held position.
     * @throws SegmentException when a position is impossible (beyond the tail or more than a ring behind it).
     */
    static long oldestPosition(final Segment segment, final long nowMs)
    {
        final AtomicBuffer header = segment.buffer();
        long oldest = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        int oldestSlot = -1;
        int newestSlot = -1;
        boolean dropped = false;
        for (int i = 0; i < CONSUMER_SLOT_COUNT; i++)
        {
            final int slot = consumerSlotOffset(i);
            if (header.getIntVolatile(slot + STATE_OFFSET) != STATE_REGISTERED)
            {
                continue;
            }
            // F3 acquire (consumer position): every read of the space below it happened before. Pairs with F9.
            final long position = header.getLongAcquire(slot + POSITION_OFFSET);
            final long dropAfterMs = header.getLong(slot + DROP_AFTER_MS_OFFSET);
            if (dropAfterMs > 0 && shouldDrop(header, i, dropAfterMs, nowMs))
            {
                header.putIntRelease(slot + STATE_OFFSET, STATE_FREE);
                header.getAndAddLong(DROPPED_CONSUMERS_OFFSET, 1);
                dropped = true;
                continue;
            }
            if (position < oldest)
            {
                oldest = position;
                oldestSlot = i;
            }
            if (position > newest)
            {
                newest = position;
                newestSlot = i;
            }
        }
        // Read after the positions; an exclusive producer's record a consumer has read may lie above the tail until
        // that producer's tail store (F28 before F5x), so positions are bounded by the committed end.
        final long tail = header.getLongVolatile(TAIL_POSITION_OFFSET);
        final long end = ProducerRegistry.committedEnd(segment, tail);
        if (oldestSlot < 0)
        {
            if (dropped)
            {
                // The last registered consumer left: the ring retains nothing older than now (see RingConsumers).
                header.putLongRelease(BASE_POSITION_OFFSET, tail);
            }
            final long base = header.getLongVolatile(BASE_POSITION_OFFSET);
            if (base < 0 || base > tail || tail - base > segment.capacity())
            {
                throw new SegmentException(segment.path(), "corrupt basePosition: expected " +
                    Math.max(0, tail - segment.capacity()) + ".." + tail + ", found " + base);
            }
            return base;
        }
        checkPosition(segment, oldestSlot, oldest, end);
        checkPosition(segment, newestSlot, newest, end);
        return oldest;
    }

    /**
     * @param segment   the segment.
     * @param slotIndex the consumer slot, for the error.
     * @param position  the consumer position read.
     * @param tail      the committed end read after it ({@link ProducerRegistry#committedEnd}).
     * @throws SegmentException when the position is beyond it, more than a ring behind it, or not aligned.
     */
    static void checkPosition(final Segment segment, final int slotIndex, final long position, final long tail)
    {
        if (position < 0 || position > tail || tail - position > segment.capacity() ||
            (position & (RecordDescriptor.ALIGNMENT - 1)) != 0)
        {
            throw new SegmentException(segment.path(), "corrupt consumer position in consumer slot " + slotIndex +
                ": expected an 8-byte aligned position in " + Math.max(0, tail - segment.capacity()) + ".." + tail +
                ", found " + position);
        }
    }

    private static boolean shouldDrop(
        final AtomicBuffer header, final int slotIndex, final long dropAfterMs, final long nowMs)
    {
        final int slot = consumerSlotOffset(slotIndex);
        final long heartbeatMs = header.getLongAcquire(slot + HEARTBEAT_OFFSET);
        if (nowMs - heartbeatMs < dropAfterMs)
        {
            return false;
        }
        final long owner = header.getLongVolatile(slot + OWNER_TOKEN_OFFSET);
        // A holder in another pid namespace is never taken for dead (namespace recorded by RingConsumers.attach).
        return owner == 0 || RingConsumers.holderLiveness(header, slotIndex, owner).isDead();
    }
}
