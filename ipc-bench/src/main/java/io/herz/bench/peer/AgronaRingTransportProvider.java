package io.herz.bench.peer;

import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportProvider;
import io.herz.ipc.transport.TransportUri;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Agrona's ring buffers over a mapped file, as bench-only transports: {@code agrona-m2o:PATH}
 * ({@link ManyToOneRingBuffer}: any number of producers, a CAS on the tail per record) and {@code agrona-o2o:PATH}
 * ({@link OneToOneRingBuffer}: one producer, no CAS). The data capacity is the options' segment capacity, so a row
 * gets the same ring size as Herz's. The subscription creates the file; publications wait for it (the segment
 * config's open timeout).
 */
public abstract class AgronaRingTransportProvider implements TransportProvider
{
    private final String scheme;
    private final Function<AtomicBuffer, RingBuffer> ringFactory;

    AgronaRingTransportProvider(final String scheme, final Function<AtomicBuffer, RingBuffer> ringFactory)
    {
        this.scheme = scheme;
        this.ringFactory = ringFactory;
    }

    public String scheme()
    {
        return scheme;
    }

    public Publication publication(final TransportUri uri, final PublicationOptions options)
    {
        final MappedRingFile file = options.create() ?
            MappedRingFile.create(Path.of(uri.specific()), options.segmentConfig().capacity()) :
            MappedRingFile.open(Path.of(uri.specific()), options.segmentConfig().openTimeoutMs());
        return new AgronaRingPublication(uri.text(), file, ringFactory.apply(file.buffer()));
    }

    public Subscription subscription(final TransportUri uri, final SubscriptionOptions options)
    {
        final MappedRingFile file = options.create() ?
            MappedRingFile.create(Path.of(uri.specific()), options.segmentConfig().capacity()) :
            MappedRingFile.open(Path.of(uri.specific()), options.segmentConfig().openTimeoutMs());
        return new AgronaRingSubscription(uri.text(), file, ringFactory.apply(file.buffer()));
    }

    /**
     * {@code agrona-m2o:PATH}: Agrona's {@link ManyToOneRingBuffer}.
     */
    public static final class ManyToOne extends AgronaRingTransportProvider
    {
        /** The URI scheme. */
        public static final String SCHEME = "agrona-m2o";

        /**
         * Found by {@link java.util.ServiceLoader}.
         */
        public ManyToOne()
        {
            super(SCHEME, ManyToOneRingBuffer::new);
        }
    }

    /**
     * {@code agrona-o2o:PATH}: Agrona's {@link OneToOneRingBuffer} (one producer only).
     */
    public static final class OneToOne extends AgronaRingTransportProvider
    {
        /** The URI scheme. */
        public static final String SCHEME = "agrona-o2o";

        /**
         * Found by {@link java.util.ServiceLoader}.
         */
        public OneToOne()
        {
            super(SCHEME, OneToOneRingBuffer::new);
        }
    }
}
