package io.herz.ipc.ring;

import io.herz.ipc.segment.SegmentDescriptor;

/**
 * Layout of one consumer slot, layout version 3 (as in version 2): a 128-byte block in the segment header (consumer
 * slot {@code i} starts at {@link SegmentDescriptor#consumerSlotOffset(int)}, for {@code i < 16}). A slot belongs to
 * one consumer <em>name</em>; a process attaches to it by CAS on the owner token and detaches on close, but the slot,
 * and so its position, stays registered, holding back the producers, until the name is removed
 * ({@link RingConsumers#remove}) or, when the consumer opted in, dropped after {@code dropAfterMs} without a live
 * process. Offsets are relative to the start of the slot. A zeroed slot is free.
 * <pre>
 * offset size field              writer                                      reader
 *      0    4 state              under the ring lock: F18 release            producers (cleaning), consumers: acquire
 *                                (0 free, 1 registered)
 *      4    4 nameLength         under the ring lock, before F18             consumers, monitor
 *      8    8 ownerToken         consumer: F15 CAS (0 = no process attached)  consumers, monitor: acquire
 *     16    8 pid                consumer, after F15                          monitor
 *     24    8 startTimeMs        consumer, after F15                          monitor
 *     32    8 heartbeatMs        consumer: release, at most every 100 ms     producers (drop), monitor: acquire
 *     40    8 position           consumer: F9 release, once per batch        producers: F3 acquire (cleaning)
 *     48    8 recordsConsumed    consumer: release, once per batch           monitor: acquire
 *     56    8 dropAfterMs        under the ring lock (0 = hold for ever)      producers (cleaning)
 *     64   64 name               under the ring lock, before F18 (US-ASCII, nameLength bytes)
 * </pre>
 * {@code position} is the position up to which this consumer has read and released: the producers may reuse
 * space only below the smallest position of all registered consumers. The next process of the same name resumes at
 * {@code position}: every record below it was delivered (the handler returned), everything from it on is delivered
 * again, so at most the batch in flight is delivered twice.
 * <p>
 * The pid namespace of the attached process lives outside the slot (which has no room left), in the ring block's
 * consumer pid namespace table ({@link SegmentDescriptor#consumerPidNamespaceOffset(int)}, an unsigned 32-bit id;
 * 0 = not recorded, taken to be the reader's namespace). A process attaching writes it under the ring lock
 * <em>before</em> its F15 CAS (every other writer of the table and every judge that acts on it hold the lock too),
 * so a holder's namespace is never stale while its token is there. A holder recorded in another pid namespace is
 * never taken for dead: a second process of the same name is refused ("... held by a process in another pid
 * namespace: ...") and the opt-in drop policy leaves it alone.
 */
public final class ConsumerSlotDescriptor
{
    public static final int SLOT_LENGTH = SegmentDescriptor.CONSUMER_SLOT_LENGTH;

    public static final int STATE_OFFSET = 0;
    public static final int NAME_LENGTH_OFFSET = 4;
    public static final int OWNER_TOKEN_OFFSET = 8;
    public static final int PID_OFFSET = 16;
    public static final int START_TIME_OFFSET = 24;
    public static final int HEARTBEAT_OFFSET = 32;
    public static final int POSITION_OFFSET = 40;
    public static final int RECORDS_CONSUMED_OFFSET = 48;
    public static final int DROP_AFTER_MS_OFFSET = 56;
    public static final int NAME_OFFSET = 64;

    /** Most bytes of a consumer name. */
    public static final int MAX_NAME_LENGTH = 64;

    /** {@code state} of a free slot. */
    public static final int STATE_FREE = 0;
    /** {@code state} of a registered consumer name. */
    public static final int STATE_REGISTERED = 1;

    private ConsumerSlotDescriptor()
    {
    }
}
