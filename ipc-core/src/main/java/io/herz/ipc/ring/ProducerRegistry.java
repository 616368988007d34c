package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

import static io.herz.ipc.ring.ProducerSlotDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.EXCLUSIVE_PRODUCER_TOKEN_OFFSET;
import static io.herz.ipc.segment.SegmentDescriptor.TAIL_POSITION_OFFSET;

/**
 * Takes and frees producer slots (layout in {@link ProducerSlotDescriptor}) and the exclusive-producer word. Slow
 * path only: registration scans the table and may ask the operating system whether a slot's owner is alive.
 * <p>
 * A slot is free when its owner token is 0, or when its owner process is gone <em>and</em> its last claim intent
 * can no longer stall the ring: it lies wholly below the oldest consumer position (every consumer is past it), it
 * never became a claim (at or beyond the tail), or every record in it is committed or padded (F26). A dead owner
 * whose intent won the tail (F25) has what is left of its claim padded here and now (F27, {@link #padDeadClaim}),
 * as a consumer's unblocker would once it got there, so a stopped or lagging consumer does not keep dead
 * producers' slots from their replacements. Order (issue 13, item 2): liveness first, then the intent (a dead owner
 * writes nothing more, so what is read after the liveness answer stays true), then the CAS on the owner token, which
 * fails if anyone took the slot meanwhile; a failed CAS looks at the slot again.
 * <p>
 * Exclusive producers (guarantee 10): an exclusive producer takes a slot, then the ring's exclusive word (F23 CAS),
 * then checks that no other slot has a live owner; a shared producer takes a slot, then checks the exclusive word.
 * Both the CASes and the checks are sequentially consistent, so of two racing producers at least one sees the other
 * and is refused (Dekker); the refusal names the holder.
 * <p>
 * Pid namespaces (issue 13, item 1): liveness is judged with the namespace the owner recorded in its slot
 * ({@link #ownerLiveness}). An owner in another pid namespace is never taken for dead: its slot is never reclaimed,
 * and when no slot is left the error names it ("... held by a process in another pid namespace: ...").
 */
final class ProducerRegistry
{
    /** At most this many records are walked to find a dead owner's claim resolved ({@link #isResolved}). */
    static final int MAX_RESOLVE_RECORDS = 4096;

    private ProducerRegistry()
    {
    }

