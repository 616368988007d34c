package io.herz.bench.peer;

import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportProvider;
import io.herz.ipc.transport.TransportUri;

import java.nio.file.Path;

/**
 * {@code uds:PATH}: a Unix domain stream socket ({@code java.nio}, {@link java.net.UnixDomainSocketAddress}) as a
 * bench-only transport. The subscription binds the socket file and accepts every publication that connects; each
 * publication is one connection. Frames are {@code [int length][int typeId][payload]} in native byte order (both
 * ends are on one host); a publication batches frames in a send buffer and writes when
 * {@link UdsPublication#BATCH_LENGTH} bytes are pending or on {@link Publication#flush()}.
 */
public final class UdsTransportProvider implements TransportProvider
{
    /** The URI scheme. */
    public static final String SCHEME = "uds";

    public String scheme()
    {
        return SCHEME;
    }

    public Publication publication(final TransportUri uri, final PublicationOptions options)
    {
        return UdsPublication.connect(uri.text(), Path.of(uri.specific()), options.segmentConfig().openTimeoutMs());
    }

    public Subscription subscription(final TransportUri uri, final SubscriptionOptions options)
    {
        return UdsSubscription.bind(uri.text(), Path.of(uri.specific()));
    }
}
