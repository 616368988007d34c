package io.herz.codec;

import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.WatermarkDecoder;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class PartitionedEventPublisherTest
{
    @TempDir
    Path dir;

    private final List<Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void closeAll()
    {
        CloseHelper.closeAll(subscriptions);
    }

    @Test
    void pollKeepsEveryPartitionAliveAndEventPublisherDelegates()
    {
        final int[] keepAlives = new int[3];
        final EventPublisher[] partitions = new EventPublisher[keepAlives.length];
        for (int p = 0; p < partitions.length; p++)
        {
            final int partition = p;
            partitions[p] = new EventPublisher(new io.herz.ipc.transport.Publication()
            {
                private final org.agrona.concurrent.UnsafeBuffer buffer =
                    new org.agrona.concurrent.UnsafeBuffer(new byte[256]);

                public int tryClaim(final int typeId, final int length)
                {
                    return BACK_PRESSURED;
                }

                public org.agrona.MutableDirectBuffer buffer()
                {
                    return buffer;
                }

                public boolean commit(final int index)
                {
                    return false;
                }

                public void abort(final int index)
                {
                }

                public int offer(final int typeId, final org.agrona.DirectBuffer source, final int offset,
                    final int length)
                {
                    return BACK_PRESSURED;
                }

                public int maxClaimLength()
                {
                    return 256;
                }

                public int maxMessageLength()
                {
                    return 256;
                }

                public void keepAlive()
                {
                    keepAlives[partition]++;
                }

                public boolean isConnected()
                {
                    return true;
                }

                public String uri()
                {
                    return "fake:" + partition;
                }

                public void close()
                {
                }
            }, 9);
        }
        final PartitionedEventPublisher publisher =
            new PartitionedEventPublisher(partitions, 0, 0, org.agrona.concurrent.SystemNanoClock.INSTANCE);
        publisher.poll();
        publisher.poll();
        partitions[1].keepAlive();
        assertEquals(List.of(2, 3, 2), List.of(keepAlives[0], keepAlives[1], keepAlives[2]));
    }

    @Test
    void shouldHashKeysToFixedValuesWhateverTheKeyType()
    {
        // fmix64(fnv1a64(bytes)), computed independently; these values are the wire contract of partitioning
        assertEquals(0xefd01f60ba992926L, Partitions.hash(""));
        assertEquals(0x18137ad031db6589L, Partitions.hash("key-0"));
        assertEquals(0xa002e14b20bb64ecL, Partitions.hash("key-1"));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putStringWithoutLengthAscii(3, "AAPL");
        assertEquals(0x59abe90c82fc3687L, Partitions.hash(buffer, 3, 4));
        assertEquals(Partitions.hash("AAPL"), Partitions.hash(buffer, 3, 4));

        assertEquals(3, Partitions.partition("AAPL", 4));
        assertEquals(2, Partitions.partition("", 4)); // unsigned modulo of a negative long
        assertEquals(List.of(1, 0, 2, 3, 3, 3, 0, 2, 3, 0), partitionsOfKeys(10, 4));
    }

    @Test
    void shouldNamePartitionStreamsAfterTheirIndex()
    {
        assertEquals("/r/events-0.seg", Partitions.uri("/r/events.seg", 0, 4));
        assertEquals("/r/events-3.seg", Partitions.uri("/r/events.seg", 3, 4));
        assertEquals("shm:/r/a.b/events-1", Partitions.uri("shm:/r/a.b/events", 1, 2));
        assertEquals("/r/.hidden-1", Partitions.uri("/r/.hidden", 1, 2));
        assertEquals("/r/events.seg", Partitions.uri("/r/events.seg", 0, 1));
        assertEquals("aeron:udp?endpoint=h:4000|stream-id=12|term-length=64k",
            Partitions.uri("aeron:udp?endpoint=h:4000|stream-id=10|term-length=64k", 2, 4));
        assertEquals("aeron:ipc?stream-id=8", Partitions.uri("aeron:ipc?stream-id=7", 1, 2));

        assertEquals("stream 'aeron:ipc': a partitioned aeron stream needs a stream-id: expected " +
            "aeron:...|stream-id=N (partition i uses N + i), found none", assertThrows(IllegalArgumentException.class,
            () -> Partitions.uri("aeron:ipc", 1, 2)).getMessage());
        assertEquals("stream '/r/e.seg': partition out of range: expected 0..3, found 4",
            assertThrows(IllegalArgumentException.class, () -> Partitions.uri("/r/e.seg", 4, 4)).getMessage());
        assertEquals("stream '/r/e.seg': partitions out of range: expected 1..1024, found 0",
            assertThrows(IllegalArgumentException.class, () -> Partitions.uri("/r/e.seg", 0, 0)).getMessage());
    }

    @Test
    void shouldRouteByKeyBroadcastWatermarksAndEndEveryPartition()
    {
        final int partitionCount = 4;
        final Recorder[] recorders = subscribe(partitionCount, 1 << 16);
        final PartitionedEventPublisher publisher;
        try (PartitionedEventPublisher opened = PartitionedEventPublisher.open(dir.resolve("events.seg").toString(),
            partitionCount, new PublicationOptions().producerId(9), 100, 0))
        {
            publisher = opened;
            for (int i = 0; i < 250; i++)
            {
                assertTrue(publisher.publishEvent(1_000L + i, "key-" + (i % 10), i) >= 0);
            }
            assertEquals(0, publisher.publishEndOfStream());
        }
        drain(recorders);

        assertEquals(250, publisher.eventCount());
        assertEquals(2 * partitionCount, publisher.watermarkCount());
        long total = 0;
        for (int p = 0; p < partitionCount; p++)
        {
            final Recorder recorder = recorders[p];
            for (final String key : recorder.keys)
            {
                assertEquals(p, Partitions.partition(key, partitionCount), key + " in partition " + p);
            }
            for (int s = 0; s < recorder.sequences.size(); s++)
            {
                assertEquals(s, recorder.sequences.get(s), "per-partition sequence");
            }
            assertEquals(List.of(1_099L, 1_199L), recorder.watermarks, "partition " + p);
            assertEquals(List.of(9, 9), recorder.watermarkProducers);
            assertEquals(1, recorder.ends);
            assertEquals(recorder.keys.size(), recorder.endEventCount);
            total += recorder.keys.size();
        }
        assertEquals(250, total);
    }

    @Test
    void shouldBroadcastOnTimeOnlyWhileEventTimeAdvances()
    {
        final Recorder[] recorders = subscribe(2, 1 << 16);
        final long[] nowNs = { 0 };
        final EventPublisher[] publishers = new EventPublisher[2];
        final List<io.herz.ipc.transport.Publication> publications = new ArrayList<>();
        for (int p = 0; p < 2; p++)
        {
            publications.add(Transports.publication(Partitions.uri(dir.resolve("events.seg").toString(), p, 2),
                new PublicationOptions().producerId(3)));
            publishers[p] = new EventPublisher(publications.get(p), 3);
        }
        try
        {
            final PartitionedEventPublisher publisher = new PartitionedEventPublisher(publishers, 0, 1_000,
                () -> nowNs[0]);
            publisher.publishEvent(5_000, "key-1", 1.0); // partition 0
            nowNs[0] = 999;
            assertEquals(0, publisher.poll());
            nowNs[0] = 1_000;
            assertEquals(2, publisher.poll());
            nowNs[0] = 5_000;
            assertEquals(0, publisher.poll(), "no progress since the last broadcast: the producer may go idle");
            publisher.publishEvent(4_000, "key-0", 1.0); // partition 1, behind the maximum: no progress
            assertEquals(0, publisher.poll());
            publisher.publishEvent(6_000, "key-0", 1.0);
            assertEquals(2, publisher.poll());
        }
        finally
        {
            CloseHelper.closeAll(publications);
        }
        drain(recorders);

        assertEquals(List.of(5_000L, 6_000L), recorders[0].watermarks);
        assertEquals(List.of(5_000L, 6_000L), recorders[1].watermarks);
        assertEquals(List.of("key-1"), recorders[0].keys);
        assertEquals(List.of("key-0", "key-0"), recorders[1].keys);
    }

    @Test
    void shouldKeepWatermarkPendingWhilePartitionIsFull()
    {
        final Recorder[] recorders = subscribe(2, 1024);
        try (PartitionedEventPublisher publisher = PartitionedEventPublisher.open(dir.resolve("events.seg").toString(),
            2, new PublicationOptions().producerId(4), 0, 0))
        {
            int published = 0;
            while (publisher.publishEvent(100 + published, "key-0", 1.0) >= 0) // fill partition 1
            {
                published++;
            }
            assertTrue(published > 3);
            int filler = 0;
            while (publisher.partition(1).publishWatermark(-1) >= 0) // the last bytes, too small for an event
            {
                filler++;
            }

            assertEquals(1, publisher.broadcastWatermark(), "partition 0 has room, partition 1 is full");
            assertEquals(0, publisher.poll());
            drain(recorders);
            assertEquals(1, publisher.poll(), "partition 1 drained: the pending watermark goes out");
            drain(recorders);

            assertEquals(List.of(99L + published), recorders[0].watermarks);
            final List<Long> expected = new ArrayList<>(java.util.Collections.nCopies(filler, -1L));
            expected.add(99L + published);
            assertEquals(expected, recorders[1].watermarks);
            assertEquals(published, recorders[1].keys.size());
        }
    }

    private Recorder[] subscribe(final int partitionCount, final int capacity)
    {
        final Recorder[] recorders = new Recorder[partitionCount];
        for (int p = 0; p < partitionCount; p++)
        {
            subscriptions.add(Transports.subscription(
                Partitions.uri(dir.resolve("events.seg").toString(), p, partitionCount),
                new SubscriptionOptions().segmentConfig(new SegmentConfig().capacity(capacity))));
            recorders[p] = new Recorder();
        }
        return recorders;
    }

    private void drain(final Recorder[] recorders)
    {
        for (int p = 0; p < recorders.length; p++)
        {
            final EventDispatcher dispatcher = new EventDispatcher(recorders[p]);
            while (subscriptions.get(p).poll(dispatcher, 100) > 0)
            {
                // drain
            }
            assertEquals(0, dispatcher.rejectedCount(), dispatcher.report());
        }
    }

    private static List<Integer> partitionsOfKeys(final int keyCount, final int partitionCount)
    {
        final List<Integer> partitions = new ArrayList<>();
        for (int k = 0; k < keyCount; k++)
        {
            partitions.add(Partitions.partition("key-" + k, partitionCount));
        }
        return partitions;
    }

    private static final class Recorder implements EventHandler
    {
        final List<String> keys = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();
        final List<Long> watermarks = new ArrayList<>();
        final List<Integer> watermarkProducers = new ArrayList<>();
        int ends;
        long endEventCount;

        public void onEvent(final EventDecoder decoder)
        {
            final byte[] key = new byte[decoder.keySize()];
            decoder.buffer().getBytes(decoder.offset() + EventDecoder.keyEncodingOffset(), key);
            keys.add(new String(key, StandardCharsets.US_ASCII));
            sequences.add(decoder.sequence());
        }

        public void onWatermark(final WatermarkDecoder decoder)
        {
            watermarks.add(decoder.eventTimeNs());
            watermarkProducers.add(decoder.producerId());
        }

        public void onEndOfStream(final EndOfStreamDecoder decoder)
        {
            ends++;
            endEventCount = decoder.eventCount();
        }
    }
}
