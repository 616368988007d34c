package io.herz.window;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class LongMinHeapTest
{
    @Test
    void shouldPopInDeadlineOrderWhenPushedRandomly()
    {
        final Random random = new Random(42);
        final LongMinHeap heap = new LongMinHeap(2);
        final long[] deadlines = new long[5_000];
        for (int i = 0; i < deadlines.length; i++)
        {
            deadlines[i] = random.nextInt(1_000) - 500;
            heap.push(deadlines[i], deadlines[i] * 7);
        }

        final long[] popped = new long[deadlines.length];
        for (int i = 0; i < popped.length; i++)
        {
            popped[i] = heap.peekDeadline();
            assertEquals(popped[i] * 7, heap.peekPayload());
            heap.pop();
        }

        Arrays.sort(deadlines);
        assertArrayEquals(deadlines, popped);
        assertTrue(heap.isEmpty());
    }
}
