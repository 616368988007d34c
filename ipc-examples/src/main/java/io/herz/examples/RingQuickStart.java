package io.herz.examples;

import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportUri;
import io.herz.ipc.transport.Transports;

import java.nio.file.Path;

/**
 * The README's ring example as a compiled, runnable class ({@code ReadmeSnippetTest} keeps the two identical).
 * Usage: {@code RingQuickStart [URI]}; a ring it made is removed at the end.
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
        final String uri = args.length > 0 ? args[0] : "shm:/dev/shm/herz/quickstart.seg"; // or aeron:ipc, ...
        // tag::ring[]
        try (Subscription consumer = Transports.subscription(uri,        // the consumer creates the ring if missing
                new SubscriptionOptions().segmentConfig(new SegmentConfig().capacity(1 << 24)));
            Publication producer = Transports.publication(uri,          // any number of these, in any process
                new PublicationOptions().producerId(1)))
        {
            final int index = producer.tryClaim(MSG_TYPE, 16);        // zero-copy: write into the mapped ring
            if (index >= 0)                                           // else BACK_PRESSURED etc.: retry later
            {
                producer.buffer().putLong(index, 42L);
                producer.buffer().putLong(index + 8, 7L);
                producer.commit(index);                               // or producer.abort(index)
            }
            consumer.poll((typeId, buffer, offset, length) -> System.out.println(buffer.getLong(offset)), 100);
        }
        // end::ring[]
        if (uri.startsWith("shm:") || !uri.contains(":"))
        {
            final Path path = TransportUri.parse(uri).path();
            path.toFile().delete();
        }
    }
}
