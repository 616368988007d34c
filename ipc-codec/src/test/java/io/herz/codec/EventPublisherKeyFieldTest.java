package io.herz.codec;

import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.MessageHeaderDecoder;
import io.herz.codec.sbe.ResultKind;
import io.herz.codec.sbe.WindowKind;
import io.herz.codec.sbe.WindowResultDecoder;
import io.herz.ipc.transport.Publication;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The key field of an encoded message holds the key's bytes and zeros up to its 32 bytes, whatever the claimed space
 * held before (a ring's space of an earlier lap is not zeroed: {@code putKey} stores each of the field's words once,
 * without zeroing it first) and whatever follows the key in the caller's buffer. Every length 0..32, the key at
 * offset 0, 3 and at the very end of a buffer (and of a view of one), garbage after it.
 */
class EventPublisherKeyFieldTest
{
    private static final byte STALE = 0x7F;
    private static final byte GARBAGE = 0x5A;
    private static final int MESSAGE_OFFSET = 64;

    private final UnsafeBuffer claimed = new UnsafeBuffer(new byte[4096]);
    private final EventPublisher publisher = new EventPublisher(new OneSlotPublication(claimed), 5, () -> 1L);

    @Test
    void shouldZeroPadTheKeyFieldWhateverFollowsTheKeyInItsBuffer()
    {
        final byte[] bytes = new byte[96];
        for (int length = 0; length <= EventPublisher.MAX_KEY_LENGTH; length++)
        {
            final byte[] key = new byte[length];
            for (int i = 0; i < length; i++)
            {
                key[i] = (byte)('a' + (i * 7 + length) % 26);
            }
            for (final int offset : new int[]{ 0, 3, bytes.length - length })
            {
                java.util.Arrays.fill(bytes, GARBAGE);
                System.arraycopy(key, 0, bytes, offset, length);
                for (final DirectBuffer source : new DirectBuffer[]{
                    new UnsafeBuffer(bytes), new UnsafeBuffer(bytes, 0, offset + length) })
                {
                    final String where = "key of " + length + " bytes at " + offset + " of a buffer of " +
                        source.capacity();

                    claimed.setMemory(0, claimed.capacity(), STALE);
                    assertEquals(MESSAGE_OFFSET, publisher.publishEvent(99, source, offset, length, 1.5));
                    assertKeyField(key, MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
                        EventDecoder.keyEncodingOffset(), "event, " + where);

                    claimed.setMemory(0, claimed.capacity(), STALE);
                    assertEquals(MESSAGE_OFFSET, publisher.publishWindowResult(
                        0, 10, source, offset, length, 1, 2.0, 2.0, 2.0, 2.0, WindowKind.TUMBLING, ResultKind.FINAL));
                    assertKeyField(key, MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
                        WindowResultDecoder.keyEncodingOffset(), "window result, " + where);
                }
            }
        }
    }

    private void assertKeyField(final byte[] key, final int fieldOffset, final String what)
    {
        for (int i = 0; i < EventPublisher.MAX_KEY_LENGTH; i++)
        {
            assertEquals(i < key.length ? key[i] : 0, claimed.getByte(fieldOffset + i), what + ": byte " + i);
        }
    }

    /**
     * A publication whose every claim is the same space at {@link #MESSAGE_OFFSET} of a buffer the test fills.
     */
    private static final class OneSlotPublication implements Publication
    {
        private final UnsafeBuffer buffer;

        OneSlotPublication(final UnsafeBuffer buffer)
        {
            this.buffer = buffer;
        }

        public int tryClaim(final int typeId, final int length)
        {
            return MESSAGE_OFFSET;
        }

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public boolean commit(final int index)
        {
            return true;
        }

        public void abort(final int index)
        {
        }

        public int offer(final int typeId, final DirectBuffer source, final int offset, final int length)
        {
            throw new UnsupportedOperationException("offer");
        }

        public int maxClaimLength()
        {
            return buffer.capacity() - MESSAGE_OFFSET;
        }

        public int maxMessageLength()
        {
            return maxClaimLength();
        }

        public boolean isConnected()
        {
            return true;
        }

        public String uri()
        {
            return "test:one-slot";
        }

        public void close()
        {
        }
    }
}
