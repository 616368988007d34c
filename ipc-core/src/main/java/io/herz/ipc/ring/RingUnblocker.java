package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.process.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

import static io.herz.ipc.ring.ProducerSlotDescriptor.*;
import static io.herz.ipc.ring.RecordDescriptor.*;
import static io.herz.ipc.segment.SegmentDescriptor.*;

/**
 * Turns a record that stalls a consumer's position into padding when, and only when, no live process can still
 * commit it (guarantee 7). Runs on the consumer thread, from {@link RingConsumer#read}, when a read found nothing.
 * Every consumer of a ring runs one; the padding CAS makes sure only one of them replaces a given header. A
 * registering producer that needs a dead winner's slot pads that claim the same way ({@code
 * ProducerRegistry.padDeadClaim}, F27), without waiting for a consumer to reach it.
 * <p>
 * A stall is a position whose header stays the clean word of its lap (claimed, not committed) while the tail is
 * beyond it. After a grace period of
 * {@value #CHECK_INTERVAL_MS} ms, and then every {@value #CHECK_INTERVAL_MS} ms, the unblocker reads every producer
 * slot's claim intent (F11) and winner's record (F25). A slot whose intent {@code [claimPosition, claimPosition +
 * claimLength)} contains the position is a candidate owner; it <em>won</em> when {@code claimedPosition ==
 * claimPosition}. Then:
 * <ul>
 * <li>a live candidate that won: wait, however long: a slow or stopped producer is never unblocked;
 * a candidate recorded in another pid namespace counts as live (it is never taken for dead) and is reported once per
 * stalled position ("... held by a process in another pid namespace: ...");</li>
 * <li>a dead candidate that won: it owns the position, so every other candidate lost: unblock at once, even while
 * a stopped loser's stale intent still covers the position (the v1 unblocker waited for the loser to run again);</li>
 * <li>else a live candidate (it may have won and not recorded it yet): wait;</li>
 * <li>else dead candidates only: unblock at once;</li>
 * <li>no candidate (a producer no slot identifies): unblock after the unidentified-stall timeout, but never over a
 * position that any slot's intent covers: the padding ends at the first committed header, the first position a
 * slot intends, the tail, or the end of the data area, whichever comes first.</li>
 * </ul>
 * A live winner is asked again after 1, 2, 4 and then every {@value #LIVE_RECHECK_MAX_MS} ms of the same stall, not
 * every {@value #CHECK_INTERVAL_MS} ms: a liveness probe reads {@code /proc} (tens of microseconds and some 15 KB of
 * garbage on the consumer thread, hundreds of microseconds on a loaded machine: {@code ConsumerDutyCycleBenchmark}),
 * and a producer descheduled between claim and commit, the common stall on a busy machine, is alive. A winner found
 * dead at the first probe is unblocked at once as before; one that dies after it was found alive is unblocked within
 * {@value #LIVE_RECHECK_MAX_MS} ms of its death instead of {@value #CHECK_INTERVAL_MS} ms.
 * <p>
 * A shared claim writes no header (layout version 3), so the padding ends where the dead winner's intent ends (with
 * no winner recorded, the nearest end of the dead candidates' intents: the true owner died before its F24, so it
 * wrote no payload, and what is left of its claim is padded at the next stall), and never past the first position
 * another slot intends. The padding is written with a CAS from exactly the clean word inspected (F12), so a commit
 * that races it wins and is delivered, and a commit that comes later fails (the word is no longer clean) and is
 * reported lost to its producer.
 */
