package io.herz.window;

import java.util.Arrays;

import static io.herz.window.WatermarkTracker.saturatedAdd;

/**
 * Session windows. Each event opens {@code [t, t + gap)}; a key's sessions that overlap or touch it
 * ({@code other.start <= end && start <= other.end}) are merged into one, so a late event can bridge two sessions.
 * Sessions live in pooled struct-of-arrays slots, chained per key (a key rarely has more than a couple open).
 * Deadlines go into two {@link LongMinHeap}s (fire at end, drop at end + allowed lateness) with the slot and its
 * generation as payload; an entry whose slot was freed, reused or re-timed since is stale and skipped.
 */
final class SessionWindows implements WindowStore
{
    private static final int NONE = -1;
    private static final long NEVER = Long.MIN_VALUE;

    private final long gapNs;
    private final long allowedLatenessNs;
    private final KeyTable keys;
    private final WindowOutput output;
    private final LongMinHeap fireHeap = new LongMinHeap(1024);
    private final LongMinHeap dropHeap = new LongMinHeap(1024);

    private int[] headByKeyId = new int[0];
    private int[] keyIds = new int[0];
    private int[] next = new int[0];
    private int[] generations = new int[0];
    private long[] startsNs = new long[0];
    private long[] endsNs = new long[0];
    private long[] firedEndsNs = new long[0];
    private boolean[] emitted = new boolean[0];
    private long[] counts = new long[0];
    private double[] sums = new double[0];
    private double[] mins = new double[0];
    private double[] maxs = new double[0];
    private int[] freeSlots = new int[0];
    private int freeCount;
    private int slotCapacity;
    private int openWindowCount;

    SessionWindows(final WindowSpec spec, final long allowedLatenessNs, final KeyTable keys, final WindowOutput output)
    {
        this.gapNs = spec.gapNs();
        this.allowedLatenessNs = allowedLatenessNs;
        this.keys = keys;
        this.output = output;
        growSlots(1024);
    }

    /**
     * {@inheritDoc}
     */
    public int onEvent(final int keyId, final long eventTimeNs, final double value, final long watermarkNs)
    {
        if (keyId >= headByKeyId.length)
        {
            growKeys(keyId + 1);
        }

        final long candidateEndNs = saturatedAdd(eventTimeNs, gapNs);
        final int[] next = this.next;
        final long[] startsNs = this.startsNs;
        final long[] endsNs = this.endsNs;
        int kept = NONE;
        for (int slot = headByKeyId[keyId]; NONE != slot; slot = next[slot])
        {
            if (startsNs[slot] <= candidateEndNs && eventTimeNs <= endsNs[slot])
            {
                kept = slot;
                break;
            }
        }

        if (NONE == kept)
        {
            if (watermarkNs >= saturatedAdd(candidateEndNs, allowedLatenessNs))
            {
                return 1;
            }
            openSession(keyId, eventTimeNs, candidateEndNs, value, watermarkNs);
            return 0;
        }

        final long oldEndNs = this.endsNs[kept];
        extend(kept, eventTimeNs, candidateEndNs, value);
        absorbTouching(keyId, kept);

        final long endNs = this.endsNs[kept];
        if (watermarkNs >= endNs)
        {
            fire(kept);
        }
        else if (endNs != oldEndNs)
        {
            fireHeap.push(endNs, payload(kept));
        }

        return 0;
    }

    /**
     * {@inheritDoc}
     */
    public int advanceTo(final long watermarkNs)
    {
        int emittedCount = 0;
        final LongMinHeap fireHeap = this.fireHeap;
        while (!fireHeap.isEmpty() && fireHeap.peekDeadline() <= watermarkNs)
        {
            final long deadlineNs = fireHeap.peekDeadline();
            final long payload = fireHeap.peekPayload();
            fireHeap.pop();
            final int slot = (int)payload;
            if (isCurrent(slot, payload) && endsNs[slot] == deadlineNs && firedEndsNs[slot] != deadlineNs)
            {
                fire(slot);
                emittedCount++;
            }
        }

        final LongMinHeap dropHeap = this.dropHeap;
        while (!dropHeap.isEmpty() && dropHeap.peekDeadline() <= watermarkNs)
        {
            final long deadlineNs = dropHeap.peekDeadline();
            final long payload = dropHeap.peekPayload();
            dropHeap.pop();
            final int slot = (int)payload;
            if (isCurrent(slot, payload) && saturatedAdd(endsNs[slot], allowedLatenessNs) == deadlineNs &&
                firedEndsNs[slot] == endsNs[slot])
            {
                unlink(keyIds[slot], slot);
                free(slot);
            }
        }

        return emittedCount;
    }

    /**
     * {@inheritDoc}
     */
    public int openWindowCount()
    {
        return openWindowCount;
    }

    private void openSession(
        final int keyId, final long startNs, final long endNs, final double value, final long watermarkNs)
    {
        final int slot = allocate();
        keyIds[slot] = keyId;
        startsNs[slot] = startNs;
        endsNs[slot] = endNs;
        firedEndsNs[slot] = NEVER;
        emitted[slot] = false;
        counts[slot] = 1;
        sums[slot] = value;
        mins[slot] = value;
        maxs[slot] = value;
        next[slot] = headByKeyId[keyId];
        headByKeyId[keyId] = slot;

        if (watermarkNs >= endNs)
        {
            fire(slot);
        }
        else
        {
            fireHeap.push(endNs, payload(slot));
        }
    }

