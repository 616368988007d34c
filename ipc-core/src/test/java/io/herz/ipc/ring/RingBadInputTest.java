package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.herz.ipc.ring.RecordDescriptor.headerWord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Record headers written by someone else are untrusted: an impossible length or type met by the consumer is a
 * {@link SegmentException} naming the file and the position, never an {@link IndexOutOfBoundsException} or a crash,
 * and the records committed before it are still delivered.
 */
@Timeout(30)
class RingBadInputTest
{
    private static final int CAPACITY = 4096;
    /** Default maximum payload for 4 KiB: capacity / 8 - 8. */
    private static final int MAX = CAPACITY / 8 - 8;

    @TempDir
    Path dir;

    private Segment segment;
    private RingProducer producer;
    private RingConsumer consumer;
    private final List<Integer> delivered = new ArrayList<>();

    @BeforeEach
    void createRing()
    {
        segment = Segment.create(dir.resolve("bad-records.seg"),
            new SegmentConfig().capacity(CAPACITY).producerSlotCount(2).counterCount(0));
        producer = new RingProducer(segment, 1);
        consumer = new RingConsumer(segment);
    }

    @AfterEach
    void closeRing()
    {
        producer.close();
        consumer.close();
        segment.close();
    }

    @Test
    void shouldRefuseACleanPositionMoreThanARingAheadInsteadOfLosingEveryClaim()
    {
        for (int i = 0; i < 300; i++) // several laps: the space behind the consumer holds old records, not zeros
        {
            offer(i);
            consumer.read(this::collect);
        }
        segment.buffer().putLongRelease(SegmentDescriptor.CLEAN_POSITION_OFFSET, 1L << 40);

        final SegmentException ex = assertThrows(SegmentException.class, () -> new RingProducer(segment, 2));

        final long tail = consumer.position();
        assertEquals(segment.path() + ": corrupt cleanPosition: expected " + tail + ".." + (tail + CAPACITY) +
            ", found 1099511627776", ex.getMessage());
    }

    @Test
    void shouldRefuseAMisalignedTailInsteadOfWritingPastTheDataArea()
    {
        // Found by the long fuzz run: a tail 2 bytes short of the end made the claim pad from there and CAS a header
        // word over the end of the data area (IndexOutOfBoundsException; with bounds checks off, a write past it).
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, CAPACITY - 2);

        final SegmentException ex = assertThrows(SegmentException.class, () -> producer.tryClaim(1, 8));

