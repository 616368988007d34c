package io.herz.aeron;

import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportProvider;
import io.herz.ipc.transport.TransportUri;

/**
 * The {@code aeron} scheme: {@code aeron:udp?endpoint=HOST:PORT[|param=value...][|stream-id=N]} and
 * {@code aeron:ipc[?stream-id=N]} (see {@link AeronChannel}) over this JVM's {@link AeronRuntime}. Registered in
 * {@code META-INF/services/io.herz.ipc.transport.TransportProvider}.
 */
public final class AeronTransportProvider implements TransportProvider
{
    /** The scheme served. */
    public static final String SCHEME = "aeron";

    public String scheme()
    {
        return SCHEME;
    }

    public Publication publication(final TransportUri uri, final PublicationOptions options)
    {
        return AeronPublication.open(AeronChannel.parse(uri), options);
    }

    public Subscription subscription(final TransportUri uri, final SubscriptionOptions options)
    {
        return AeronSubscription.open(AeronChannel.parse(uri));
    }
}
