package io.herz.ipc.segment;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files that are not valid segments, and configurations that are not valid: each gets a {@link SegmentException}
 * (or {@link IllegalArgumentException} for a bad argument) whose whole message names the file and the problem.
 * None may crash the JVM. Foreign owners and full file systems are in {@link SegmentEnvironmentTest}.
 */
@Timeout(60)
class SegmentBadInputTest
{
    /** 4 KiB data area, 1 producer slot, no counters: header 4096 bytes, file 8192 bytes. */
    private static final int CAPACITY = 4096;
    private static final int HEADER_LENGTH = 4096;
    private static final int FILE_LENGTH = HEADER_LENGTH + CAPACITY;
    private static final int MINIMUM_FILE_LENGTH = HEADER_LENGTH + SegmentDescriptor.MIN_CAPACITY;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAFileWithTheWrongMagic() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.MAGIC_OFFSET, 0x1234_5678);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": not a Herz segment, magic mismatch: expected 0x5a524548 (\"HERZ\"), found 0x12345678",
            ex.getMessage());
        assertEquals(file, ex.path());
    }

    @Test
    void shouldRefuseATextFileOfSegmentSize() throws IOException
    {
        final Path file = dir.resolve("notes.txt");
        final byte[] text = new byte[FILE_LENGTH];
        Arrays.fill(text, (byte)'x');
        Files.write(file, text);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": not a Herz segment, magic mismatch: expected 0x5a524548 (\"HERZ\"), found 0x78787878",
            ex.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownLayoutVersion() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.LAYOUT_VERSION_OFFSET, 4);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": unsupported layout version: expected 3, found 4", ex.getMessage());
    }

    @Test
    void shouldRefuseALayoutVersion1RingNamingBothVersions() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.LAYOUT_VERSION_OFFSET, 1);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": unsupported layout version: expected 3, found 1 (a layout version 1 ring, written by " +
            "an older Herz: drain it with that version, or remove it and let the consumer create a version 3 ring)",
            ex.getMessage());
    }

    @Test
    void shouldRefuseALayoutVersion2RingNamingBothVersions() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.LAYOUT_VERSION_OFFSET, 2);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": unsupported layout version: expected 3, found 2 (a layout version 2 ring, written by " +
            "an older Herz: drain it with that version, or remove it and let the consumer create a version 3 ring)",
            ex.getMessage());
    }

    @Test
    void shouldRefuseAWrongConsumerSlotCount() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.CONSUMER_SLOT_COUNT_OFFSET, 17);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": consumerSlotCount mismatch: expected 16, found 17", ex.getMessage());
    }

    @Test
    void shouldGiveUpOnAHeaderThatNeverGetsItsVersion() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.LAYOUT_VERSION_OFFSET, 0);

        final SegmentException ex = assertThrows(SegmentException.class,
            () -> Segment.open(file, new SegmentConfig().openTimeoutMs(50)));

        assertEquals(file + ": segment not ready: expected layout version 3 within 50 ms, found 0", ex.getMessage());
    }

    @Test
    void shouldRefuseATruncatedSegment() throws IOException
    {
        final Path file = validSegment();
        truncate(file, FILE_LENGTH - 1000);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": segment truncated: expected " + FILE_LENGTH + " bytes, found " + (FILE_LENGTH - 1000),
            ex.getMessage());
    }

    @Test
    void shouldRefuseAFileTruncatedInsideTheHeader() throws IOException
    {
        final Path file = validSegment();
        truncate(file, 100);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": file too small to be a segment: expected at least " + MINIMUM_FILE_LENGTH +
            " bytes, found 100", ex.getMessage());
    }

    @Test
    void shouldRefuseAnEmptyFile() throws IOException
    {
        final Path file = Files.createFile(dir.resolve("empty.seg"));

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": file too small to be a segment: expected at least " + MINIMUM_FILE_LENGTH +
            " bytes, found 0", ex.getMessage());
    }

    @Test
    void shouldRefuseTrailingBytes() throws IOException
    {
        final Path file = validSegment();
        Files.write(file, new byte[8], StandardOpenOption.APPEND);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": segment has trailing bytes: expected " + FILE_LENGTH + " bytes, found " +
            (FILE_LENGTH + 8), ex.getMessage());
    }

    @Test
    void shouldRefuseAHeaderCapacityThatIsNotAPowerOfTwo() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.CAPACITY_OFFSET, 3000);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": capacity is not a power of two: found 3000", ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -4096, 512, Integer.MIN_VALUE, Integer.MAX_VALUE })
    void shouldRefuseAHeaderCapacityOutOfRange(final int capacity) throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.CAPACITY_OFFSET, capacity);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": capacity out of range: expected 1024..1073741824 bytes, found " + capacity,
            ex.getMessage());
    }

    @Test
    void shouldRefuseAHugeHeaderCapacityTheFileDoesNotHold() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.CAPACITY_OFFSET, 1 << 30);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": segment truncated: expected " + (HEADER_LENGTH + (1L << 30)) + " bytes, found " +
            FILE_LENGTH, ex.getMessage());
    }

    @Test
    void shouldRefuseAHeaderMaxRecordLengthOutOfRange() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.MAX_RECORD_LENGTH_OFFSET, 2000);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": maxRecordLength out of range: expected 1..1016 for capacity 4096, found 2000",
            ex.getMessage());
    }

    @Test
    void shouldRefuseAHeaderProducerSlotCountOutOfRange() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.PRODUCER_SLOT_COUNT_OFFSET, 0);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": producerSlotCount out of range: expected 1..4096, found 0", ex.getMessage());
    }

    @Test
    void shouldRefuseAHeaderCounterCountOutOfRange() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.COUNTER_COUNT_OFFSET, -1);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": counterCount out of range: expected 0..4096, found -1", ex.getMessage());
    }

    @Test
    void shouldRefuseAHeaderLengthThatDoesNotMatchTheGeometry() throws IOException
    {
        final Path file = validSegment();
        putInt(file, SegmentDescriptor.HEADER_LENGTH_OFFSET, 8192);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": header length mismatch: expected 4096 for 1 producer slots and 0 counters, found 8192",
            ex.getMessage());
    }

    @Test
    void shouldRefuseARecordedFileLengthThatDoesNotMatch() throws IOException
    {
        final Path file = validSegment();
        putLong(file, SegmentDescriptor.FILE_LENGTH_OFFSET, 1);

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(file));

        assertEquals(file + ": recorded file length mismatch: expected " + FILE_LENGTH + ", found 1", ex.getMessage());
    }

    @Test
    void shouldRefuseASymbolicLink() throws IOException
    {
        final Path target = validSegment();
        final Path link = Files.createSymbolicLink(dir.resolve("link.seg"), target);

        final SegmentException open = assertThrows(SegmentException.class, () -> open(link));
        final SegmentException openOrCreate = assertThrows(SegmentException.class,
            () -> Segment.openOrCreate(link, config()));
        final SegmentException create = assertThrows(SegmentException.class, () -> Segment.create(link, config()));

        assertEquals(link + ": segment is a symbolic link: expected a regular file", open.getMessage());
        assertEquals(link + ": segment is a symbolic link: expected a regular file", openOrCreate.getMessage());
        assertEquals(link + ": segment already exists: expected no file at this path", create.getMessage());
        assertTrue(Files.isSymbolicLink(link), "the link is left alone");
    }

    @Test
    void shouldRefuseADanglingSymbolicLink() throws IOException
    {
        final Path link = Files.createSymbolicLink(dir.resolve("dangling.seg"), dir.resolve("nowhere.seg"));

        final SegmentException ex = assertThrows(SegmentException.class, () -> open(link));

        assertEquals(link + ": segment is a symbolic link: expected a regular file", ex.getMessage());
        assertFalse(Files.exists(dir.resolve("nowhere.seg")), "nothing created through the link");
    }

    @Test
    void shouldRefuseADirectory() throws IOException
    {
        final Path directory = Files.createDirectory(dir.resolve("dir.seg"));

        final SegmentException open = assertThrows(SegmentException.class, () -> open(directory));
        final SegmentException openOrCreate = assertThrows(SegmentException.class,
            () -> Segment.openOrCreate(directory, config()));

        assertEquals(directory + ": segment is a directory: expected a regular file", open.getMessage());
        assertEquals(directory + ": segment is a directory: expected a regular file", openOrCreate.getMessage());
    }

    @Test
    void shouldRefuseAMissingFileAfterTheBoundedWait()
    {
        final Path file = dir.resolve("missing.seg");

        final long startNs = System.nanoTime();
        final SegmentException ex = assertThrows(SegmentException.class,
            () -> Segment.open(file, new SegmentConfig().openTimeoutMs(100)));
        final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;

        assertEquals(file + ": segment does not exist: waited 100 ms", ex.getMessage());
        assertTrue(elapsedMs >= 100, "waited " + elapsedMs + " ms");
    }

    @Test
    void shouldRefuseToCreateASegmentThatAlreadyExists() throws IOException
    {
        final Path file = validSegment();
        final byte[] before = Files.readAllBytes(file);

        final SegmentException ex = assertThrows(SegmentException.class, () -> Segment.create(file, config()));

        assertEquals(file + ": segment already exists: expected no file at this path", ex.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file),
            "existing file untouched");
    }

    @ParameterizedTest
    @ValueSource(longs = { 0, -1, -4096, 512, 1L << 31, Long.MAX_VALUE, Long.MIN_VALUE })
    void shouldRefuseAConfiguredCapacityOutOfRange(final long capacity)
    {
        final Path file = dir.resolve("capacity.seg");

        final IllegalArgumentException conclude = assertThrows(IllegalArgumentException.class,
            () -> new SegmentConfig().capacity(capacity).conclude());
        final IllegalArgumentException create = assertThrows(IllegalArgumentException.class,
            () -> Segment.create(file, new SegmentConfig().capacity(capacity)));

        assertEquals("capacity out of range: expected 1024..1073741824 bytes, found " + capacity,
            conclude.getMessage());
        assertEquals(conclude.getMessage(), create.getMessage());
        assertFalse(Files.exists(file), "nothing created");
    }

    @ParameterizedTest
    @ValueSource(longs = { 1000, 3000, 65535, (1L << 30) - 1 })
    void shouldRefuseAConfiguredCapacityThatIsNotAPowerOfTwo(final long capacity)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new SegmentConfig().capacity(capacity).conclude());

        final String expected = capacity < SegmentDescriptor.MIN_CAPACITY ?
            "capacity out of range: expected 1024..1073741824 bytes, found " + capacity :
            "capacity is not a power of two: found " + capacity;
        assertEquals(expected, ex.getMessage());
    }

    @Test
    void shouldRefuseOtherBadConfigurations()
    {
        assertEquals("maxRecordLength out of range: expected 1..1016 for capacity 4096, found 1017",
            assertThrows(IllegalArgumentException.class,
                () -> new SegmentConfig().capacity(4096).maxRecordLength(1017).conclude()).getMessage());
        assertEquals("maxRecordLength out of range: expected 1..1016 for capacity 4096, found 0",
            assertThrows(IllegalArgumentException.class,
                () -> new SegmentConfig().capacity(4096).maxRecordLength(0).conclude()).getMessage());
        assertEquals("producerSlotCount out of range: expected 1..4096, found 0",
            assertThrows(IllegalArgumentException.class,
                () -> new SegmentConfig().producerSlotCount(0).conclude()).getMessage());
        assertEquals("producerSlotCount out of range: expected 1..4096, found 4097",
            assertThrows(IllegalArgumentException.class,
                () -> new SegmentConfig().producerSlotCount(4097).conclude()).getMessage());
        assertEquals("counterCount out of range: expected 0..4096, found -1",
            assertThrows(IllegalArgumentException.class,
                () -> new SegmentConfig().counterCount(-1).conclude()).getMessage());
        assertEquals("openTimeoutMs must not be negative: found -1",
            assertThrows(IllegalArgumentException.class,
                () -> new SegmentConfig().openTimeoutMs(-1).conclude()).getMessage());
        assertEquals("mode is not a permission string: expected e.g. rw-------, found 0600",
            assertThrows(IllegalArgumentException.class,
                () -> new SegmentConfig().mode("0600").conclude()).getMessage());
    }

    @Test
    void shouldRefuseAMessageLongerThanTheMaximum()
    {
        try (Segment segment = Segment.create(dir.resolve("long.seg"), config());
            RingProducer producer = new RingProducer(segment, 1);
            RingConsumer consumer = new RingConsumer(segment))
        {
            final int max = segment.maxRecordLength();
            final UnsafeBuffer source = new UnsafeBuffer(new byte[max + 1]);

            final IllegalArgumentException claim = assertThrows(IllegalArgumentException.class,
                () -> producer.tryClaim(1, max + 1));
            final IllegalArgumentException offer = assertThrows(IllegalArgumentException.class,
                () -> producer.offer(1, source, 0, max + 1));
            final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> producer.tryClaim(1, -1));

            final String expected = "record length out of range: expected 0.." + max + ", found ";
            assertEquals(expected + (max + 1) + " ring=" + segment.path(), claim.getMessage());
            assertEquals(expected + (max + 1) + " ring=" + segment.path(), offer.getMessage());
            assertEquals(expected + "-1 ring=" + segment.path(), negative.getMessage());
            assertTrue(producer.offer(1, source, 0, max), "the maximum itself fits");
            assertEquals(1, consumer.read((type, buffer, index, length) -> assertEquals(max, length)));
        }
    }

    @Test
    void shouldRefuseASecondConsumerInTheSameProcess()
    {
        try (Segment segment = Segment.create(dir.resolve("consumers.seg"), config());
            RingConsumer first = new RingConsumer(segment))
        {
            final SegmentException ex = assertThrows(SegmentException.class, () -> new RingConsumer(segment));

            assertEquals(segment.path() + ": consumer default already attached in this process: " +
                "expected none, found pid=" + ProcessHandle.current().pid(), ex.getMessage());
            assertEquals(0, first.read((type, buffer, index, length) -> { }), "the first consumer still works");
        }
    }

    @Test
    void shouldNeverFailOtherwiseThanWithASegmentExceptionOnACorruptHeader() throws IOException
    {
        final Path valid = validSegment();
        final byte[] original = Files.readAllBytes(valid);
        final Random random = new Random(42);
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < 400; i++)
        {
            final byte[] bytes = original.clone();
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.nextInt(64)] = (byte)random.nextInt();
            }
            final Path file = dir.resolve("fuzz-" + i + ".seg");
            Files.write(file, bytes);
            try (Segment segment = Segment.open(file, new SegmentConfig().openTimeoutMs(0)))
            {
                assertEquals(CAPACITY, segment.capacity());
                opened++;
            }
            catch (final SegmentException ex)
            {
                assertTrue(ex.getMessage().startsWith(file + ": "), ex.getMessage());
                refused++;
            }
            Files.delete(file);
        }
        assertTrue(refused > 300, "refused " + refused + ", opened " + opened);
    }

    private SegmentConfig config()
    {
        return new SegmentConfig().capacity(CAPACITY).producerSlotCount(1).counterCount(0).openTimeoutMs(0);
    }

    private Segment open(final Path file)
    {
        return Segment.open(file, new SegmentConfig().openTimeoutMs(0));
    }

    private Path validSegment() throws IOException
    {
        final Path file = dir.resolve("valid.seg");
        Segment.create(file, config()).close();
        assertEquals(FILE_LENGTH, Files.size(file));
        Segment.open(file, config()).close();
        return file;
    }

    static void putInt(final Path file, final int offset, final int value) throws IOException
    {
        write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    static void putLong(final Path file, final int offset, final long value) throws IOException
    {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    private static void write(final Path file, final int offset, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes, offset + bytes.position());
            }
        }
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length);
        }
    }
}