        assertEquals(segment.path() + ": corrupt tailPosition: expected a position >= 0 and a multiple of 8, found " +
            (CAPACITY - 2), ex.getMessage());
    }

    @Test
    void shouldRefuseAMisalignedTailWhenAProducerOpens()
    {
        producer.close();
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 12);

        final SegmentException ex = assertThrows(SegmentException.class, () -> RingProducer.exclusive(segment, 2));

        assertEquals(segment.path() + ": corrupt tailPosition: expected a position >= 0 and a multiple of 8, found 12",
            ex.getMessage());
        assertThrows(SegmentException.class, () -> new RingProducer(segment, 3)); // shared ones read it at open too
    }

    @Test
    void shouldRefuseStaleBytesWhereCleanSpaceWasPromised()
    {
        offer(1);
        consumer.read(this::collect);
        final int next = 16; // the next claim's header: clean space (lap 0: zeros) the cleaner left ahead of the tail
        data().putLongRelease(next, headerWord(24, 7)); // a stale record where the clean word must be

        final int index = producer.tryClaim(1, 8); // a claim writes nothing in the data area (layout v3)
        final SegmentException ex = assertThrows(SegmentException.class, () -> producer.commit(index));

        assertTrue(ex.getMessage().startsWith(segment.path() + ": corrupt record header at position 16: expected " +
            "clean space (0x0) or a consumer's padding, found 0x700000018"), ex.getMessage());
    }

    @Test
    void shouldReportAStalledHeaderThatIsNeitherCleanNorCommitted() throws InterruptedException
    {
        offer(1);
        consumer.read(this::collect);
        final int index = producer.tryClaim(1, 8); // position 16: the stalled head
        // A version 2 claimed word (-length, claim stamp): no version 3 producer writes a negative length.
        data().putLongRelease(index - RecordDescriptor.HEADER_LENGTH, headerWord(-16, 2));

        SegmentException ex = null;
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (ex == null && System.nanoTime() - deadline < 0)
        {
            try
            {
                assertEquals(0, consumer.read(this::collect));
            }
            catch (final SegmentException e)
            {
                ex = e;
            }
            Thread.sleep(0, 100_000);
        }

        assertNotNull(ex, "the unblocker reports the header instead of padding over it");
        assertEquals(segment.path() + ": corrupt record header at position 16: expected the clean word 0x0 of lap 0 " +
            "or a committed header, found 0x2fffffff0", ex.getMessage());
        assertEquals(0, consumer.unblockedRecords());
        // The producer's abort finds the same header where its claim's clean word should be.
        assertThrows(SegmentException.class, () -> producer.abort(index));
    }

    @Test
    void shouldReportAnImpossibleLengthWithFileAndPosition()
    {
        offer(1);
        offer(2);
        final int position = 2 * 16;
        data().putLongRelease(position, headerWord(Integer.MAX_VALUE, 1));

        final SegmentException ex = assertThrows(SegmentException.class, () -> consumer.read(this::collect));

        assertEquals(segment.path() + ": corrupt record header: expected length 8.." + (MAX + 8) +
            " and type > 0 or -1, found length=2147483647 type=1 position=32 offset=32", ex.getMessage());
        assertEquals(segment.path(), ex.path());
        assertEquals(List.of(1, 2), delivered, "records committed before the corrupt one are delivered");
        assertEquals(position, consumer.position(), "and released");
        final SegmentException again = assertThrows(SegmentException.class, () -> consumer.read(this::collect));
        assertEquals(ex.getMessage(), again.getMessage(), "the consumer stops at the corrupt record");
        assertEquals(List.of(1, 2), delivered);
    }

    @Test
    void shouldReportALengthShorterThanTheHeader()
    {
        data().putLongRelease(0, headerWord(3, 1));

        final SegmentException ex = assertThrows(SegmentException.class, () -> consumer.read(this::collect));

        assertEquals(segment.path() + ": corrupt record header: expected length 8.." + (MAX + 8) +
            " and type > 0 or -1, found length=3 type=1 position=0 offset=0", ex.getMessage());
    }

    @Test
    void shouldReportARecordLongerThanTheMaximum()
    {
        data().putLongRelease(0, headerWord(MAX + 9, 1));

        final SegmentException ex = assertThrows(SegmentException.class, () -> consumer.read(this::collect));

        assertEquals(segment.path() + ": corrupt record header: expected length 8.." + (MAX + 8) +
            " and type > 0 or -1, found length=" + (MAX + 9) + " type=1 position=0 offset=0", ex.getMessage());
    }

    @Test
    void shouldReportAnImpossibleType()
    {
        offer(1);
        data().putLongRelease(16, headerWord(16, 0));

        final SegmentException zero = assertThrows(SegmentException.class, () -> consumer.read(this::collect));
        data().putLongRelease(16, headerWord(16, -7));
        final SegmentException negative = assertThrows(SegmentException.class, () -> consumer.read(this::collect));

        assertEquals(segment.path() + ": corrupt record header: expected length 8.." + (MAX + 8) +
            " and type > 0 or -1, found length=16 type=0 position=16 offset=16", zero.getMessage());
        assertEquals(segment.path() + ": corrupt record header: expected length 8.." + (MAX + 8) +
            " and type > 0 or -1, found length=16 type=-7 position=16 offset=16", negative.getMessage());
        assertEquals(List.of(1), delivered);
    }

    @Test
    void shouldReportPaddingThatRunsPastTheEndOfTheDataArea()
    {
        offer(1);
        data().putLongRelease(16, headerWord(CAPACITY, RecordDescriptor.PADDING_TYPE_ID));

        final SegmentException ex = assertThrows(SegmentException.class, () -> consumer.read(this::collect));

        assertEquals(segment.path() + ": corrupt record header: expected length 8.." + (CAPACITY - 16) +
            " and type > 0 or -1, found length=" + CAPACITY + " type=-1 position=16 offset=16", ex.getMessage());
    }

    @Test
    void shouldReportTheAbsolutePositionAfterWrapping()
    {
        final int perLap = CAPACITY / 128;
        for (int i = 0; i < perLap + 3; i++)
        {
            assertTrue(producer.offer(1, payload(i), 0, 120));
            consumer.read(this::collect);
        }
        final long position = consumer.position();
        assertEquals(CAPACITY + 3 * 128, position);
        data().putLongRelease(3 * 128, headerWord(-5 >>> 1, 1));

        final SegmentException ex = assertThrows(SegmentException.class, () -> consumer.read(this::collect));

        assertEquals(segment.path() + ": corrupt record header: expected length 8.." + (MAX + 8) +
            " and type > 0 or -1, found length=" + (-5 >>> 1) + " type=1 position=" + position + " offset=384",
            ex.getMessage());
    }

    @Test
    void shouldNeverFailOtherwiseThanWithASegmentExceptionOnGarbage()
    {
        final Random random = new Random(7);
        final AtomicBuffer data = data();
        int refused = 0;
        for (int i = 0; i < 2000; i++)
        {
            for (int offset = 0; offset < CAPACITY; offset += 8)
            {
                data.putLong(offset, random.nextInt(4) == 0 ? random.nextLong() :
                    headerWord(random.nextInt(MAX + 32), random.nextInt(5) - 2));
            }
            // Layout v2: a consumer reads only below cleanPosition; stand in for the cleaning producer.
            segment.buffer().putLongRelease(SegmentDescriptor.CLEAN_POSITION_OFFSET, consumer.position() + CAPACITY);
            try
            {
                consumer.read((type, buffer, index, length) -> assertTrue(index + length <= CAPACITY), 64);
            }
            catch (final SegmentException ex)
            {
                assertTrue(ex.getMessage().startsWith(segment.path() + ": corrupt record header: "), ex.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 1000, "refused " + refused);
    }

    private void offer(final int value)
    {
        assertTrue(producer.offer(1, payload(value), 0, 8));
    }

    private static UnsafeBuffer payload(final int value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[120]);
        buffer.putInt(0, value);
        return buffer;
    }

    private AtomicBuffer data()
    {
        return segment.dataBuffer();
    }

    private void collect(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        delivered.add(buffer.getInt(index));
    }
}
