package io.herz.ipc.transport;

import io.herz.ipc.transport.shm.ShmTransportProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Resolves stream URIs ({@link TransportUri}) to publications and subscriptions: {@code shm:} (and plain paths) to
 * Herz rings, other schemes to the {@link TransportProvider}s found on the class path.
 */
public final class Transports
{
    private static final List<TransportProvider> PROVIDERS = loadProviders();

    private Transports()
    {
    }

    /**
     * Open the sending end of a stream.
     *
     * @param uri     a path or a URI.
     * @param options how to open it.
     * @return an open publication; the caller closes it.
     * @throws IllegalArgumentException for a URI no transport serves.
     */
    public static Publication publication(final String uri, final PublicationOptions options)
    {
        final TransportUri parsed = TransportUri.parse(uri);
        return provider(parsed).publication(parsed, options);
    }

    /**
     * Open the receiving end of a stream.
     *
     * @param uri     a path or a URI.
     * @param options how to open it.
     * @return an open subscription; the caller closes it.
     * @throws IllegalArgumentException for a URI no transport serves.
     */
    public static Subscription subscription(final String uri, final SubscriptionOptions options)
    {
        final TransportUri parsed = TransportUri.parse(uri);
        return provider(parsed).subscription(parsed, options);
    }

    /**
     * @param uri a parsed URI.
     * @return the provider of its scheme.
     * @throws IllegalArgumentException when none serves it.
     */
    public static TransportProvider provider(final TransportUri uri)
    {
        for (final TransportProvider provider : PROVIDERS)
        {
            if (provider.scheme().equals(uri.scheme()))
            {
                return provider;
            }
        }
        final List<String> schemes = new ArrayList<>();
        PROVIDERS.forEach(provider -> schemes.add(provider.scheme() + ":"));
        throw new IllegalArgumentException("stream '" + uri.text() + "': no transport for scheme '" + uri.scheme() +
            ":', expected a path or one of " + schemes + (uri.scheme().equals("aeron") ?
            " (aeron: needs the ipc-aeron module on the class path)" : ""));
    }

    private static List<TransportProvider> loadProviders()
    {
        final List<TransportProvider> providers = new ArrayList<>();
        providers.add(new ShmTransportProvider());
        for (final TransportProvider provider : ServiceLoader.load(TransportProvider.class))
        {
            if (!provider.scheme().equals(TransportUri.SHM))
            {
                providers.add(provider);
            }
        }

        return List.copyOf(providers);
    }
}
