package io.herz.ipc.transport;

import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.ipc.transport.shm.ShmSubscription;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport seam over a Herz ring: URIs resolve to the {@code shm:} transport, messages written in place through
 * a {@link Publication} arrive whole through a {@link Subscription}, closed ends answer with the documented codes,
 * and a URI no transport serves is refused with a message naming it.
 */
@Timeout(30)
class TransportsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldParsePathsAndUris()
    {
        assertEquals(new TransportUri("shm", "/dev/shm/herz/a.seg", "/dev/shm/herz/a.seg"),
            TransportUri.parse("/dev/shm/herz/a.seg"));
        assertEquals(Path.of("/x/b.seg"), TransportUri.parse("shm:/x/b.seg").path());
        assertEquals(Path.of("rel/c.seg"), TransportUri.parse("rel/c.seg").path());
        assertEquals(Path.of("./a:b.seg"), TransportUri.parse("./a:b.seg").path());
        final TransportUri aeron = TransportUri.parse("aeron:udp?endpoint=localhost:40123|stream-id=7");
        assertEquals("aeron", aeron.scheme());
        assertEquals("udp?endpoint=localhost:40123|stream-id=7", aeron.specific());
        assertFalse(aeron.isShm());
        assertThrows(IllegalStateException.class, aeron::path);
        assertEquals("stream 'shm:': expected shm:PATH, found no path",
            assertThrows(IllegalArgumentException.class, () -> TransportUri.parse("shm:")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TransportUri.parse(" ")).getMessage()
            .startsWith("stream: expected a path, shm:PATH"));
    }

    @Test
    void shouldRefuseAnUnknownScheme()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Transports.subscription("kafka:topic", new SubscriptionOptions()));
        assertTrue(ex.getMessage().startsWith("stream 'kafka:topic': no transport for scheme 'kafka:', expected a " +
            "path or one of [shm:"), ex.getMessage());
    }

    @Test
    void shouldCarryMessagesWrittenInPlaceAndCopied()
    {
        final String uri = "shm:" + dir.resolve("seam.seg");
        final SegmentConfig config = new SegmentConfig().capacity(64 * 1024);
        try (Subscription subscription = Transports.subscription(uri, new SubscriptionOptions().segmentConfig(config));
            Publication publication = Transports.publication(uri, new PublicationOptions().producerId(3)))
        {
            assertInstanceOf(ShmSubscription.class, subscription);
            assertInstanceOf(ShmPublication.class, publication);
            assertEquals(uri, publication.uri());
            for (int i = 0; i < 100; i++)
            {
                final int index = publication.tryClaim(5, 16);
                assertTrue(index >= 0);
                publication.buffer().putLong(index, i);
                publication.buffer().putLong(index + 8, -i);
                assertTrue(publication.commit(index));
            }
            final int aborted = publication.tryClaim(5, 8);
            publication.abort(aborted);
            final UnsafeBuffer source = new UnsafeBuffer(new byte[24]);
            source.putLong(8, 1234L);
            assertTrue(publication.offer(6, source, 8, 8) >= 0);

            final List<String> received = new ArrayList<>();
            int total = 0;
            while (total < 101)
            {
                total += subscription.poll((type, buffer, offset, length) -> received.add(type + ":" + length + ":" +
                    buffer.getLong(offset)), 1000);
            }
            assertEquals(101, received.size());
            assertEquals("5:16:0", received.get(0));
            assertEquals("5:16:99", received.get(99));
            assertEquals("6:8:1234", received.get(100));
            assertTrue(subscription.position() > 0);
        }
    }

    @Test
    void shouldKeepTheCountersOfTwoFanOutConsumersApart()
    {
        final String uri = dir.resolve("fan-out-counters.seg").toString();
        final Subscription first = Transports.subscription(uri, new SubscriptionOptions().consumerName("tumbling"));
        final Subscription second = Transports.subscription(uri, new SubscriptionOptions().consumerName("sliding"));
        final org.agrona.concurrent.status.AtomicCounter a = first.newCounter("aggregate: events");
        final org.agrona.concurrent.status.AtomicCounter b = second.newCounter("aggregate: events");
        a.setRelease(5);
        b.setRelease(7);

        try (io.herz.ipc.segment.Segment segment = io.herz.ipc.segment.Segment.openReadOnly(Path.of(uri)))
        {
            final List<String> shared = new ArrayList<>();
            segment.countersReader().forEach((value, id, label) -> shared.add(label + "=" + value));
            assertEquals(List.of("aggregate: events=5"), shared, "the slot-0 consumer's counters, not overwritten");
        }
        assertEquals(7, b.get());
        second.close();
        first.close(); // both free their own counters: no "counter not allocated"
    }

    @Test
    void shouldAnswerClosedAfterClose()
    {
        final String uri = dir.resolve("closed.seg").toString();
        final Subscription subscription = Transports.subscription(uri, new SubscriptionOptions());
        final Publication publication = Transports.publication(uri, new PublicationOptions());
        publication.close();
        publication.close();
        assertEquals(Publication.CLOSED, publication.tryClaim(1, 8));
        assertEquals(Publication.CLOSED, publication.offer(1, new UnsafeBuffer(new byte[8]), 0, 8));
        subscription.close();
        subscription.close();
        assertEquals(0, subscription.poll((type, buffer, offset, length) -> { }, 10));
    }

    @Test
    void shouldWaitForTheConsumerToCreateTheRingThenFail()
    {
        final String uri = dir.resolve("missing.seg").toString();
        assertThrows(SegmentException.class, () -> Transports.publication(uri,
            new PublicationOptions().segmentConfig(new SegmentConfig().openTimeoutMs(50))));
    }
}
