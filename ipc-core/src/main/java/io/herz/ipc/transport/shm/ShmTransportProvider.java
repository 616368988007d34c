package io.herz.ipc.transport.shm;

import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportProvider;
import io.herz.ipc.transport.TransportUri;

/**
 * The built-in transport: {@code shm:PATH} and plain paths are Herz rings in memory-mapped segment files.
 */
public final class ShmTransportProvider implements TransportProvider
{
    public String scheme()
    {
        return TransportUri.SHM;
    }

    public Publication publication(final TransportUri uri, final PublicationOptions options)
    {
        return ShmPublication.open(uri, options);
    }

    public Subscription subscription(final TransportUri uri, final SubscriptionOptions options)
    {
        return ShmSubscription.open(uri, options);
    }
}
