package io.herz.examples;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;

import java.nio.file.Path;

/**
 * The README's ring example as a compiled, runnable class ({@code ReadmeSnippetTest} keeps the two identical).
 * Usage: {@code RingQuickStart [PATH]}; the ring is removed at the end.
 */
public final class RingQuickStart
{
    private static final int MSG_TYPE = 1;

    private RingQuickStart()
    {
    }

    /**
     * @param args optional segment path.
     */
    public static void main(final String[] args)
    {
        final Path path = Path.of(args.length > 0 ? args[0] : "/dev/shm/herz/quickstart.seg");
        // tag::ring[]
        try (Segment segment = Segment.openOrCreate(path, new SegmentConfig().capacity(1 << 24));
            RingConsumer consumer = new RingConsumer(segment);      // the one consumer: claims the consumer slot
            RingProducer producer = new RingProducer(segment, 1))   // any number of these, in any process
        {
            final int index = producer.tryClaim(MSG_TYPE, 16);      // zero-copy: write into the mapped ring
            if (index >= 0)                                         // else RingProducer.BACK_PRESSURED: retry later
            {
                producer.buffer().putLong(index, 42L);
                producer.buffer().putLong(index + 8, 7L);
                producer.commit(index);                             // or producer.abort(index)
            }
            consumer.read((typeId, buffer, offset, length) -> System.out.println(buffer.getLong(offset)), 100);
            segment.unlink();
        }
        // end::ring[]
    }
}
