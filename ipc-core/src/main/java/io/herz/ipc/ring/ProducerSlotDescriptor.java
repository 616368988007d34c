package io.herz.ipc.ring;

import io.herz.ipc.segment.SegmentDescriptor;

/**
 * Layout of one producer slot, layout version 3 (as in version 2): a 128-byte block in the segment header (producer
 * slot {@code i} starts at {@link SegmentDescriptor#producerSlotOffset(int)}). A slot is owned by one producer (one
 * {@link RingProducer}, so one thread) of one process; only its owner writes it, except for the owner token, which is
 * taken by CAS. Offsets are relative to the start of the slot. A zeroed slot is free.
 * <pre>
 * offset size field              writer                                 reader
 *      0    8 ownerToken         producer: F16 CAS (0 = free)           consumers, monitor: acquire
 *      8    8 pid                producer, before the release of F17    monitor
 *     16    8 startTimeMs        producer, before F17                   monitor
 *     24    8 heartbeatMs        producer: F17 release                  consumers, monitor: acquire
 *     32    8 claimPosition      producer: F4 release, before F5        consumers: F11 acquire (-1 = none)
 *     40    8 claimLength        producer: plain, published by F4       consumers, after F11
 *     48    8 claimedPosition    producer: F24 release, after winning F5 consumers: F25 acquire (-1 = none)
 *     56    8 recordsOffered     producer: release, every 64 records    monitor: acquire
 *     64    8 bytesOffered       producer: release, every 64 records    monitor: acquire
 *     72    8 backPressureCount  producer: release                      monitor: acquire
 *     80    8 lostClaims         producer: release                      monitor: acquire
 *     88    4 producerId         producer (application id, e.g. --producer-id; -1 = not set)
 *     92    4 flags              producer: bit 0 = exclusive producer
 *     96    4 pidNamespace       producer, after F16, before the release  consumers, other registrants: after the
 *                                of pid (unsigned; 0 = not recorded)     acquire of pid
 *    100   28 reserved (0)
 * </pre>
 * {@code claimPosition} and {@code claimLength} form the producer's <em>claim intent</em>: the range
 * {@code [claimPosition, claimPosition + claimLength)} of positions it is about to claim or holds uncommitted.
 * {@code claimedPosition == claimPosition} says the intent won the tail (the producer owns that range); any other
 * value says it may have lost. A consumer uses both to map a stalled position to the process that holds it, and to
 * tell a stopped loser's stale intent from a dead winner's claim.
 * <p>
 * {@code pidNamespace} is the owner's pid namespace id ({@link io.herz.ipc.process.ProcessIdentity#pidNamespace()},
 * the inode of {@code /proc/self/ns/pid}). An owner recorded with a namespace other than the reader's is never taken
 * for dead: its slot is not reclaimed and the records it claims are not unblocked (the ring waits), and the reader
 * reports "... held by a process in another pid namespace: ...". The owner writes {@code pidNamespace} right after
 * winning F16 and publishes it with the release store of {@code pid}; a reader that judges liveness acquires
 * {@code pid} first and, while it does not match the token's pid (a registration in progress), takes the owner to be
 * alive. A file written before this field existed holds 0 there: not recorded, taken to be the reader's namespace.
 */
public final class ProducerSlotDescriptor
{
    public static final int SLOT_LENGTH = SegmentDescriptor.PRODUCER_SLOT_LENGTH;

    public static final int OWNER_TOKEN_OFFSET = 0;
    public static final int PID_OFFSET = 8;
    public static final int START_TIME_OFFSET = 16;
    public static final int HEARTBEAT_OFFSET = 24;
    public static final int CLAIM_POSITION_OFFSET = 32;
    public static final int CLAIM_LENGTH_OFFSET = 40;
    public static final int CLAIMED_POSITION_OFFSET = 48;
    public static final int RECORDS_OFFERED_OFFSET = 56;
    public static final int BYTES_OFFERED_OFFSET = 64;
    public static final int BACK_PRESSURE_COUNT_OFFSET = 72;
    public static final int LOST_CLAIMS_OFFSET = 80;
    public static final int PRODUCER_ID_OFFSET = 88;
    public static final int FLAGS_OFFSET = 92;
    public static final int PID_NAMESPACE_OFFSET = 96;

    /** {@code flags} bit of an exclusive producer. */
    public static final int FLAG_EXCLUSIVE = 1;

    /** Value of {@code claimPosition} and {@code claimedPosition} when the producer neither intends nor holds one. */
    public static final long NO_CLAIM = -1;

    private ProducerSlotDescriptor()
    {
    }
}
