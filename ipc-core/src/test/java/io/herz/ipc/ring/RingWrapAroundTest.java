package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.herz.ipc.ring.RecordDescriptor.ALIGNMENT;
import static io.herz.ipc.ring.RecordDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Wrap-around: mixed record sizes, maximum-length records and sizes that do not divide the capacity, over many laps
 * of small rings, from one thread and from several threads, checking every byte and the order (guarantees 1 to 4).
 */
@Timeout(120)
class RingWrapAroundTest
{
    private static final int DATA = TestRecords.DATA_TYPE_ID;
    private static final int ABORTED = TestRecords.ABORTED_TYPE_ID;

    @TempDir
    Path dir;

    /**
     * Maximum lengths: the largest a capacity allows (a multiple of 8) and odd ones, whose maximum-length records end
     * between two alignment boundaries.
     */
    @ParameterizedTest
    @CsvSource({ "4096, 1016", "65536, 16376", "4096, 1001", "65536, 9999" })
    void shouldDeliverMixedSizesInOrderOverManyLapsWhenSingleThreaded(final int capacity, final int maxRecordLength)
    {
        try (Segment segment = create(capacity, maxRecordLength);
            RingProducer producer = new RingProducer(segment, 7);
            RingConsumer consumer = new RingConsumer(segment))
        {
            final int max = segment.maxRecordLength();
            final AtomicBuffer ring = producer.buffer();
            final Random random = new Random(capacity);
            final SequenceChecker checker = new SequenceChecker(max, false);
            final long targetPosition = 24L * 1024 * 1024;
            long produced = 0;
            long aborted = 0;
            long recordBytes = 0;
            while (consumer.position() < targetPosition)
            {
                final int burst = 1 + random.nextInt(24);
                for (int i = 0; i < burst; i++)
                {
                    final boolean abort = random.nextInt(13) == 0;
                    final int length = abort ? random.nextInt(max + 1) : lengthOf(produced, max);
                    final int index = producer.tryClaim(abort ? ABORTED : DATA, length);
                    if (index == RingProducer.BACK_PRESSURED)
                    {
                        break;
                    }
                    assertClaimInBounds(index, length, capacity);
                    recordBytes += RecordDescriptor.alignedRecordLength(length);
                    if (abort)
                    {
                        fill(ring, index, length, -1 - aborted);
                        producer.abort(index);
                        aborted++;
                    }
                    else
                    {
                        fill(ring, index, length, produced);
                        producer.commit(index);
                        produced++;
                    }
                }
                consumer.read(checker, 1 + random.nextInt(12));
                assertNull(checker.error, checker.error);
            }
            drain(consumer, checker, produced);

            final long tail = segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET);
            assertEquals(produced, checker.delivered);
            assertEquals(tail, consumer.position(), "head reaches the tail");
            assertTrue(tail / capacity >= 300, "laps: " + tail / capacity);
            assertTrue(aborted > 100, "aborted: " + aborted);
            assertTrue(tail - recordBytes > 0, "padding was written at the end of the data area");
            assertTrue(checker.maxLengthRecords > 100, "max-length records: " + checker.maxLengthRecords);
            assertClean(segment);
        }
    }

    @Test
    void shouldPadToTheEndWhenTheRecordDoesNotFitBeforeIt()
    {
        final int capacity = 4 * 1024;
        try (Segment segment = create(capacity);
            RingProducer producer = new RingProducer(segment, 1);
            RingConsumer consumer = new RingConsumer(segment))
        {
            final int max = segment.maxRecordLength();
            final int maxAligned = RecordDescriptor.alignedRecordLength(max);
            final AtomicBuffer ring = producer.buffer();
            final SequenceChecker checker = new SequenceChecker(max, true);
            final UnsafeBuffer filler = new UnsafeBuffer(new byte[max]);
            long produced = 0;
            for (int toEnd = ALIGNMENT; toEnd <= maxAligned + 2 * ALIGNMENT; toEnd += ALIGNMENT)
            {
                int tailIndex = tailIndex(segment);
                if (tailIndex > capacity - toEnd)
                {
                    produced = offerFiller(producer, filler, capacity - tailIndex, produced, max);
                    drain(consumer, checker, produced);
                    tailIndex = 0;
                }
                while (capacity - tailIndex > toEnd)
                {
                    produced = offerFiller(producer, filler, Math.min(maxAligned, capacity - tailIndex - toEnd),
                        produced, max);
                    drain(consumer, checker, produced);
                    tailIndex = tailIndex(segment);
                }
                assertEquals(capacity - toEnd, tailIndex);

                final long tailBefore = segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET);
                final int index = producer.tryClaim(DATA, max);
                fill(ring, index, max, produced);
                producer.commit(index);
                produced++;
                final long tailAfter = segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET);

                final boolean fits = toEnd >= maxAligned;
                assertEquals(fits ? tailIndex + HEADER_LENGTH : HEADER_LENGTH, index, "payload offset, toEnd=" + toEnd);
                assertEquals(fits ? maxAligned : toEnd + maxAligned, tailAfter - tailBefore, "claimed, toEnd=" + toEnd);
                drain(consumer, checker, produced);
            }
            assertEquals(produced, checker.delivered);
            assertClean(segment);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 4 * 1024, 64 * 1024 })
    void shouldDeliverMixedSizesOfFourProducerThreadsInOrderOverManyLaps(final int capacity) throws Exception
    {
        final int producers = 4;
        final long perProducer = 200_000;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Segment segment = create(capacity);
            RingConsumer consumer = new RingConsumer(segment))
        {
            final int max = segment.maxRecordLength();
            final int spread = Math.min(300, max - TestRecords.MIN_PAYLOAD_LENGTH);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong producerFailures = new AtomicLong();
            final Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++)
            {
                final int producerId = p;
                threads[p] = new Thread(() ->
                {
                    try (RingProducer producer = new RingProducer(segment, producerId))
                    {
                        produce(producer, producerId, perProducer, spread, stop, deadlineNs);
                    }
                    catch (final RuntimeException | Error ex)
                    {
                        producerFailures.incrementAndGet();
                        throw ex;
                    }
                }, "wrap-producer-" + p);
                threads[p].start();
            }

            final MultiChecker checker = new MultiChecker(producers, max, spread);
            final YieldingIdleStrategy idle = new YieldingIdleStrategy();
            try
            {
                while (checker.delivered < producers * perProducer && checker.error == null &&
                    producerFailures.get() == 0 && System.nanoTime() - deadlineNs < 0)
                {
                    idle.idle(consumer.read(checker, 64));
                }
            }
            finally
            {
                stop.set(true);
                for (final Thread thread : threads)
                {
                    thread.join(TimeUnit.SECONDS.toMillis(10));
                }
            }

            assertNull(checker.error, checker.error);
            assertEquals(0, producerFailures.get());
            for (int p = 0; p < producers; p++)
            {
                assertEquals(perProducer, checker.next[p], "records of producer " + p);
            }
            assertEquals(producers * perProducer, checker.delivered);
            assertEquals(0, consumer.read(checker), "no record after the last one");
            assertTrue(consumer.position() / capacity >= 50, "laps: " + consumer.position() / capacity);
            assertTrue(checker.maxLengthRecords >= producers * (perProducer / 97), "max: " + checker.maxLengthRecords);
            assertClean(segment);
        }
    }

    private static void produce(
        final RingProducer producer,
        final int producerId,
        final long records,
        final int spread,
        final AtomicBoolean stop,
        final long deadlineNs)
    {
        final int max = producer.maxRecordLength();
        final AtomicBuffer ring = producer.buffer();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[max]);
        final YieldingIdleStrategy idle = new YieldingIdleStrategy();
        long sequence = 0;
        while (sequence < records && !stop.get() && System.nanoTime() - deadlineNs < 0)
        {
            final int length = TestRecords.payloadLength(producerId, sequence, max, spread, 97);
            final boolean done;
            if ((sequence & 1) == 0)
            {
                TestRecords.write(scratch, 0, producerId, sequence, length);
                done = producer.offer(DATA, scratch, 0, length);
            }
            else
            {
                final int index = producer.tryClaim(DATA, length);
                done = index >= 0;
                if (done)
                {
                    TestRecords.write(ring, index, producerId, sequence, length);
                    producer.commit(index);
                }
            }
            if (done)
            {
                sequence++;
                idle.reset();
            }
            else
            {
                idle.idle();
            }
        }
    }

    private Segment create(final int capacity, final int maxRecordLength)
    {
        return Segment.create(dir.resolve("wrap-" + capacity + "-" + maxRecordLength + ".seg"), new SegmentConfig()
            .capacity(capacity)
            .maxRecordLength(maxRecordLength)
            .producerSlotCount(8)
            .counterCount(0));
    }

    private Segment create(final int capacity)
    {
        return create(capacity, SegmentDescriptor.maxRecordLengthLimit(capacity));
    }

    private static long offerFiller(
        final RingProducer producer, final UnsafeBuffer filler, final int alignedLength, final long sequence,
        final int max)
    {
        final int length = alignedLength - HEADER_LENGTH;
        assertTrue(length >= 0 && length <= max, "filler length " + length);
        fill(filler, 0, length, sequence);
        final int index = producer.tryClaim(DATA, length);
        assertTrue(index >= 0, "filler claim");
        producer.buffer().putBytes(index, filler, 0, length);
        producer.commit(index);
        return sequence + 1;
    }

    private static int tailIndex(final Segment segment)
    {
        return (int)segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET) & (segment.capacity() - 1);
    }

    private static void drain(final RingConsumer consumer, final SequenceChecker checker, final long produced)
    {
        for (int i = 0; i < 10_000 && checker.delivered < produced; i++)
        {
            consumer.read(checker);
            assertNull(checker.error, checker.error);
        }
        assertEquals(produced, checker.delivered, "drained");
    }

    private static void assertClaimInBounds(final int index, final int length, final int capacity)
    {
        final int recordIndex = index - HEADER_LENGTH;
        assertEquals(0, recordIndex % ALIGNMENT, "record alignment");
        assertTrue(recordIndex >= 0 && recordIndex + BitUtil.align(length + HEADER_LENGTH, ALIGNMENT) <= capacity,
            "record [" + recordIndex + ", +" + length + ") inside capacity " + capacity);
    }

    /**
     * Layout v3 keeps no zeroed consumed space (consumers never zero); its invariant is that the space between the
     * tail and cleanPosition, which the next claims take, holds the clean word of its lap in every 8-byte word, and
     * that cleanPosition stays within a ring of the slowest consumer.
     */
    private static void assertClean(final Segment segment)
    {
        final AtomicBuffer data = segment.dataBuffer();
        final long tail = segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
        final long clean = segment.buffer().getLongVolatile(SegmentDescriptor.CLEAN_POSITION_OFFSET);
        assertTrue(clean >= tail && clean - tail <= segment.capacity(), "tail=" + tail + " clean=" + clean);
        final int mask = segment.capacity() - 1;
        for (long position = tail; position < clean; position += 8)
        {
            if (data.getLong((int)position & mask) != RecordDescriptor.cleanWord(position / segment.capacity()))
            {
                fail("space ahead of the tail not clean at position " + position + " tail=" + tail + " clean=" + clean);
            }
        }
    }

    /**
     * Lengths that stress the wrap: the extremes, values one off an alignment, and anything in between.
     */
    static int lengthOf(final long sequence, final int max)
    {
        final long h = TestRecords.mix(sequence + 0x5EED);
        switch ((int)((h >>> 1) % 10))
        {
            case 0:
                return max;
            case 1:
                return max - 1 - (int)((h >>> 40) & 7);
            case 2:
                return (int)((h >>> 40) % 10);
            case 3:
                return 7 + 8 * (int)((h >>> 40) % (max / 8));
            default:
                return (int)((h >>> 33) % (max + 1));
        }
    }

    static void fill(final MutableDirectBuffer buffer, final int index, final int length, final long sequence)
    {
        final long seed = TestRecords.mix(sequence);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(index + i, patternByte(seed, i));
        }
    }

    private static byte patternByte(final long seed, final int i)
    {
        return (byte)((seed >>> ((i & 7) * 8)) + i);
    }

    /** Checks one producer's sequence: type, length (unless any length is expected) and every byte of each record. */
    private static final class SequenceChecker implements MessageHandler
    {
        private final int max;
        private final boolean anyLength;
        long delivered;
        long maxLengthRecords;
        String error;

        SequenceChecker(final int max, final boolean anyLength)
        {
            this.max = max;
            this.anyLength = anyLength;
        }

        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final long sequence = delivered++;
            if (error != null)
            {
                return;
            }
            if (typeId != DATA)
            {
                error = "record " + sequence + ": unexpected type " + typeId;
                return;
            }
            if (!anyLength && length != lengthOf(sequence, max))
            {
                error = "record " + sequence + ": length " + length + ", expected " + lengthOf(sequence, max);
                return;
            }
            if (length == max)
            {
                maxLengthRecords++;
            }
            final long seed = TestRecords.mix(sequence);
            for (int i = 0; i < length; i++)
            {
                if (buffer.getByte(index + i) != patternByte(seed, i))
                {
                    error = "record " + sequence + ": byte " + i + " of " + length + " differs";
                    return;
                }
            }
        }
    }

    /** Checks the records of several producers: per-producer order, length and checksum. */
    private static final class MultiChecker implements MessageHandler
    {
        private final int max;
        private final int spread;
        final long[] next;
        long delivered;
        long maxLengthRecords;
        String error;

        MultiChecker(final int producers, final int max, final int spread)
        {
            this.max = max;
            this.spread = spread;
            this.next = new long[producers];
        }

        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            delivered++;
            if (error != null)
            {
                return;
            }
            error = check(typeId, buffer, index, length);
        }

        private String check(final int typeId, final DirectBuffer buffer, final int index, final int length)
        {
            if (typeId != DATA || length < TestRecords.MIN_PAYLOAD_LENGTH)
            {
                return "unexpected record type=" + typeId + " length=" + length;
            }
            final int producerId = buffer.getInt(index + TestRecords.PRODUCER_ID_OFFSET);
            final long sequence = buffer.getLong(index + TestRecords.SEQUENCE_OFFSET);
            if (producerId < 0 || producerId >= next.length)
            {
                return "unknown producer " + producerId;
            }
            if (sequence != next[producerId])
            {
                return "producer " + producerId + ": sequence " + sequence + ", expected " + next[producerId];
            }
            next[producerId]++;
            final int expectedLength = TestRecords.payloadLength(producerId, sequence, max, spread, 97);
            if (length != expectedLength)
            {
                return "producer " + producerId + " record " + sequence + ": length " + length + ", expected " +
                    expectedLength;
            }
            if (buffer.getInt(index + TestRecords.CHECKSUM_OFFSET) != TestRecords.checksum(buffer, index, length))
            {
                return "producer " + producerId + " record " + sequence + ": checksum mismatch";
            }
            if (length == max)
            {
                maxLengthRecords++;
            }
            return null;
        }
    }
}
