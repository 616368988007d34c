package io.herz.aeron;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.herz.ipc.transport.TransportUri;

/**
 * A Herz stream URI of scheme {@code aeron}, split into what Aeron sees: the channel (Aeron's own URI, e.g.
 * {@code aeron:udp?endpoint=127.0.0.1:40123|mtu=1408}) and the stream id, which Herz lets the user write inside
 * the URI as a parameter ({@code aeron:udp?endpoint=HOST:PORT|stream-id=7} or {@code aeron:ipc?stream-id=7}) and
 * strips before Aeron sees the channel. Without one the stream id is {@link #DEFAULT_STREAM_ID}.
 *
 * @param text     what the user wrote.
 * @param channel  the Aeron channel, without {@code stream-id}.
 * @param streamId the Aeron stream id.
 */
public record AeronChannel(String text, String channel, int streamId)
{
    /** The stream id of a URI that names none. */
    public static final int DEFAULT_STREAM_ID = 1001;

    /** The URI parameter that carries the stream id. */
    public static final String STREAM_ID_PARAM = CommonContext.STREAM_ID_PARAM_NAME;

    /**
     * @param uri a parsed Herz URI of scheme {@code aeron}.
     * @return the channel and stream id.
     * @throws IllegalArgumentException for a URI that is not {@code aeron:udp} or {@code aeron:ipc}, a UDP channel
     *                                  without an endpoint, or a stream id that is not an integer.
     */
    public static AeronChannel parse(final TransportUri uri)
    {
        return parse(uri.text());
    }

    /**
     * @param text an {@code aeron:udp...} or {@code aeron:ipc...} URI.
     * @return the channel and stream id.
     * @throws IllegalArgumentException as {@link #parse(TransportUri)}.
     */
    public static AeronChannel parse(final String text)
    {
        final ChannelUri channelUri;
        try
        {
            channelUri = ChannelUri.parse(text);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("stream '" + text + "': expected aeron:udp?endpoint=HOST:PORT or " +
                "aeron:ipc (with optional |stream-id=N), " + ex.getMessage(), ex);
        }
        if (!channelUri.isUdp() && !channelUri.isIpc())
        {
            throw new IllegalArgumentException("stream '" + text + "': expected media udp or ipc, found '" +
                channelUri.media() + "'");
        }
        if (channelUri.isUdp() && !channelUri.containsKey(CommonContext.ENDPOINT_PARAM_NAME) &&
            !channelUri.containsKey(CommonContext.MDC_CONTROL_PARAM_NAME))
        {
            throw new IllegalArgumentException("stream '" + text + "': aeron:udp needs endpoint=HOST:PORT");
        }
        final String streamIdText = channelUri.remove(STREAM_ID_PARAM);
        int streamId = DEFAULT_STREAM_ID;
        if (null != streamIdText)
        {
            try
            {
                streamId = Integer.parseInt(streamIdText.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("stream '" + text + "': stream-id expected an integer, found '" +
                    streamIdText + "'", ex);
            }
        }

        return new AeronChannel(text, channelUri.toString(), streamId);
    }

    /**
     * @return true for an {@code aeron:ipc} stream (one media driver for both ends).
     */
    public boolean isIpc()
    {
        return channel.startsWith("aeron:ipc");
    }

    public String toString()
    {
        return channel + " stream " + streamId;
    }
}
