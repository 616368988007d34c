package io.herz.ipc.segment;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.status.SegmentStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentReadOnlyCloseTest
{
    @TempDir
    Path dir;

    private Path createWithOneRecord()
    {
        final Path file = dir.resolve("ro.seg");
        try (Segment segment = Segment.create(file, new SegmentConfig().capacity(4096).counterCount(2));
            RingProducer producer = new RingProducer(segment, 7))
        {
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[16]), 0, 16));
        }
        return file;
    }

    @Test
    void readOnlySegmentRefusesEveryWritableAccessAndNeverWrites() throws Exception
    {
        final Path file = createWithOneRecord();
        final byte[] before = Files.readAllBytes(file);
        try (Segment segment = Segment.openReadOnly(file))
        {
            assertTrue(segment.isReadOnly());
            assertEquals(4096, segment.capacity());
            final Map<String, Executable> writes = new LinkedHashMap<>();
            writes.put("buffer", segment::buffer);
            writes.put("dataBuffer", segment::dataBuffer);
            writes.put("countersMetadataBuffer", segment::countersMetadataBuffer);
            writes.put("countersValuesBuffer", segment::countersValuesBuffer);
            writes.put("new RingProducer", () -> new RingProducer(segment, 1));
            writes.put("new RingConsumer", () -> new RingConsumer(segment));
            for (final Map.Entry<String, Executable> write : writes.entrySet())
            {
                final IllegalStateException ex = assertThrows(IllegalStateException.class, write.getValue(),
                    write.getKey());
                assertEquals(file + ": segment is open read-only: expected a read-write segment (Segment.open) " +
                    "for writable buffers, producers and consumers", ex.getMessage(), write.getKey());
            }
            final SegmentStatus status = SegmentStatus.capture(segment);
            assertEquals(16 + 8, status.tailPosition());
            assertEquals(0, status.headPosition());
            assertEquals(segment.readBuffer().getInt(SegmentDescriptor.MAGIC_OFFSET), SegmentDescriptor.MAGIC);
        }
        assertEquals(24, SegmentStatus.read(file).lagBytes());
        assertArrayEquals(before, Files.readAllBytes(file), "a passive reader changed the file");
    }

    @Test
    void readOnlyOpenValidatesLikeOpen() throws Exception
    {
        final Path file = createWithOneRecord();
        final byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 8));
        final SegmentException ex = assertThrows(SegmentException.class, () -> Segment.openReadOnly(file));
        assertEquals(file + ": segment truncated: expected " + bytes.length + " bytes, found " + (bytes.length - 8),
            ex.getMessage());
        assertThrows(SegmentException.class, () -> Segment.openReadOnly(dir.resolve("missing.seg")));
    }

    @Test
    void closedSegmentAnswersIllegalStateAndKeepsItsName() throws Exception
    {
        final Path file = createWithOneRecord();
        for (final boolean readOnly : new boolean[]{false, true})
        {
            final Segment segment = readOnly ? Segment.openReadOnly(file) :
                Segment.open(file, new SegmentConfig().openTimeoutMs(0));
            segment.close();
            segment.close(); // idempotent
            assertTrue(segment.isClosed());
            assertEquals(readOnly, segment.isReadOnly());
            assertEquals(file, segment.path());
            assertTrue(segment.toString().contains("closed"), segment.toString());
            final Map<String, Executable> calls = new LinkedHashMap<>();
            calls.put("buffer", segment::buffer);
            calls.put("dataBuffer", segment::dataBuffer);
            calls.put("readBuffer", segment::readBuffer);
            calls.put("countersMetadataBuffer", segment::countersMetadataBuffer);
            calls.put("countersValuesBuffer", segment::countersValuesBuffer);
            calls.put("countersReader", segment::countersReader);
            calls.put("capacity", segment::capacity);
            calls.put("maxRecordLength", segment::maxRecordLength);
            calls.put("producerSlotCount", segment::producerSlotCount);
            calls.put("counterCount", segment::counterCount);
            calls.put("headerLength", segment::headerLength);
            calls.put("SegmentStatus.capture", () -> SegmentStatus.capture(segment));
            calls.put("new RingProducer", () -> new RingProducer(segment, 1));
            calls.put("new RingConsumer", () -> new RingConsumer(segment));
            for (final Map.Entry<String, Executable> call : calls.entrySet())
            {
                final IllegalStateException ex = assertThrows(IllegalStateException.class, call.getValue(),
                    call.getKey());
                assertEquals(file + ": segment is closed", ex.getMessage(), call.getKey());
            }
        }
        final Segment segment = Segment.open(file, new SegmentConfig().openTimeoutMs(0));
        segment.close();
        assertTrue(segment.unlink(), "unlink is a file operation and works after close");
        assertFalse(Files.exists(file));
    }
}
