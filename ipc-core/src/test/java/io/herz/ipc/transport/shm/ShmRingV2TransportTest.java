package io.herz.ipc.transport.shm;

import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code shm:} transport over ring layout v2: subscriptions of different consumer names each receive every
 * message (fan-out), and an exclusive publication refuses any other publication on its ring.
 */
@Timeout(30)
class ShmRingV2TransportTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryMessageToEachConsumerName()
    {
        final String uri = "shm:" + dir.resolve("fan-out.seg");
        try (Subscription first = Transports.subscription(uri, new SubscriptionOptions().consumerName("first"));
            Subscription second = Transports.subscription(uri, new SubscriptionOptions().consumerName("second"));
            Publication publication = Transports.publication(uri, new PublicationOptions().producerId(1)))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 10; i++)
            {
                payload.putInt(0, i);
                assertTrue(publication.offer(1, payload, 0, 8) >= 0);
            }
            final List<Integer> a = new ArrayList<>();
            final List<Integer> b = new ArrayList<>();

            first.poll((type, buffer, offset, length) -> a.add(buffer.getInt(offset)), 100);
            second.poll((type, buffer, offset, length) -> b.add(buffer.getInt(offset)), 100);

            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), a);
            assertEquals(a, b);
        }
    }

    @Test
    void shouldRefuseASecondPublicationOnAnExclusiveRing()
    {
        final String uri = "shm:" + dir.resolve("exclusive.seg");
        try (Subscription ignored = Transports.subscription(uri, new SubscriptionOptions());
            Publication exclusive = Transports.publication(uri, new PublicationOptions().exclusive(true)))
        {
            final SegmentException ex = assertThrows(SegmentException.class,
                () -> Transports.publication(uri, new PublicationOptions()));

            assertEquals(dir.resolve("exclusive.seg").toAbsolutePath() + ": ring has an exclusive producer: expected " +
                "no other producer, found pid=" + ProcessHandle.current().pid(), ex.getMessage());
            assertTrue(exclusive.isConnected());
        }
    }
}
