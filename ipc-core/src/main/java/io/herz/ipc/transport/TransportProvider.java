package io.herz.ipc.transport;

/**
 * A transport that {@link Transports} can resolve URIs to. Found with {@link java.util.ServiceLoader} (a module such
 * as {@code ipc-aeron} lists its provider in {@code META-INF/services/io.herz.ipc.transport.TransportProvider}); the
 * {@code shm:} provider is built in.
 */
public interface TransportProvider
{
    /**
     * @return the URI scheme this provider serves, e.g. {@code "shm"} or {@code "aeron"}.
     */
    String scheme();

    /**
     * @param uri     the parsed URI, of this provider's scheme.
     * @param options how to open it.
     * @return an open publication.
     */
    Publication publication(TransportUri uri, PublicationOptions options);

    /**
     * @param uri     the parsed URI, of this provider's scheme.
     * @param options how to open it.
     * @return an open subscription.
     */
    Subscription subscription(TransportUri uri, SubscriptionOptions options);
}
