package io.herz.aeron;

import io.aeron.ChannelUri;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AeronChannelTest
{
    @Test
    void shouldStripStreamIdAfterPipe()
    {
        final AeronChannel channel = AeronChannel.parse("aeron:udp?endpoint=127.0.0.1:40123|mtu=8192|stream-id=7");
        assertEquals(7, channel.streamId());
        assertEquals(ChannelUri.parse("aeron:udp?endpoint=127.0.0.1:40123|mtu=8192"), ChannelUri.parse(channel.channel()));
    }

    @Test
    void shouldStripStreamIdAfterQuestionMark()
    {
        final AeronChannel channel = AeronChannel.parse("aeron:ipc?stream-id=12");
        assertEquals(12, channel.streamId());
        assertEquals("aeron:ipc", channel.channel());
        assertTrue(channel.isIpc());
    }

    @Test
    void shouldUseDefaultStreamIdWhenNoneGiven()
    {
        assertEquals(AeronChannel.DEFAULT_STREAM_ID, AeronChannel.parse("aeron:ipc").streamId());
        assertEquals(AeronChannel.DEFAULT_STREAM_ID,
            AeronChannel.parse("aeron:udp?endpoint=localhost:40124").streamId());
    }

    @Test
    void shouldRejectBadStreamIdNamingIt()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> AeronChannel.parse("aeron:ipc?stream-id=seven"));
        assertTrue(ex.getMessage().contains("'seven'"), ex.getMessage());
    }

    @Test
    void shouldRejectUdpWithoutEndpoint()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> AeronChannel.parse("aeron:udp?mtu=1408"));
        assertTrue(ex.getMessage().contains("endpoint=HOST:PORT"), ex.getMessage());
    }

    @Test
    void shouldRejectOtherMedia()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> AeronChannel.parse("aeron:tcp?endpoint=localhost:1"));
        assertTrue(ex.getMessage().contains("tcp"), ex.getMessage());
    }
}
