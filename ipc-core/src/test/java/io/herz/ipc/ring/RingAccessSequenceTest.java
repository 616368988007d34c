package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins the access sequence of claim, commit, abort and read: which stores are release, which loads acquire, which
 * accesses are CASes, in which order, at which offset (in the style of Agrona's ring buffer tests, which verify the
 * buffer calls with mocks). On x86 a release downgraded to a plain store still passes jcstress, so the sequence
 * itself is asserted here, over a recording buffer that views the real mapped segment.
 */
@Timeout(30)
class RingAccessSequenceTest
{
    @TempDir
    Path dir;

    private Segment segment;
    private final List<String> log = new ArrayList<>();
    private RecordingBuffer header;
    private RecordingBuffer data;
    private int slot;
    private int consumerSlot;

    @BeforeEach
    void createRing()
    {
        segment = Segment.create(dir.resolve("sequence.seg"), new SegmentConfig().capacity(4096).producerSlotCount(2)
            .counterCount(0));
        header = new RecordingBuffer("header", segment.buffer().addressOffset(), segment.buffer().capacity(), log);
        data = new RecordingBuffer("data", segment.dataBuffer().addressOffset(), segment.capacity(), log);
        slot = SegmentDescriptor.producerSlotOffset(0);
        consumerSlot = SegmentDescriptor.consumerSlotOffset(0);
    }

    @AfterEach
    void closeRing()
    {
        segment.close();
    }

    @Test
    void shouldClaimWithAcquireIntentReleaseTailCasAndWinnerReleaseAndNoStoreInTheDataArea()
    {
        final RingProducer producer = new RingProducer(segment, 1, false, header, data);

        log.clear();
        final int index = producer.tryClaim(5, 12);

        assertEquals(8, index);
        assertEquals(List.of(
            "header.getLongAcquire@128",          // F2 tail
            "header.putLong@" + (slot + 40),      // claimLength, plain: published by F4
            "header.putLongRelease@" + (slot + 32), // F4 intent
            "header.compareAndSetLong@128",       // F5 tail CAS
            "header.putLongRelease@" + (slot + 48)), // F24 winner's record; nothing in the data area (layout v3)
            log);
        assertEquals(RecordDescriptor.cleanWord(0), segment.dataBuffer().getLong(0), "the header is still clean");
    }

    @Test
    void shouldCommitFromTheCleanWordOfTheClaimsLap()
    {
        final RingProducer producer = new RingProducer(segment, 1, false, header, data);
        final RingConsumer consumer = new RingConsumer(segment);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[504]);
        for (int i = 0; i < 8; i++) // one lap of 4096 bytes: the next claim is at position 4096, offset 0, lap 1
        {
            assertTrue(producer.offer(1, payload, 0, 504));
            assertEquals(1, consumer.read((type, buffer, offset, length) -> { }, 1));
        }

        final int index = producer.tryClaim(5, 8);

