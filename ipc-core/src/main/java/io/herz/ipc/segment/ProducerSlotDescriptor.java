package io.herz.ipc.segment;

/**
 * Layout of one producer slot, a 128-byte block in the segment header (see {@link SegmentDescriptor}). A slot is
 * owned by one producer (one {@code RingProducer}, so one thread) of one process; only its owner writes it, except
 * for the owner token, which is taken by CAS. Offsets are relative to the start of the slot.
 * <pre>
 * offset size field              writer                                 reader
 *      0    8 ownerToken         producer: F16 CAS (0 = free)           consumer, monitor: acquire
 *      8    8 pid                producer, before the release of F17    monitor
 *     16    8 startTimeMs        producer, before F17                   monitor
 *     24    8 heartbeatMs        producer: F17 release                  consumer, monitor: acquire
 *     32    8 claimPosition      producer: F4 release, before F5 CAS    consumer: F11 acquire (-1 = none)
 *     40    8 claimLength        producer: plain, published by F4       consumer, after F11
 *     48    8 recordsOffered     producer: release                      monitor: acquire
 *     56    8 bytesOffered       producer: release                      monitor: acquire
 *     64    8 backPressureCount  producer: release                      monitor: acquire
 *     72    4 producerId         producer (application id, e.g. --producer-id; -1 = not set)
 *     76   52 reserved (0)
 * </pre>
 * {@code claimPosition} and {@code claimLength} form the producer's <em>claim intent</em>: the range
 * {@code [claimPosition, claimPosition + claimLength)} of positions it is about to claim or holds uncommitted.
 * The consumer uses it to map a stalled position to the process that holds it.
 */
public final class ProducerSlotDescriptor
{
    public static final int SLOT_LENGTH = SegmentDescriptor.BLOCK_LENGTH;

    public static final int OWNER_TOKEN_OFFSET = 0;
    public static final int PID_OFFSET = 8;
    public static final int START_TIME_OFFSET = 16;
    public static final int HEARTBEAT_OFFSET = 24;
    public static final int CLAIM_POSITION_OFFSET = 32;
    public static final int CLAIM_LENGTH_OFFSET = 40;
    public static final int RECORDS_OFFERED_OFFSET = 48;
    public static final int BYTES_OFFERED_OFFSET = 56;
    public static final int BACK_PRESSURE_COUNT_OFFSET = 64;
    public static final int PRODUCER_ID_OFFSET = 72;

    /** Value of {@code claimPosition} when the producer neither intends nor holds a claim. */
    public static final long NO_CLAIM = -1;

    private ProducerSlotDescriptor()
    {
    }
}
