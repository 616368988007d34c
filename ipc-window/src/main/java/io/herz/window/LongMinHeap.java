package io.herz.window;

import java.util.Arrays;

/**
 * A binary min-heap of {@code long} deadlines, each carrying a {@code long} payload. No boxing; it allocates only
 * when it grows past its largest size so far. Entries with equal deadlines come out in no particular order.
 */
final class LongMinHeap
{
    private long[] deadlines;
    private long[] payloads;
    private int size;

    LongMinHeap(final int initialCapacity)
    {
        deadlines = new long[Math.max(2, initialCapacity)];
        payloads = new long[deadlines.length];
    }

    boolean isEmpty()
    {
        return 0 == size;
    }

    int size()
    {
        return size;
    }

    long peekDeadline()
    {
        return deadlines[0];
    }

    long peekPayload()
    {
        return payloads[0];
    }

    void clear()
    {
        size = 0;
    }

    void push(final long deadline, final long payload)
    {
        if (size == deadlines.length)
        {
            deadlines = Arrays.copyOf(deadlines, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        final long[] deadlines = this.deadlines;
        final long[] payloads = this.payloads;

        int index = size++;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (deadlines[parent] <= deadline)
            {
                break;
            }
            deadlines[index] = deadlines[parent];
            payloads[index] = payloads[parent];
            index = parent;
        }
        deadlines[index] = deadline;
        payloads[index] = payload;
    }

    /**
     * Remove the entry with the smallest deadline; read it first with {@link #peekDeadline()} and
     * {@link #peekPayload()}.
     */
    void pop()
    {
        final long[] deadlines = this.deadlines;
        final long[] payloads = this.payloads;
        final int size = --this.size;
        if (0 == size)
        {
            return;
        }

        final long deadline = deadlines[size];
        final long payload = payloads[size];
        int index = 0;
        while (true)
        {
            int child = (index << 1) + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && deadlines[child + 1] < deadlines[child])
            {
                child++;
            }
            if (deadline <= deadlines[child])
            {
                break;
            }
            deadlines[index] = deadlines[child];
            payloads[index] = payloads[child];
            index = child;
        }
        deadlines[index] = deadline;
        payloads[index] = payload;
    }
}