        assertEquals(8, index);
        assertEquals(RecordDescriptor.cleanWord(1), segment.dataBuffer().getLong(0), "cleaned for lap 1");
        assertTrue(producer.commit(index));
        assertEquals(RecordDescriptor.headerWord(16, 5), segment.dataBuffer().getLong(0));
        consumer.close();
    }

    @Test
    void shouldReportACommitLostWhenItsSpaceHoldsTheCleanWordOfAnotherLap()
    {
        // The ABA a CAS from 0 would miss: the claim was padded by an unblocker, consumed, and its offset cleaned for
        // the next lap before this producer commits. The clean word carries the lap, so the late commit fails.
        final RingProducer producer = new RingProducer(segment, 1, false, header, data);
        final int index = producer.tryClaim(5, 8);
        segment.dataBuffer().putLongRelease(0, RecordDescriptor.cleanWord(1));
        segment.buffer().putLongRelease(SegmentDescriptor.TAIL_POSITION_OFFSET, 4096 + 16); // a lap went past it

        assertFalse(producer.commit(index), "a commit over the next lap's clean space is lost");
        assertEquals(RecordDescriptor.cleanWord(1), segment.dataBuffer().getLong(0), "the next lap's space untouched");
        assertEquals(1, segment.buffer().getLong(slot + ProducerSlotDescriptor.LOST_CLAIMS_OFFSET));
    }

    @Test
    void shouldReportACommitLostWhenAConsumerPaddedItsClaim()
    {
        final RingProducer producer = new RingProducer(segment, 1, false, header, data);
        final int index = producer.tryClaim(5, 8);
        segment.dataBuffer().putLongRelease(0, RecordDescriptor.headerWord(16, RecordDescriptor.PADDING_TYPE_ID));

        log.clear();
        assertFalse(producer.commit(index), "an unblocked claim is lost");
        assertEquals("data.compareAndSetLong@0", log.get(0), "F7 first; the failure path looks at the header after");
        assertEquals(RecordDescriptor.headerWord(16, RecordDescriptor.PADDING_TYPE_ID), segment.dataBuffer().getLong(0));
        assertEquals(1, segment.buffer().getLong(slot + ProducerSlotDescriptor.LOST_CLAIMS_OFFSET));
    }

    @Test
    void shouldCommitAndAbortWithOneCasFromTheCleanWord()
    {
        final RingProducer producer = new RingProducer(segment, 1, false, header, data);
        final int first = producer.tryClaim(5, 12);
        data.putLong(first, 42); // payload, plain

        log.clear();
        assertTrue(producer.commit(first));
        assertEquals(List.of("data.compareAndSetLong@0"), log, "F7 commit: one CAS, nothing else per record");
        assertEquals(RecordDescriptor.headerWord(20, 5), segment.dataBuffer().getLong(0));

        final int second = producer.tryClaim(6, 8);
        log.clear();
        assertTrue(producer.abort(second));
        assertEquals(List.of("data.compareAndSetLong@24"), log, "F7 abort: one CAS to padding");
        assertEquals(RecordDescriptor.headerWord(16, RecordDescriptor.PADDING_TYPE_ID),
            segment.dataBuffer().getLong(24));
    }

    @Test
    void shouldClaimExclusivelyWithTheIntentOnlyAndCommitWithGateThenTailAndNoLockedInstruction()
    {
        final RingProducer producer = new RingProducer(segment, 1, true, header, data);

        log.clear();
        final int index = producer.tryClaim(5, 8);
        assertEquals(List.of(
            "header.putLong@" + (slot + 40),        // claimLength, plain: published by F4
            "header.putLongRelease@" + (slot + 32)), // F4 intent: nothing outside the producer's own slot
            log);
        assertEquals(0, segment.dataBuffer().getLong(0), "nothing in the data area before the commit");
        assertEquals(0, segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET), "no tail before the commit");

        data.putLong(index, 42); // payload, plain
        log.clear();
        assertTrue(producer.commit(index));
        assertEquals(List.of(
            "data.putLongRelease@0",                // F28 gate: the header, after the payload
            "header.putLongRelease@128"),           // F5x tail, after the gate
            log);
        assertEquals(RecordDescriptor.headerWord(16, 5), segment.dataBuffer().getLong(0));
        assertEquals(16, segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET));

        final int second = producer.tryClaim(6, 8);
        log.clear();
        assertTrue(producer.abort(second));
        assertEquals(List.of("data.putLongRelease@16", "header.putLongRelease@128"), log, "abort: padding gate, tail");
        assertEquals(RecordDescriptor.headerWord(16, RecordDescriptor.PADDING_TYPE_ID),
            segment.dataBuffer().getLong(16));
        assertEquals(32, segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET));
    }

    @Test
    void shouldCommitAnExclusiveClaimThatWrapsWithTheRecordFirstAndThePaddingGateLast()
    {
        final RingProducer producer = new RingProducer(segment, 1, true, header, data);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[504]);
        final RingConsumer consumer = new RingConsumer(segment);
        for (int i = 0; i < 8; i++) // 7 x 512 + 448 bytes: the tail at 4032, 64 bytes before the end of the ring
        {
            assertTrue(producer.offer(1, payload, 0, i < 7 ? 504 : 440));
            assertEquals(1, consumer.read((type, buffer, offset, length) -> { }, 1));
        }
        assertEquals(4032, segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET));

        log.clear();
        final int index = producer.tryClaim(7, 100);
        assertEquals(8, index, "the record goes to offset 0, after padding to the end");
        assertTrue(log.stream().noneMatch(entry -> entry.startsWith("data.")), "nothing written at claim: " + log);
        log.clear();
        assertTrue(producer.commit(index));
        assertEquals(List.of(
            "data.putLong@0",                       // the record at 0, plain: published by the gate
            "data.putLongRelease@4032",             // F28 gate: the padding to the end, last
            "header.putLongRelease@128"),           // F5x tail
            log);
        assertEquals(RecordDescriptor.headerWord(64, RecordDescriptor.PADDING_TYPE_ID),
            segment.dataBuffer().getLong(4032));
        assertEquals(4096 + 112, segment.buffer().getLong(SegmentDescriptor.TAIL_POSITION_OFFSET));
        consumer.close();
        producer.close();
    }

    @Test
    void shouldReadWithCleanAcquireLengthAcquirePlainTypeAndOneReleasePerBatch()
    {
        try (RingProducer producer = new RingProducer(segment, 1))
        {
            final RingConsumer consumer = new RingConsumer(segment, RingConsumer.DEFAULT_NAME,
                RingConsumers.StartPosition.OLDEST, 0, RingConsumer.DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS,
                SystemNanoClock.INSTANCE, 63, header, data);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            assertTrue(producer.offer(1, payload, 0, 8));
            assertTrue(producer.offer(2, payload, 0, 8));

            log.clear();
            final int read = consumer.read((type, buffer, offset, length) -> log.add("handler type=" + type));

            assertEquals(2, read);
            assertEquals(List.of(
                "header.getLongAcquire@256",      // F19 clean position, once per chunk
                "data.getIntAcquire@0",           // F8 length
                "data.getInt@4",                  // type, plain after F8
                "handler type=1",
                "data.getIntAcquire@16",          // F8
                "data.getInt@20",
                "handler type=2",
                "data.getIntAcquire@32",          // F8: 0, the end of the batch
                "header.putLongRelease@" + (consumerSlot + 40),  // F9 position, once per batch
                "header.putLongRelease@" + (consumerSlot + 48)), // recordsConsumed, once per batch
                log);
            assertFalse(log.stream().anyMatch(entry -> entry.startsWith("data.put") || entry.contains("setMemory")),
                "a consumer never writes the data area");

            log.clear();
            assertEquals(0, consumer.read((type, buffer, offset, length) -> log.add("handler")));
            assertEquals(List.of("data.getIntAcquire@32"), log, "an empty poll is one acquire load");
            consumer.close();
        }
    }

    /** A view of real memory that logs the access mode and offset of every access the ring classes make. */
    static final class RecordingBuffer extends UnsafeBuffer
    {
        private final String name;
        private final List<String> log;

        RecordingBuffer(final String name, final long address, final int length, final List<String> log)
        {
            super(address, length);
            this.name = name;
            this.log = log;
        }

        private void record(final String access, final int index)
        {
            log.add(name + "." + access + "@" + index);
        }

        public long getLongAcquire(final int index)
        {
            record("getLongAcquire", index);
            return super.getLongAcquire(index);
        }

        public long getLongVolatile(final int index)
        {
            record("getLongVolatile", index);
            return super.getLongVolatile(index);
        }

        public long getLong(final int index)
        {
            record("getLong", index);
            return super.getLong(index);
        }

        public int getIntAcquire(final int index)
        {
            record("getIntAcquire", index);
            return super.getIntAcquire(index);
        }

        public int getInt(final int index)
        {
            record("getInt", index);
            return super.getInt(index);
        }

        public void putLong(final int index, final long value)
        {
            record("putLong", index);
            super.putLong(index, value);
        }

        public void putLongRelease(final int index, final long value)
        {
            record("putLongRelease", index);
            super.putLongRelease(index, value);
        }

        public void putLongVolatile(final int index, final long value)
        {
            record("putLongVolatile", index);
            super.putLongVolatile(index, value);
        }

        public void putIntRelease(final int index, final int value)
        {
            record("putIntRelease", index);
            super.putIntRelease(index, value);
        }

        public boolean compareAndSetLong(final int index, final long expectedValue, final long updateValue)
        {
            record("compareAndSetLong", index);
            return super.compareAndSetLong(index, expectedValue, updateValue);
        }

        public void setMemory(final int index, final int length, final byte value)
        {
            record("setMemory", index);
            super.setMemory(index, length, value);
        }
    }
}
