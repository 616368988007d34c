package io.herz.examples;

import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
import org.agrona.concurrent.MessageHandler;

import java.util.List;

/**
 * The inputs of a merging stage ({@code sink --ring A --ring B}): one subscription per stream, polled in turn, so
 * that a busy input cannot starve the others for more than one batch. Closes them all.
 */
final class Inputs implements AutoCloseable
{
    private final Subscription[] subscriptions;

    /**
     * @param uris    the streams, at least one.
     * @param options how to open each.
     */
    Inputs(final List<String> uris, final SubscriptionOptions options)
    {
        subscriptions = new Subscription[uris.size()];
        try
        {
            for (int i = 0; i < subscriptions.length; i++)
            {
                subscriptions[i] = Transports.subscription(uris.get(i), options);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(subscriptions);
            throw ex;
        }
    }

    /**
     * Poll every input once.
     *
     * @param handler gets each message.
     * @param limit   most messages per input.
     * @return messages delivered over all inputs.
     */
    int poll(final MessageHandler handler, final int limit)
    {
        int count = 0;
        for (final Subscription subscription : subscriptions)
        {
            count += subscription.poll(handler, limit);
        }
        return count;
    }

    /**
     * @return the first input, whose segment holds the stage's counters.
     */
    Subscription first()
    {
        return subscriptions[0];
    }

    public void close()
    {
        CloseHelper.closeAll(subscriptions);
    }
}
