package io.herz.ipc.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceCheckerTest
{
    @Test
    void shouldPassInOrderStreamsOfSeveralProducers()
    {
        final SequenceChecker checker = new SequenceChecker();
        for (int seq = 0; seq < 10; seq++)
        {
            checker.onEvent(1, seq);
            checker.onEvent(2, seq);
        }
        checker.onEndOfStream(1, 9);
        checker.onEndOfStream(2, 9);

        assertTrue(checker.isClean());
        assertEquals(20, checker.received());
        assertEquals(List.of("producer 1: received 10 lost 0 duplicated/out-of-order 0 (ended)",
            "producer 2: received 10 lost 0 duplicated/out-of-order 0 (ended)",
            "total: received 20 lost 0 duplicated/out-of-order 0 -> OK"), checker.report());
    }

    @Test
    void shouldCountGapsDuplicatesAndATruncatedTail()
    {
        final SequenceChecker checker = new SequenceChecker();
        checker.onEvent(1, 0);
        checker.onEvent(1, 3);     // 1, 2 lost
        checker.onEvent(1, 3);     // duplicate
        checker.onEvent(1, 2);     // out of order
        checker.onEndOfStream(1, 6); // 4, 5, 6 never arrived

        assertFalse(checker.isClean());
        assertEquals(5, checker.lost());
        assertEquals(2, checker.duplicatedOrReordered());
        assertEquals("total: received 4 lost 5 duplicated/out-of-order 2 -> FAILED", checker.report().get(1));
    }
}
