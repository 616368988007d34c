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
 * <b>Batching</b> ({@link PublicationOptions#batchBytes(int)}): a transport that batches claims that many bytes at
 * once and lets several messages share the claim; it then pays one claim and one commit of the stream per batch
 * instead of per message. The rules, exactly:
 * <ul>
 *     <li>{@link #tryClaim(int, int)} appends the message to the open batch; when none is open it claims a new one,
 *     and when the message does not fit in the rest of the open batch it first commits that batch. A message
 *     larger than an empty batch is claimed on its own, after the open batch is committed, as without batching.
 *     {@link #BACK_PRESSURED} means no new batch could be claimed (the full one was committed all the same).</li>
 *     <li>{@link #commit(int)} only marks the message as complete and returns true; nothing is visible to any
 *     subscriber until its batch is committed: when a later claim finds the batch full, on {@link #flush()} or on
 *     {@link #close()}. Then every message committed into it becomes visible at once, in claim order. (A message
 *     claimed on its own is delivered at its commit, whose boolean is then the unbatched one.)</li>
 *     <li>{@link #abort(int)} takes the message out of the batch; its space returns to the batch and no subscriber
 *     sees it.</li>
 *     <li>{@link #flush()} commits the open batch (the unused rest is padding); call it before going idle, or
 *     messages wait for ever. It is refused ({@link IllegalStateException}) while a claim is outstanding.</li>
 *     <li>{@link #close()} aborts an outstanding claim, then commits the open batch, so everything committed
 *     before close is delivered.</li>
 *     <li>When the batch's claim was taken away before its commit (a Herz ring that judged the producer dead), every
 *     message of the batch is lost. No commit can report that, as they all returned already: the loss is counted
 *     (for {@code shm:} in {@code ShmBatchPublication.lostRecords()} and one lost claim in the producer's slot).</li>
 * </ul>
 * {@link #offer(int, DirectBuffer, int, int)} is a claim, a copy and a commit under the same rules. Transports that
 * do not batch ignore the option: they deliver each message at its commit, which keeps every rule but the delay.
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
     * producer it believes dead into padding) and the message is lost; such losses are counted by the transport. On
     * a batching publication: true once the message is in the open batch (delivered when the batch is committed).
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
     * Make everything committed so far deliverable before the caller goes idle: a batching publication commits its
     * open batch (see "Batching" above). Transports that deliver each commit at once do nothing.
     *
     * @throws IllegalStateException on a batching publication that holds an outstanding claim.
     */
    default void flush()
    {
    }

    /**
     * Tell monitors this publisher is alive while it has nothing to send: call it from an idle duty cycle (a paced
     * producer between messages, a stage with no input). Cheap: a clock read, and a heartbeat store at most once a
     * heartbeat interval (shared memory: {@code RingProducer.HEARTBEAT_INTERVAL_MS}). Transports without
     * heartbeats do nothing. A closed publication ignores it.
     */
    default void keepAlive()
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
