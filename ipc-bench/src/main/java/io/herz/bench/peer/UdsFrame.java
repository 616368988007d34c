package io.herz.bench.peer;

/**
 * The frame of the {@code uds:} bench transport, native byte order (both ends on one host).
 * <pre>
 * offset size field
 *      0    4 length   payload bytes
 *      4    4 typeId   the message type
 *      8  ... payload
 * </pre>
 */
final class UdsFrame
{
    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int HEADER_LENGTH = 8;

    /** Longest payload: a frame must fit the receive buffer. */
    static final int MAX_PAYLOAD_LENGTH = 64 * 1024;

    private UdsFrame()
    {
    }
}
