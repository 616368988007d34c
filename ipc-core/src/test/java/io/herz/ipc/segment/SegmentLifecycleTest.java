package io.herz.ipc.segment;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Create, open, close and unlink as DESIGN.md describes them: exclusive create with mode 0600 by default and the
 * whole file allocated, open taking the geometry from the file, idempotent close and unlink, and the limits of the
 * producer table.
 */
@Timeout(30)
class SegmentLifecycleTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCreateTheWholeFileWithMode0600ByDefault() throws IOException
    {
        final Path file = dir.resolve("a/b/default.seg");

        try (Segment segment = Segment.create(file, new SegmentConfig().capacity(64 * 1024)))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(SegmentDescriptor.headerLength(SegmentConfig.DEFAULT_PRODUCER_SLOTS,
                SegmentConfig.DEFAULT_COUNTERS) + 64 * 1024L, Files.size(file));
            assertEquals(64 * 1024, segment.capacity());
            assertEquals(64 * 1024 / 8 - 8, segment.maxRecordLength(), "default maximum: capacity / 8 - 8");
            assertEquals(file, segment.path());
            try (Stream<Path> files = Files.list(file.getParent()))
            {
                assertEquals(List.of(file), files.toList(), "no temporary file left behind");
            }
        }
    }

    @Test
    void shouldCreateTheFileWithTheConfiguredMode() throws IOException
    {
        final Path file = dir.resolve("shared.seg");

        Segment.create(file, new SegmentConfig().capacity(4096).mode("rw-rw----")).close();

        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void shouldTakeTheGeometryFromTheFileWhenOpening()
    {
        final Path file = dir.resolve("geometry.seg");
        Segment.create(file, new SegmentConfig().capacity(8192).maxRecordLength(1001).producerSlotCount(3)
            .counterCount(5)).close();

        try (Segment open = Segment.open(file, new SegmentConfig().capacity(4096));
            Segment openOrCreate = Segment.openOrCreate(file, new SegmentConfig().capacity(1 << 20)))
        {
            for (final Segment segment : List.of(open, openOrCreate))
            {
                assertEquals(8192, segment.capacity());
                assertEquals(1001, segment.maxRecordLength());
                assertEquals(3, segment.producerSlotCount());
                assertEquals(5, segment.counterCount());
                // 2560 (fixed blocks and 16 consumer slots) + 3 * 128 + 5 * 512 + 5 * 128 = 6144, page aligned
                assertEquals(8192, segment.headerLength());
            }
        }
    }

    @Test
    void shouldShareRecordsBetweenTwoMappingsOfOneFile()
    {
        final Path file = dir.resolve("two-mappings.seg");
        try (Segment producerSide = Segment.openOrCreate(file, new SegmentConfig().capacity(4096));
            Segment consumerSide = Segment.open(file, new SegmentConfig());
            RingProducer producer = new RingProducer(producerSide, 1);
            RingConsumer consumer = new RingConsumer(consumerSide))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            payload.putLong(0, 0x0123_4567_89AB_CDEFL);

            assertTrue(producer.offer(3, payload, 0, 8));

            assertEquals(1, consumer.read((type, buffer, index, length) ->
            {
                assertEquals(3, type);
                assertEquals(0x0123_4567_89AB_CDEFL, buffer.getLong(index));
            }));
        }
    }

    @Test
    void shouldLetExactlyOneOfManyRacingCreatorsCreateTheFile() throws Exception
    {
        final Path file = dir.resolve("race.seg");
        final int threads = 6;
        final CyclicBarrier start = new CyclicBarrier(threads);
        final List<Future<Segment>> results = new ArrayList<>();
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        try
        {
            for (int i = 0; i < threads; i++)
            {
                final int capacity = 4096 << i;
                results.add(executor.submit(() ->
                {
                    start.await(10, TimeUnit.SECONDS);
                    return Segment.openOrCreate(file, new SegmentConfig().capacity(capacity));
                }));
            }
            final List<Segment> segments = new ArrayList<>();
            for (final Future<Segment> result : results)
            {
                segments.add(result.get(20, TimeUnit.SECONDS));
            }

            final int capacity = segments.get(0).capacity();
            for (final Segment segment : segments)
            {
                assertEquals(capacity, segment.capacity(), "every opener maps the one winner's file");
            }
            segments.get(0).buffer().putLongVolatile(SegmentDescriptor.CREATED_EPOCH_MS_OFFSET, 42);
            assertEquals(42, segments.get(threads - 1).buffer().getLongVolatile(
                SegmentDescriptor.CREATED_EPOCH_MS_OFFSET), "one file behind every mapping");
            try (Stream<Path> files = Files.list(dir))
            {
                assertEquals(List.of(file), files.toList(), "no temporary file left behind");
            }
            segments.forEach(Segment::close);
        }
        finally
        {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldWaitForASegmentThatAppearsWithinTheOpenTimeout() throws Exception
    {
        final Path file = dir.resolve("later.seg");
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try
        {
            final Future<Segment> opened = executor.submit(
                () -> Segment.open(file, new SegmentConfig().openTimeoutMs(20_000)));
            Thread.sleep(200);
            assertFalse(opened.isDone(), "open waits while the file does not exist");

            try (Segment created = Segment.create(file, new SegmentConfig().capacity(4096));
                Segment segment = opened.get(20, TimeUnit.SECONDS))
            {
                assertEquals(created.capacity(), segment.capacity());
            }
        }
        finally
        {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldCloseAndUnlinkIdempotently()
    {
        final Path file = dir.resolve("close.seg");
        final Segment segment = Segment.create(file, new SegmentConfig().capacity(4096));

        assertTrue(segment.unlink());
        assertFalse(segment.unlink());
        segment.close();
        segment.close();

        assertTrue(segment.isClosed());
        assertFalse(Files.exists(file));
    }

    @Test
    void shouldRefuseToCreateUnderARegularFile() throws IOException
    {
        final Path parent = Files.createFile(dir.resolve("plain-file"));
        final Path file = parent.resolve("child.seg");

        final SegmentException ex = assertThrows(SegmentException.class,
            () -> Segment.create(file, new SegmentConfig().capacity(4096)));

        assertEquals(file + ": cannot create directory " + parent + ": java.nio.file.FileAlreadyExistsException: " +
            parent, ex.getMessage());
    }

    @Test
    void shouldRefuseAProducerWhenEverySlotIsHeldByALiveProducer()
    {
        try (Segment segment = Segment.create(dir.resolve("slots.seg"),
                new SegmentConfig().capacity(4096).producerSlotCount(2));
            RingProducer first = new RingProducer(segment, 1);
            RingProducer second = new RingProducer(segment, 2))
        {
            final SegmentException ex = assertThrows(SegmentException.class, () -> new RingProducer(segment, 3));

            assertEquals(segment.path() + ": no free producer slot: expected fewer than 2 live producers, found 2",
                ex.getMessage());
            first.close();
            try (RingProducer third = new RingProducer(segment, 3))
            {
                assertEquals(first.slotIndex(), third.slotIndex(), "a closed producer's slot is reused");
            }
        }
    }
}
