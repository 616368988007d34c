package io.herz.bench.peer;

import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bench-only peer behind the seam, resolved by URI through Transports: claimed messages arrive whole, once, in
 * order; aborted ones never; offer copies; a subscription on the same URI sees what the publication wrote.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerTransportsTest
{
    private static final int MESSAGES = 5_000;

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"agrona-m2o:${dir}/m2o.ring", "agrona-o2o:${dir}/o2o.ring", "uds:${dir}/s.sock",
        "chronicle:${dir}/queue", "shm:${dir}/herz.seg"})
    void shouldDeliverClaimedAndOfferedMessagesOnceInOrderAndDropAbortedOnes(final String template)
        throws Exception
    {
        final String uri = template.replace("${dir}", directory.toString());
        final SegmentConfig config = new SegmentConfig().capacity(1 << 20).openTimeoutMs(5_000);
        final List<Long> expected = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++)
        {
            if (i % 10 != 3)
            {
                expected.add((long)i);
                if (i % 100 == 0)
                {
                    expected.add((long)-i);
                }
            }
        }
        final List<Long> received = Collections.synchronizedList(new ArrayList<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch subscribed = new CountDownLatch(1);
        final AtomicBoolean stop = new AtomicBoolean();
        // the subscription lives on its own thread (one thread per instance, and a socket's writer must not wait for
        // a reader on the same thread)
        final Thread reader = new Thread(() ->
        {
            try (Subscription subscription = Transports.subscription(uri,
                new SubscriptionOptions().create(true).segmentConfig(config)))
            {
                subscribed.countDown();
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (received.size() < expected.size() && !stop.get() && System.nanoTime() - deadlineNs < 0)
                {
                    subscription.poll((typeId, buffer, index, length) ->
                    {
                        final long value = buffer.getLong(index);
                        if (typeId != 7 || length < 16 || length > 64 || buffer.getLong(index + length - 8) != ~value)
                        {
                            problems.add("type=" + typeId + " length=" + length + " value=" + value);
                        }
                        received.add(value);
                    }, 100);
                }
            }
            catch (final RuntimeException ex)
            {
                problems.add(ex.toString());
                subscribed.countDown();
            }
        }, "reader");
        reader.start();
        assertTrue(subscribed.await(10, TimeUnit.SECONDS));

        try (Publication publication = Transports.publication(uri,
            new PublicationOptions().create(false).segmentConfig(config)))
        {
            final UnsafeBuffer source = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < MESSAGES; i++)
            {
                final int length = 16 + (i % 7) * 8;
                int index;
                while ((index = publication.tryClaim(7, length)) < 0)
                {
                    Thread.onSpinWait();
                }
                publication.buffer().putLong(index, i);
                publication.buffer().putLong(index + length - 8, ~(long)i);
                if (i % 10 == 3)
                {
                    publication.abort(index);
                    continue;
                }
                publication.commit(index);
                if (i % 100 == 0)
                {
                    source.putLong(0, -i);
                    source.putLong(56, ~(long)-i);
                    while (publication.offer(7, source, 0, 64) < 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            publication.flush();
            reader.join(TimeUnit.SECONDS.toMillis(45));
        }
        finally
        {
            stop.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertEquals(List.of(), problems, uri);
        assertEquals(expected, received, uri);
    }
}