final class RingUnblocker
{
    static final long CHECK_INTERVAL_MS = 1;
    private static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS);
    static final long LIVE_RECHECK_MAX_MS = 8;
    private static final long LIVE_RECHECK_MAX_NS = TimeUnit.MILLISECONDS.toNanos(LIVE_RECHECK_MAX_MS);

    private final Segment segment;
    private final AtomicBuffer header;
    private final AtomicBuffer data;
    private final int capacity;
    private final int mask;
    private final int capacityShift;
    private final int slotCount;
    private final long unidentifiedTimeoutNs;

    private static final System.Logger LOGGER = System.getLogger("io.herz.ipc.ring");

    private long stallPosition = -1;
    private long foreignReportPosition = -1;
    private String foreignReport;
    private long stallSinceNs;
    private long nextCheckNs;
    private long liveRecheckNs = CHECK_INTERVAL_NS;
    private long livenessProbes;

    RingUnblocker(final Segment segment, final long unidentifiedTimeoutNs)
    {
        this.segment = segment;
        this.header = segment.buffer();
        this.data = segment.dataBuffer();
        this.capacity = segment.capacity();
        this.mask = capacity - 1;
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
        this.slotCount = segment.producerSlotCount();
        this.unidentifiedTimeoutNs = unidentifiedTimeoutNs;
    }

    /**
     * @param head  the consumer position, where a read found nothing committed.
     * @param nowNs current time.
     * @return true if the record at the position was turned into padding.
     */
    boolean onEmpty(final long head, final long nowNs)
    {
        if (nowNs - nextCheckNs < 0)
        {
            return false;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;

        // F10 acquire (tail): a tail beyond the head means the head position was claimed, and the claimer's F20
        // acquire of cleanPosition makes the cleaning of this lap visible here too. Pairs with F5, F5x.
        final long tail = header.getLongAcquire(TAIL_POSITION_OFFSET);
        if (tail <= head)
        {
            stallPosition = -1;
            liveRecheckNs = CHECK_INTERVAL_NS;
            return false;
        }
        if (tail - head > capacity)
        {
            throw new SegmentException(segment.path(), "corrupt tailPosition: expected " + head + ".." +
                (head + capacity) + ", found " + tail);
        }
        if (head != stallPosition)
        {
            stallPosition = head;
            stallSinceNs = nowNs;
            liveRecheckNs = CHECK_INTERVAL_NS;
            return false;
        }
        return analyse(head, tail, nowNs);
    }

    private boolean analyse(final long head, final long tail, final long nowNs)
    {
        final int headIndex = (int)head & mask;
        final int toEnd = capacity - headIndex;
        // F12 acquire (stalled header): the clean word of this lap (a claim writes no header), or a commit since.
        final long word = data.getLongAcquire(headIndex);
        if ((int)word > 0)
        {
            return false; // committed meanwhile
        }
        final long clean = cleanWordAt(head, capacityShift);
        if (word != clean)
        {
            throw new SegmentException(segment.path(), "corrupt record header at position " + head +
                ": expected the clean word 0x" + Long.toHexString(clean) + " of lap " + (head >>> capacityShift) +
                " or a committed header, found 0x" + Long.toHexString(word));
        }

        boolean liveCandidate = false;
        boolean deadCandidate = false;
        long deadEnd = Long.MAX_VALUE;
        long wonDeadEnd = -1;
        long nextIntent = Long.MAX_VALUE;
        for (int i = 0; i < slotCount; i++)
        {
            final int slot = SegmentDescriptor.producerSlotOffset(i);
            final long owner = header.getLongAcquire(slot + OWNER_TOKEN_OFFSET);
            if (owner == 0)
            {
                continue;
            }
            // F11 acquire (claim intent): pairs with F4; claimLength, stored before F4, is visible too.
            final long claimPosition = header.getLongAcquire(slot + CLAIM_POSITION_OFFSET);
            final long claimLength = header.getLong(slot + CLAIM_LENGTH_OFFSET);
            if (claimPosition == NO_CLAIM || claimLength <= 0 || claimLength > capacity)
            {
                continue;
            }
            final long end = claimPosition + claimLength;
            if (head < claimPosition)
            {
                nextIntent = Math.min(nextIntent, claimPosition);
                continue;
            }
            if (head >= end)
            {
                continue;
            }
            // F25 acquire (winner's record): pairs with F24.
            final boolean won = header.getLongAcquire(slot + CLAIMED_POSITION_OFFSET) == claimPosition;
            // The namespace the owner recorded after its F16 CAS; one read before the owner's pid release may be
            // the previous owner's, which is harmless here: until then the new owner has claimed nothing.
            final long namespace = ProcessIdentity.namespaceFromField(header.getInt(slot + PID_NAMESPACE_OFFSET));
            livenessProbes++;
            final ProcessIdentity.Liveness liveness = ProcessIdentity.liveness(owner, namespace);
            if (liveness == ProcessIdentity.Liveness.FOREIGN_NAMESPACE)
            {
                reportForeign(head, i, owner, namespace);
            }
            if (!liveness.isDead())
            {
                if (won)
                {
                    // A live process owns this record and may still commit it: never unblock it. Ask again later,
                    // backing off to LIVE_RECHECK_MAX_NS: the probe is the costly part of a stall check.
                    nextCheckNs = nowNs + liveRecheckNs;
                    liveRecheckNs = Math.min(liveRecheckNs * 2, LIVE_RECHECK_MAX_NS);
                    return false;
                }
                liveCandidate = true;
            }
            else
            {
                deadCandidate = true;
                deadEnd = Math.min(deadEnd, end);
                if (won)
                {
                    wonDeadEnd = end;
                }
            }
        }

        final long end;
        if (wonDeadEnd >= 0 || (deadCandidate && !liveCandidate))
        {
            // No other slot's claim can start inside a won claim (no tail value lies inside it); the bound is for
            // the nearest dead end of a claim with no winner recorded.
            end = Math.min(wonDeadEnd >= 0 ? wonDeadEnd : deadEnd, nextIntent);
        }
        else if (liveCandidate || nowNs - stallSinceNs < unidentifiedTimeoutNs)
        {
            return false;
        }
        else
        {
            final long limit = Math.min(Math.min(tail, nextIntent), head + toEnd);
            end = scanForNextRecord(head, limit, clean);
        }
        if (end <= head)
        {
            return false;
        }

        final int padding = (int)Math.min(Math.min(end, tail) - head, toEnd);
        if (padding < HEADER_LENGTH)
        {
            return false;
        }
        // F12 CAS (unblock): padding type and positive length replace exactly the clean word we inspected; a racing
        // commit (F7, from the same clean word) makes this fail and wins. Pairs with F8 in RingConsumer.read() and
        // F7 in RingProducer.
        if (!data.compareAndSetLong(headIndex, word, headerWord(padding, PADDING_TYPE_ID)))
        {
            return false;
        }
        header.getAndAddLong(UNBLOCKED_RECORDS_OFFSET, 1);
        header.getAndAddLong(UNBLOCKED_BYTES_OFFSET, padding);
        stallPosition = -1;
        return true;
    }

    /**
     * A stall held by a producer in another pid namespace: the ring waits for it (it is never taken for dead), and
     * says so once per stalled position, through {@link System.Logger} (logger {@code io.herz.ipc.ring}, WARNING).
     */
    private void reportForeign(final long head, final int slotIndex, final long owner, final long namespace)
    {
        if (head == foreignReportPosition)
        {
            return;
        }
        foreignReportPosition = head;
        foreignReport = ProcessIdentity.describeForeignHolder("ring " + segment.path() + " position " + head +
            " (producer slot " + slotIndex + ")", owner, namespace) + "; the ring waits for it";
        LOGGER.log(System.Logger.Level.WARNING, foreignReport);
    }

    /**
     * @return liveness probes of producer processes made so far (for tests).
     */
    long livenessProbes()
    {
        return livenessProbes;
    }

    /**
     * @return the last report of a stall held by a process in another pid namespace, or null if none was seen.
     */
    String foreignReport()
    {
        return foreignReport;
    }

    /**
     * With no owner known, the record ends where the next aligned word that is not the lap's clean word starts (space
     * is cleaned before it is claimed, so the first such word after the head is the next record's header). Returns
     * the limit when every word up to it is clean: the limit is the tail, the end of the data area, or the first
     * position another slot intends, so no live claim is swallowed.
     */
    private long scanForNextRecord(final long head, final long limit, final long clean)
    {
        final int headIndex = (int)head & mask;
        final long length = limit - head;
        for (int offset = ALIGNMENT; offset < length; offset += ALIGNMENT)
        {
            if (data.getLongAcquire(headIndex + offset) != clean)
            {
                return head + offset;
            }
        }
        return limit;
    }
}
