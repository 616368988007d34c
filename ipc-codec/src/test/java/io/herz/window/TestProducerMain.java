package io.herz.window;

import java.nio.file.Path;

import io.herz.codec.EventPublisher;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A producer process for the pipeline test: publishes {@link TestEvents#generate} into a ring (creating it if the
 * aggregator has not yet), then its EndOfStream.
 * Arguments: RING CAPACITY PRODUCER_ID SEED COUNT START_NS SPACING_NS JITTER_NS KEY_COUNT.
 */
public final class TestProducerMain
{
    private TestProducerMain()
    {
    }

    public static void main(final String[] args)
    {
        final Path ring = Path.of(args[0]);
        final long capacity = Long.parseLong(args[1]);
        final int producerId = Integer.parseInt(args[2]);
        final long seed = Long.parseLong(args[3]);
        final int count = Integer.parseInt(args[4]);
        final long startNs = Long.parseLong(args[5]);
        final long spacingNs = Long.parseLong(args[6]);
        final long jitterNs = Long.parseLong(args[7]);
        final int keyCount = Integer.parseInt(args[8]);

        final IdleStrategy idle = new BackoffIdleStrategy();
        try (Segment segment = Segment.openOrCreate(ring, new SegmentConfig().capacity(capacity));
            RingProducer producer = new RingProducer(segment, producerId))
        {
            final EventPublisher publisher = new EventPublisher(producer, producerId);
            for (final TestEvents.TestEvent event :
                TestEvents.generate(producerId, seed, count, startNs, spacingNs, jitterNs, keyCount))
            {
                idle.reset();
                while (publisher.publishEvent(event.eventTimeNs(), event.key(), event.value()) < 0)
                {
                    idle.idle();
                }
            }
            idle.reset();
            while (publisher.publishEndOfStream() < 0)
            {
                idle.idle();
            }
            System.out.println("producer " + producerId + " published " + publisher.eventCount() + " events");
        }
    }
}
