package io.herz.ipc.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The sending end of a stream, whatever carries it: a Herz ring ({@code shm:}) or an Aeron stream ({@code aeron:}).
 * Resolved from a URI by {@link Transports#publication(String, PublicationOptions)}.
 * <p>
 * Zero-copy use: {@link #tryClaim(int, int)} reserves {@code length} bytes and returns the offset of that space in
 * {@link #buffer()}; the caller writes the message there (e.g. an SBE encoder wrapped at that offset) and then calls
 * {@link #commit(int)} to deliver it or {@link #abort(int)} to drop it. A publication holds at most one claim at a
 * time. {@link #offer(int, DirectBuffer, int, int)} copies a message in one call, also one longer than a claim may
 * be on transports that fragment.
 * <p>
 * Failures that a caller is expected to meet are return codes, never exceptions, and never block:
 * {@link #BACK_PRESSURED} (the stream is full now: retry with an idle strategy), {@link #NOT_CONNECTED} (no
 * subscriber yet, on transports that know), {@link #ADMIN_ACTION} (retry at once) and {@link #CLOSED}. The values
 * are Aeron's, so its codes pass through unchanged. A bad argument (a type that is not positive, a length beyond
 * {@link #maxClaimLength()}) is an {@link IllegalArgumentException}.
 * <p>
 * Not thread-safe: one thread per instance. Nothing here allocates in steady state.
 */
public interface Publication extends AutoCloseable
{
    /** No subscriber is connected; nothing was written. */
    int NOT_CONNECTED = -1;

    /** The stream has no room for the message now; nothing was written. Try again later. */
    int BACK_PRESSURED = -2;

    /** The transport was busy with an administrative action; nothing was written. Try again at once. */
    int ADMIN_ACTION = -3;

    /** The publication (or what it runs on) is closed; nothing was written. */
    int CLOSED = -4;

    /**
     * Claim space for one message.
     *
     * @param typeId type of the message, positive (delivered to the subscriber's handler as its type).
     * @param length bytes of the message, 0 to {@link #maxClaimLength()}.
     * @return offset of the claimed space in {@link #buffer()}, or a negative code of this interface.
     */
    int tryClaim(int typeId, int length);

    /**
     * @return the buffer that the offset of the last successful {@link #tryClaim(int, int)} refers to. Ask after each
     * claim: on some transports it changes from claim to claim.
     */
    MutableDirectBuffer buffer();

    /**
     * Deliver the claimed message.
     *
     * @param index the offset {@link #tryClaim(int, int)} returned.
     * @return true when delivered; false when the claim had been taken away meanwhile (a Herz ring turns the claim of a
     * producer it believes dead into padding) and the message is lost; such losses are counted by the transport.
     */
    boolean commit(int index);

    /**
     * Drop the claimed message: the subscriber never sees it.
     *
     * @param index the offset {@link #tryClaim(int, int)} returned.
     */
    void abort(int index);

    /**
     * Copy one message into the stream.
     *
     * @param typeId type of the message, positive.
     * @param source holding the message.
     * @param offset of the message in {@code source}.
     * @param length bytes of the message, 0 to {@link #maxMessageLength()}.
     * @return zero or a positive value when the message was published, else a negative code of this interface.
     */
    int offer(int typeId, DirectBuffer source, int offset, int length);

    /**
     * @return the longest message {@link #tryClaim(int, int)} accepts.
     */
    int maxClaimLength();

    /**
     * @return the longest message {@link #offer(int, DirectBuffer, int, int)} accepts.
     */
    int maxMessageLength();

    /**
     * Make everything committed so far deliverable before the caller goes idle. Transports that deliver each commit
     * at once do nothing.
     */
    default void flush()
    {
    }

    /**
     * @return true when a subscriber can receive what is published now; transports that cannot tell say true.
     */
    boolean isConnected();

    /**
     * @return the URI this publication was resolved from.
     */
    String uri();

    /**
     * Release what this publication holds. Idempotent; afterwards {@link #tryClaim(int, int)} and
     * {@link #offer(int, DirectBuffer, int, int)} answer {@link #CLOSED}.
     */
    void close();
}