    private void extend(final int slot, final long startNs, final long endNs, final double value)
    {
        if (startNs < startsNs[slot])
        {
            startsNs[slot] = startNs;
        }
        if (endNs > endsNs[slot])
        {
            endsNs[slot] = endNs;
        }
        counts[slot]++;
        sums[slot] += value;
        if (value < mins[slot])
        {
            mins[slot] = value;
        }
        if (value > maxs[slot])
        {
            maxs[slot] = value;
        }
    }

    private void absorbTouching(final int keyId, final int kept)
    {
        final int[] next = this.next;
        int previous = NONE;
        int slot = headByKeyId[keyId];
        while (NONE != slot)
        {
            final int following = next[slot];
            if (slot != kept && startsNs[slot] <= endsNs[kept] && startsNs[kept] <= endsNs[slot])
            {
                absorb(kept, slot);
                if (NONE == previous)
                {
                    headByKeyId[keyId] = following;
                }
                else
                {
                    next[previous] = following;
                }
                free(slot);
            }
            else
            {
                previous = slot;
            }
            slot = following;
        }
    }

    private void absorb(final int kept, final int other)
    {
        if (startsNs[other] < startsNs[kept])
        {
            startsNs[kept] = startsNs[other];
        }
        if (endsNs[other] > endsNs[kept])
        {
            endsNs[kept] = endsNs[other];
        }
        counts[kept] += counts[other];
        sums[kept] += sums[other];
        if (mins[other] < mins[kept])
        {
            mins[kept] = mins[other];
        }
        if (maxs[other] > maxs[kept])
        {
            maxs[kept] = maxs[other];
        }
        emitted[kept] |= emitted[other];
    }

    private void fire(final int slot)
    {
        final int keyId = keyIds[slot];
        final long count = counts[slot];
        final double sum = sums[slot];
        final KeyTable keys = this.keys;
        output.onWindow(
            startsNs[slot],
            endsNs[slot],
            keyId,
            keys.buffer(),
            keys.offset(keyId),
            keys.length(keyId),
            count,
            sum,
            mins[slot],
            maxs[slot],
            sum / count,
            emitted[slot]);
        emitted[slot] = true;
        firedEndsNs[slot] = endsNs[slot];
        dropHeap.push(saturatedAdd(endsNs[slot], allowedLatenessNs), payload(slot));
    }

    private void unlink(final int keyId, final int slot)
    {
        final int[] next = this.next;
        int previous = NONE;
        for (int current = headByKeyId[keyId]; NONE != current; current = next[current])
        {
            if (current == slot)
            {
                if (NONE == previous)
                {
                    headByKeyId[keyId] = next[slot];
                }
                else
                {
                    next[previous] = next[slot];
                }
                return;
            }
            previous = current;
        }
    }

    private long payload(final int slot)
    {
        return ((long)generations[slot] << 32) | (slot & 0xFFFF_FFFFL);
    }

    private boolean isCurrent(final int slot, final long payload)
    {
        return NONE != keyIds[slot] && generations[slot] == (int)(payload >>> 32);
    }

    private int allocate()
    {
        if (0 == freeCount)
        {
            growSlots(slotCapacity * 2);
        }
        openWindowCount++;

        return freeSlots[--freeCount];
    }

    private void free(final int slot)
    {
        keyIds[slot] = NONE;
        generations[slot]++;
        freeSlots[freeCount++] = slot;
        openWindowCount--;
    }

    private void growSlots(final int capacity)
    {
        final int oldCapacity = slotCapacity;
        keyIds = Arrays.copyOf(keyIds, capacity);
        next = Arrays.copyOf(next, capacity);
        generations = Arrays.copyOf(generations, capacity);
        startsNs = Arrays.copyOf(startsNs, capacity);
        endsNs = Arrays.copyOf(endsNs, capacity);
        firedEndsNs = Arrays.copyOf(firedEndsNs, capacity);
        emitted = Arrays.copyOf(emitted, capacity);
        counts = Arrays.copyOf(counts, capacity);
        sums = Arrays.copyOf(sums, capacity);
        mins = Arrays.copyOf(mins, capacity);
        maxs = Arrays.copyOf(maxs, capacity);
        freeSlots = Arrays.copyOf(freeSlots, capacity);
        for (int slot = capacity - 1; slot >= oldCapacity; slot--)
        {
            keyIds[slot] = NONE;
            freeSlots[freeCount++] = slot;
        }
        slotCapacity = capacity;
    }

    private void growKeys(final int minCapacity)
    {
        final int oldCapacity = headByKeyId.length;
        final int capacity = Math.max(minCapacity, Math.max(1024, oldCapacity * 2));
        headByKeyId = Arrays.copyOf(headByKeyId, capacity);
        Arrays.fill(headByKeyId, oldCapacity, capacity, NONE);
    }
}