    static int register(final Segment segment, final int producerId, final boolean exclusive)
    {
        final AtomicBuffer header = segment.buffer();
        final ProcessIdentity self = ProcessIdentity.current();
        final long token = self.token();
        final int slots = segment.producerSlotCount();
        String foreign = null;
        int heldByDead = 0;
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            final long owner = header.getLongVolatile(slot + OWNER_TOKEN_OFFSET);
            if (owner != 0 && !isReclaimable(segment, slot, owner))
            {
                final ProcessIdentity.Liveness liveness = ownerLiveness(header, slot, owner);
                if (foreign == null && liveness == ProcessIdentity.Liveness.FOREIGN_NAMESPACE)
                {
                    foreign = describeForeign(segment, i, owner, header, slot);
                }
                if (liveness.isDead())
                {
                    heldByDead++;
                }
                continue;
            }
            // F16 CAS (take slot): one owner per slot, identified by pid and start time in one word.
            // Pairs with the owner-token acquire loads of consumers (RingUnblocker) and of other registrants.
            if (header.compareAndSetLong(slot + OWNER_TOKEN_OFFSET, owner, token))
            {
                // Plain: published by the release of pid below.
                header.putInt(slot + PID_NAMESPACE_OFFSET, (int)self.pidNamespace());
                // Release (pid): publishes pidNamespace; judges acquire pid first (ownerLiveness) and take the
                // owner for alive while pid does not match the token yet.
                header.putLongRelease(slot + PID_OFFSET, self.pid());
                header.putLongRelease(slot + CLAIM_POSITION_OFFSET, NO_CLAIM);
                header.putLong(slot + CLAIM_LENGTH_OFFSET, 0);
                header.putLongRelease(slot + CLAIMED_POSITION_OFFSET, NO_CLAIM);
                header.putLong(slot + START_TIME_OFFSET, self.startTimeMs());
                header.putInt(slot + PRODUCER_ID_OFFSET, producerId);
                header.putInt(slot + FLAGS_OFFSET, 0); // FLAG_EXCLUSIVE only once the exclusive word is ours
                header.putLongRelease(slot + RECORDS_OFFERED_OFFSET, 0);
                header.putLongRelease(slot + BYTES_OFFERED_OFFSET, 0);
                header.putLongRelease(slot + BACK_PRESSURE_COUNT_OFFSET, 0);
                header.putLongRelease(slot + LOST_CLAIMS_OFFSET, 0);
                // F17 release (heartbeat): also publishes the plain stores above to monitors.
                header.putLongRelease(slot + HEARTBEAT_OFFSET, System.currentTimeMillis());
                checkExclusive(segment, i, exclusive);
                return i;
            }
            i--; // lost a race for this slot: look at it again
        }
        final String found = heldByDead == 0 ?
            "no free producer slot: expected fewer than " + slots + " live producers, found " + slots :
            "no free producer slot: expected fewer than " + slots + " slots in use, found " + slots + ": " +
            (slots - heldByDead) + " live, " + heldByDead + " held by dead producers whose last claim is neither " +
            "committed nor unblocked yet (each is freed once a consumer has unblocked it or read past it)";
        throw new SegmentException(segment.path(), found + (foreign == null ? "" : "; " + foreign));
    }

    private static void checkExclusive(final Segment segment, final int slotIndex, final boolean exclusive)
    {
        final AtomicBuffer header = segment.buffer();
        final long token = ProcessIdentity.current().token();
        while (true)
        {
            final long holder = header.getLongVolatile(EXCLUSIVE_PRODUCER_TOKEN_OFFSET);
            if (holder != 0)
            {
                if (!exclusiveHolderLiveness(segment, holder).isDead())
                {
                    release(segment, slotIndex);
                    throw new SegmentException(segment.path(), "ring has an exclusive producer: expected no other " +
                        "producer, found pid=" + ProcessIdentity.pidOf(holder));
                }
                resolveExclusiveHolder(segment, slotIndex, holder);
            }
            if (!exclusive)
            {
                // F23 CAS (exclusive word): a dead holder's word is freed, its claim resolved above.
                if (holder == 0 || header.compareAndSetLong(EXCLUSIVE_PRODUCER_TOKEN_OFFSET, holder, 0))
                {
                    return;
                }
                continue;
            }
            // F23 CAS (exclusive word): a dead holder is replaced in the same step.
            if (header.compareAndSetLong(EXCLUSIVE_PRODUCER_TOKEN_OFFSET, holder, token))
            {
                header.putIntRelease(SegmentDescriptor.producerSlotOffset(slotIndex) + FLAGS_OFFSET, FLAG_EXCLUSIVE);
                break;
            }
        }
        final int slots = segment.producerSlotCount();
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            final long owner = header.getLongVolatile(slot + OWNER_TOKEN_OFFSET);
            if (i != slotIndex && owner != 0 && !ownerLiveness(header, slot, owner).isDead())
            {
                header.compareAndSetLong(EXCLUSIVE_PRODUCER_TOKEN_OFFSET, token, 0);
                release(segment, slotIndex);
                throw new SegmentException(segment.path(), "ring has another producer: expected none for an " +
                    "exclusive producer, found pid=" + ProcessIdentity.pidOf(owner) + " slot=" + i);
            }
        }
    }

    /**
     * The exclusive word names a dead process: resolve the claim its slot may still hold (a slot that registration
     * reclaimed was resolved then, see {@link #isReclaimable}), so that nobody claims over its bytes.
     *
     * @throws SegmentException (after freeing this registrant's slot) when the claim cannot be resolved now.
     */
    private static void resolveExclusiveHolder(final Segment segment, final int slotIndex, final long holder)
    {
        final AtomicBuffer header = segment.buffer();
        final int slots = segment.producerSlotCount();
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            if (i != slotIndex && header.getLongVolatile(slot + OWNER_TOKEN_OFFSET) == holder &&
                (header.getIntVolatile(slot + FLAGS_OFFSET) & FLAG_EXCLUSIVE) != 0 &&
                !resolveDeadExclusive(segment, slot))
            {
                release(segment, slotIndex);
                final long lockHolder = header.getLongVolatile(SegmentDescriptor.RING_LOCK_TOKEN_OFFSET);
                throw new SegmentException(segment.path(), "the ring's exclusive producer pid=" +
                    ProcessIdentity.pidOf(holder) + " is gone with a claim in flight: expected to resolve it under " +
                    "the ring lock, found " + (lockHolder == 0 ? "an intent that is not an exclusive claim " +
                    "(claimPosition=" + header.getLongVolatile(slot + CLAIM_POSITION_OFFSET) + ", claimLength=" +
                    header.getLong(slot + CLAIM_LENGTH_OFFSET) + "; expected at the tail " +
                    header.getLongVolatile(TAIL_POSITION_OFFSET) + ", " + RecordDescriptor.HEADER_LENGTH + ".." +
                    segment.capacity() / 2 + " bytes, within the clean position " +
                    header.getLongVolatile(SegmentDescriptor.CLEAN_POSITION_OFFSET) + ")" :
                    "the lock held by pid=" + ProcessIdentity.pidOf(lockHolder) + "; try again"));
            }
        }
    }

    /**
     * Resolve what a dead exclusive producer's claim in flight left in the ring, under the ring lock. An exclusive
     * producer's intent (F4) names the space it may have written; its tail moves only after the claim's gate (F28,
     * the claim's first word, written last), so with the intent at the tail:
     * <ul>
     * <li>a gate that landed (not the clean word) is a committed claim: consumers may have read it, so the tail
     * follows it (F29 CAS from the tail read, to the end of the intent), as the dead producer's next store would have
     * done;</li>
     * <li>a gate still clean: no consumer has read past it, and the space holds whatever of the payload the producer
     * wrote; it is cleaned again, as clean space must be, before anybody claims there.</li>
     * </ul>
     * An intent below the tail was committed, one beyond it or outside the clean space is not what an exclusive
     * producer writes (the slot stays held, the safe direction). The intent is withdrawn afterwards, so a second
     * call finds nothing to do.
     *
     * @param segment the segment.
     * @param slot    offset of the dead exclusive producer's slot.
     * @return true when nothing of the claim is left; false when the lock is held by a live process or the intent is
     * not an exclusive producer's.
     */
    static boolean resolveDeadExclusive(final Segment segment, final int slot)
    {
        final AtomicBuffer header = segment.buffer();
        if (!RingLock.tryLock(segment))
        {
            return false;
        }
        try
        {
            final long claimPosition = header.getLongAcquire(slot + CLAIM_POSITION_OFFSET);
            final long tail = header.getLongVolatile(TAIL_POSITION_OFFSET);
            if (claimPosition == NO_CLAIM || claimPosition < tail)
            {
                return true;
            }
            final long claimLength = header.getLong(slot + CLAIM_LENGTH_OFFSET);
            final int capacity = segment.capacity();
            if (claimPosition != tail || claimLength < RecordDescriptor.HEADER_LENGTH ||
                (claimLength & (RecordDescriptor.ALIGNMENT - 1)) != 0 || claimLength > capacity / 2 ||
                tail + claimLength > header.getLongVolatile(SegmentDescriptor.CLEAN_POSITION_OFFSET))
            {
                return false;
            }
            final AtomicBuffer data = segment.dataBuffer();
            // F29 acquire (dead exclusive producer's gate): pairs with F28 in RingProducer.finishExclusive.
            final long gate = data.getLongAcquire((int)tail & (capacity - 1));
            if (gate != RecordDescriptor.cleanWordAt(tail, Integer.numberOfTrailingZeros(capacity)))
            {
                final int length = (int)gate;
                if (length < RecordDescriptor.HEADER_LENGTH ||
                    BitUtil.align(length, RecordDescriptor.ALIGNMENT) > claimLength)
                {
                    return false;
                }
                // F29 CAS (roll the tail forward): the committed claim the dead producer's F5x did not cover yet.
                // Pairs with F2, F10 and committedEnd's acquires.
                header.compareAndSetLong(TAIL_POSITION_OFFSET, tail, tail + claimLength);
            }
            else
            {
                RingCleaner.fill(data, tail, tail + claimLength); // plain: published by the lock's F22 release
                VarHandle.fullFence(); // setMemory and copyMemory may use non-temporal stores
            }
            header.putLongRelease(slot + CLAIM_POSITION_OFFSET, NO_CLAIM);
            return true;
        }
        finally
        {
            RingLock.unlock(segment);
        }
    }

    /**
     * How far a consumer may have read: the tail, or, while an exclusive producer's claim at the tail has its gate
     * landed but not its tail store (F28 before F5x), the end of that claim. Call with a tail read after the
     * consumer position being checked (F3); a consumer past the tail got there through that gate, after the
     * producer's intent (F4), so the intent is visible here. A tail that moved while the intent was read is past
     * the position already.
     *
     * @param segment the segment.
     * @param tail    the tail, read after the consumer positions to be checked.
     * @return the highest position a consumer may hold now.
     */
    static long committedEnd(final Segment segment, final long tail)
    {
        final AtomicBuffer header = segment.buffer();
        final long holder = header.getLongVolatile(EXCLUSIVE_PRODUCER_TOKEN_OFFSET);
        if (holder == 0)
        {
            return tail;
        }
        final int fit = (header.capacity() - SegmentDescriptor.PRODUCER_SLOTS_OFFSET) /
            SegmentDescriptor.PRODUCER_SLOT_LENGTH;
        final int slots = Math.min(fit, segment.producerSlotCount());
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            if (header.getLongVolatile(slot + OWNER_TOKEN_OFFSET) == holder &&
                (header.getIntVolatile(slot + FLAGS_OFFSET) & FLAG_EXCLUSIVE) != 0)
            {
                // Acquire (exclusive intent): pairs with F4 in RingProducer.claimExclusive.
                final long claimPosition = header.getLongAcquire(slot + CLAIM_POSITION_OFFSET);
                final long claimLength = header.getLong(slot + CLAIM_LENGTH_OFFSET);
                // Acquire (tail again): pairs with F5x; an intent newer than the tail read comes after its store.
                final long tailAfter = header.getLongAcquire(TAIL_POSITION_OFFSET);
                if (tailAfter != tail)
                {
                    return Math.max(tail, tailAfter);
                }
                return claimPosition == tail && claimLength > 0 && claimLength <= segment.capacity() / 2 ?
                    tail + claimLength : tail;
            }
        }
        return tail;
    }

    /**
     * Liveness of a producer slot's owner, judged with the pid namespace it recorded. While the slot's {@code pid}
     * does not match the token (an owner between its F16 CAS and the release of its pid, so its namespace may not be
     * visible yet) the owner is taken to be alive ({@link ProcessIdentity.Liveness#UNKNOWN}).
     *
     * @param header the segment header buffer.
     * @param slot   offset of the producer slot.
     * @param owner  the owner token read from the slot.
     * @return what is known of the owner.
     */
    static ProcessIdentity.Liveness ownerLiveness(final AtomicBuffer header, final int slot, final long owner)
    {
        // Acquire (pid): pairs with the release of pid in register(); pidNamespace, stored before it, is visible.
        if (header.getLongAcquire(slot + PID_OFFSET) != ProcessIdentity.pidOf(owner))
        {
            return ProcessIdentity.Liveness.UNKNOWN;
        }
        return ProcessIdentity.liveness(owner,
            ProcessIdentity.namespaceFromField(header.getInt(slot + PID_NAMESPACE_OFFSET)));
    }

    /**
     * A sentence for the owner of a producer slot recorded in another pid namespace.
     */
    static String describeForeign(
        final Segment segment, final int slotIndex, final long owner, final AtomicBuffer header, final int slot)
    {
        return ProcessIdentity.describeForeignHolder("ring " + segment.path() + " producer slot " + slotIndex, owner,
            ProcessIdentity.namespaceFromField(header.getInt(slot + PID_NAMESPACE_OFFSET)));
    }

    /**
     * The exclusive word holds a token only; its holder owns a producer slot with the same token, whose recorded
     * namespace decides. No such slot (the holder died between its two CASes, or released its slot): judged in ours.
     */
    private static ProcessIdentity.Liveness exclusiveHolderLiveness(final Segment segment, final long holder)
    {
        final AtomicBuffer header = segment.buffer();
        final int slots = segment.producerSlotCount();
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            if (header.getLongVolatile(slot + OWNER_TOKEN_OFFSET) == holder)
            {
                return ownerLiveness(header, slot, holder);
            }
        }
        return ProcessIdentity.liveness(holder, ProcessIdentity.UNKNOWN_NAMESPACE);
    }

    /**
     * Liveness of the holder of a token word without a namespace of its own (the ring lock): judged with the
     * namespace recorded in a producer or consumer slot that the same token owns, else taken to be in ours. Reads
     * only slots inside the header buffer, whatever the header's producerSlotCount says.
     *
     * @param header the segment header buffer (its capacity is the validated header length).
     * @param holder the token.
     * @return what is known of the holder.
     */
    static ProcessIdentity.Liveness lockHolderLiveness(final AtomicBuffer header, final long holder)
    {
        final int fit = (header.capacity() - SegmentDescriptor.PRODUCER_SLOTS_OFFSET) /
            SegmentDescriptor.PRODUCER_SLOT_LENGTH;
        final int slots = Math.max(0, Math.min(fit, header.getInt(SegmentDescriptor.PRODUCER_SLOT_COUNT_OFFSET)));
        for (int i = 0; i < slots; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            if (header.getLongVolatile(slot + OWNER_TOKEN_OFFSET) == holder)
            {
                return ownerLiveness(header, slot, holder);
            }
        }
        for (int i = 0; i < SegmentDescriptor.CONSUMER_SLOT_COUNT; i++)
        {
            final int slot = SegmentDescriptor.consumerSlotOffset(i);
            if (header.getLongVolatile(slot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET) == holder)
            {
                return RingConsumers.holderLiveness(header, i, holder);
            }
        }
        return ProcessIdentity.liveness(holder, ProcessIdentity.UNKNOWN_NAMESPACE);
    }

    private static boolean isReclaimable(final Segment segment, final int slot, final long owner)
    {
        if (!ownerLiveness(segment.buffer(), slot, owner).isDead())
        {
            return false;
        }
        // Liveness first: a dead owner writes nothing more, so what is read below stays true (issue 13, item 2).
        final AtomicBuffer header = segment.buffer();
        if ((header.getIntVolatile(slot + FLAGS_OFFSET) & FLAG_EXCLUSIVE) != 0)
        {
            return resolveDeadExclusive(segment, slot); // no claim of it is ever stalled: see that method
        }
        final long claimPosition = header.getLongAcquire(slot + CLAIM_POSITION_OFFSET);
        if (claimPosition == NO_CLAIM)
        {
            return true;
        }
        final long claimLength = header.getLong(slot + CLAIM_LENGTH_OFFSET);
        final long end = claimPosition + claimLength;
        // F25 acquire (winner's record): the dead owner's intent won the tail, so the space is its own.
        final boolean won = header.getLongAcquire(slot + CLAIMED_POSITION_OFFSET) == claimPosition;
        final boolean locked = RingLock.tryLock(segment);
        try
        {
            final long tail = header.getLongVolatile(TAIL_POSITION_OFFSET);
            if (claimPosition >= tail)
            {
                return true; // the intent never became a claim, and its dead owner cannot make it one now
            }
            if (!locked)
            {
                // A live holder (a producer cleaning, or one stopped while it cleans: the fault campaign's SIGSTOP)
                // may be cleaning right now, so nothing is padded (padDeadClaim); a claim every registered consumer
                // has read past is free all the same.
                return end <= lowestPosition(header);
            }
            final long oldest = RingCleaner.oldestPosition(segment, System.currentTimeMillis());
            // A dead owner's intent that became a claim must be consumed, or be resolved (committed or unblocked),
            // first: until then an unblocker may need the intent to size the padding of the stalled claim.
            if (end <= oldest)
            {
                return true;
            }
            return won ?
                padDeadClaim(segment, Math.max(claimPosition, oldest), claimLength, Math.min(end, tail)) :
                isResolved(segment, claimPosition, claimLength, Math.min(end, tail), oldest);
        }
        finally
        {
            if (locked)
            {
                RingLock.unlock(segment);
            }
        }
    }

    /**
     * Turn what is left uncommitted of a dead winner's claim into padding, as a consumer's unblocker would once its
     * position reached it, so that the slot is free now although no consumer has come that far (stopped, restarting
     * after a kill, or waiting on a stopped live producer's claim in front of it): the 60-minute fault campaign of
     * issue 13 saw six such slots held at once and two replacements refused. Call under the ring lock, with
     * {@code from} at or above the oldest consumer position.
     * <p>
     * Why it is safe. The space {@code [from, to)} is the dead owner's: it won the tail for it (F24, read with F25 by
     * the caller) and a dead process claims and commits nothing more, so the only other writers there are
     * unblockers, and every write here is a CAS on exactly the word inspected (F27), as theirs is (F12): of the two,
     * one pads. With the lock held nobody cleans, and nothing in {@code [oldest, tail)} is ever cleaned, so every word
     * read is this lap's: {@code from} is a record boundary (a tail the owner won, or a consumer position), and
     * the walk steps from header to header. Without the lock a clean word could be a later lap's clean space, the
     * registrant descheduled between its load and its CAS (the lap number makes that CAS fail, but the walk would
     * have stepped over records of two laps), so the caller pads nothing then.
     * <ul>
     * <li>A committed record or padding (the owner's padding to the end of the data area, or a claim an unblocker
     * padded already) is stepped over.</li>
 * <li>The clean word of the position's lap (a claim the owner had not committed: a shared claim writes no header,
     * layout version 3) becomes padding up to the end of the intent or of the data area, as the unblocker does for a
     * dead winner.</li>
     * <li>Anything else is not what a producer writes: the slot stays held (the safe direction).</li>
     * </ul>
     *
     * @param segment     the segment.
     * @param from        where to start: the intent's position, or the oldest consumer position inside it.
     * @param claimLength the intent's length.
     * @param to          the end of the intent, at most the tail.
     * @return true when nothing in the range can stall a consumer any more.
     */
    private static boolean padDeadClaim(final Segment segment, final long from, final long claimLength, final long to)
    {
        final int capacity = segment.capacity();
        if ((from & (RecordDescriptor.ALIGNMENT - 1)) != 0 || claimLength <= 0 || claimLength > capacity ||
            to - from > capacity)
        {
            return false; // not what a producer writes: leave the slot held
        }
        final AtomicBuffer header = segment.buffer();
        final AtomicBuffer data = segment.dataBuffer();
        final int mask = capacity - 1;
        long position = from;
        for (int step = 0; position < to; step++)
        {
            if (step == MAX_RESOLVE_RECORDS)
            {
                return false;
            }
            final int index = (int)position & mask;
            final int toEnd = capacity - index;
            // F27 acquire (dead winner's header): committed, padding or still clean. Pairs with F6, F7, F12.
            final long word = data.getLongAcquire(index);
            final int length = (int)word;
            final int padding;
            if (length >= RecordDescriptor.HEADER_LENGTH && length <= toEnd)
            {
                position += BitUtil.align(length, RecordDescriptor.ALIGNMENT);
                continue;
            }
            else if (word == RecordDescriptor.cleanWordAt(position, Integer.numberOfTrailingZeros(capacity)))
            {
                padding = (int)Math.min(to - position, toEnd);
            }
            else
            {
                return false; // not a record's header: leave the slot held
            }
            if (padding < RecordDescriptor.HEADER_LENGTH)
            {
                return false;
            }
            // F27 CAS (dead winner's claim to padding): exactly the word inspected, as an unblocker's F12; a racing
            // unblocker that padded first makes it fail, and the word is looked at again. Pairs with F8, F12.
            if (data.compareAndSetLong(index, word, RecordDescriptor.headerWord(padding,
                RecordDescriptor.PADDING_TYPE_ID)))
            {
                header.getAndAddLong(SegmentDescriptor.UNBLOCKED_RECORDS_OFFSET, 1);
                header.getAndAddLong(SegmentDescriptor.UNBLOCKED_BYTES_OFFSET, padding);
                position += padding;
            }
        }
        return true;
    }

    /**
     * A lower bound of the oldest position a consumer still needs, read without the ring lock: the lowest position of
     * a registered consumer (F3 acquire), else the base position. Consumer positions only grow, and a consumer
     * attaches (under the lock) at the tail or at the oldest position then, so space below this bound is not needed
     * by any consumer, now or later. Nothing is dropped here (that is the cleaner's, under the lock).
     */
    private static long lowestPosition(final AtomicBuffer header)
    {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < SegmentDescriptor.CONSUMER_SLOT_COUNT; i++)
        {
            final int slot = SegmentDescriptor.consumerSlotOffset(i);
            final int state = header.getIntVolatile(slot + ConsumerSlotDescriptor.STATE_OFFSET);
            if (state == ConsumerSlotDescriptor.STATE_REGISTERED)
            {
                // F3 acquire (consumer position): pairs with F9.
                lowest = Math.min(lowest, header.getLongAcquire(slot + ConsumerSlotDescriptor.POSITION_OFFSET));
            }
        }
        return lowest != Long.MAX_VALUE ? lowest : header.getLongVolatile(SegmentDescriptor.BASE_POSITION_OFFSET);
    }

    /**
     * Whether every record from {@code from} up to {@code to} is committed (records or padding), so that nothing there
     * can stall a consumer: the dead owner's intent, which only sizes the padding of a stalled claim, is then no
     * longer needed, although some consumer has not read that far yet (a stopped or restarting consumer, a
     * back-pressure storm: without this, producers killed meanwhile kept their slots until every consumer had read
     * past their claims, and replacements found no free slot; the 60-minute fault campaign of issue 13 hit it).
     * Call under the ring lock. Only space in {@code [oldest, tail)} is walked: it holds records of this lap and no
     * producer cleans it; space every consumer has passed may be cleaned meanwhile (then the slot waits for
     * {@code end <= oldest}). A walk that meets a header not yet committed, a length that is not a record's, or more
     * than {@link #MAX_RESOLVE_RECORDS} records answers false: the slot stays held, the safe direction.
     *
     * @param segment     the segment.
     * @param from        the intent's position (a position the tail had, so a record boundary, when not corrupt).
     * @param claimLength the intent's length.
     * @param to          the end of the intent, at most the tail.
     * @param oldest      the oldest position a consumer still needs.
     * @return true when the whole range is committed.
     */
    private static boolean isResolved(
        final Segment segment, final long from, final long claimLength, final long to, final long oldest)
    {
        final int capacity = segment.capacity();
        if (from < oldest || (from & (RecordDescriptor.ALIGNMENT - 1)) != 0 || claimLength <= 0 ||
            claimLength > capacity)
        {
            return false;
        }
        final AtomicBuffer data = segment.dataBuffer();
        final int mask = capacity - 1;
        long position = from;
        for (int records = 0; position < to; records++)
        {
            if (records == MAX_RESOLVE_RECORDS)
            {
                return false;
            }
            // F26 acquire (resolved header): a committed record or padding at this position. Pairs with F7, F12.
            final int length = (int)data.getLongAcquire((int)position & mask);
            if (length < RecordDescriptor.HEADER_LENGTH || length > capacity)
            {
                return false; // claimed, not committed (or not a record's length): the claim may still stall
            }
            position += BitUtil.align(length, RecordDescriptor.ALIGNMENT);
        }
        return true;
    }

    static void release(final Segment segment, final int slotIndex)
    {
        if (segment.isClosed())
        {
            return;
        }
        final AtomicBuffer header = segment.buffer();
        final int slot = SegmentDescriptor.producerSlotOffset(slotIndex);
        header.putLongRelease(slot + CLAIM_POSITION_OFFSET, NO_CLAIM);
        final long token = ProcessIdentity.current().token();
        if ((header.getInt(slot + FLAGS_OFFSET) & FLAG_EXCLUSIVE) != 0)
        {
            // F23 CAS (exclusive word): free it if this process holds it.
            header.compareAndSetLong(EXCLUSIVE_PRODUCER_TOKEN_OFFSET, token, 0);
        }
        // F16 CAS (free slot): only if we still own it.
        header.compareAndSetLong(slot + OWNER_TOKEN_OFFSET, token, 0);
    }
}
