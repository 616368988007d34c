package io.herz.ipc.fault;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The records of the fault campaign and the files that account for them.
 * <p>
 * A record: {@code producerId int, length int, seq long, checksum long}, then filler bytes that depend on id and
 * seq, so a torn, stale or misplaced payload fails {@link #verify}.
 */
final class CampaignRecords
{
    static final int TYPE_ID = 5;
    static final int MIN_LENGTH = 24;
    static final int MAX_EXTRA = 176;

    // Producer ledger (one per producer id), long indexes.
    static final int LEDGER_COMMITTED = 0;      // records committed: 0..n-1, stored after each commit returns
    static final int LEDGER_HOLDING = 1;        // seq + 1 while the test hook holds a claim open, else 0
    static final int LEDGER_BACK_PRESSURED = 2; // claims refused for lack of space
    static final int LEDGER_READY = 3;          // 1 once registered on the ring
    static final int LEDGER_REQUEST_HOLD = 4;   // set by the campaign: hold the next claim open until killed
    static final int LEDGER_LOST = 5;           // commits that failed: the claim had been unblocked (must stay 0)
    static final int LEDGER_LENGTH = 64;

    // Consumer state (one per consumer incarnation), long indexes.
    static final int CONSUMER_DELIVERED = 0;     // entries in this incarnation's delivery log
    static final int CONSUMER_IN_BATCH = 1;      // 1 while the test hook pauses inside a batch
    static final int CONSUMER_UNBLOCKED = 2;     // RingConsumer.unblockedRecords()
    static final int CONSUMER_LAST_UNBLOCK_NS = 3; // System.nanoTime() (CLOCK_MONOTONIC) when that last grew
    static final int CONSUMER_CORRUPT = 4;       // records that failed verify()
    static final int CONSUMER_READY = 5;
    static final int CONSUMER_REQUEST_PAUSE = 6; // set by the campaign: pause inside the next batch until killed
    static final int CONSUMER_LENGTH = 64;

    // Control file.
    static final int CONTROL_STOP_PRODUCERS = 0;
    static final int CONTROL_STOP_CONSUMER = 1;
    static final int CONTROL_LENGTH = 64;

    // Delivery log: entries of (producerId int, length int, seq long) after a 64-byte header.
    static final int LOG_HEADER = 64;
    static final int LOG_ENTRY = 16;
    static final long LOG_LENGTH = 256L << 20; // sparse: 16 M entries
    static final long HOOK_HOLD_MS = 20_000;   // the test hooks hold until killed (the campaign kills at once)
    static final long LOG_CAPACITY = (LOG_LENGTH - LOG_HEADER) / LOG_ENTRY;

    private CampaignRecords()
    {
    }

    static int length(final long seq, final int producerId)
    {
        return MIN_LENGTH + (int)Math.floorMod(seq * 31 + producerId * 7L, MAX_EXTRA + 1);
    }

    static long checksum(final int producerId, final long seq, final int length)
    {
        long h = 0x9E37_79B9_7F4A_7C15L ^ producerId;
        h = (h ^ seq) * 0xBF58_476D_1CE4_E5B9L;
        h = (h ^ length) * 0x94D0_49BB_1331_11EBL;
        return h ^ (h >>> 31);
    }

    static void write(final MutableDirectBuffer buffer, final int offset, final int producerId, final long seq,
        final int length)
    {
        buffer.putInt(offset, producerId);
        buffer.putInt(offset + 4, length);
        buffer.putLong(offset + 8, seq);
        buffer.putLong(offset + 16, checksum(producerId, seq, length));
        for (int i = MIN_LENGTH; i < length; i++)
        {
            buffer.putByte(offset + i, (byte)(seq * 13 + producerId + i));
        }
    }

    /**
     * @return null if the record is intact, else what is wrong.
     */
    static String verify(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MIN_LENGTH)
        {
            return "record of " + length + " bytes, expected at least " + MIN_LENGTH;
        }
        final int producerId = buffer.getInt(offset);
        final int recorded = buffer.getInt(offset + 4);
        final long seq = buffer.getLong(offset + 8);
        if (recorded != length || recorded != length(seq, producerId))
        {
            return "producer " + producerId + " seq " + seq + ": length " + length + ", recorded " + recorded +
                ", expected " + length(seq, producerId);
        }
        if (buffer.getLong(offset + 16) != checksum(producerId, seq, length))
        {
            return "producer " + producerId + " seq " + seq + ": checksum mismatch";
        }
        for (int i = MIN_LENGTH; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)(seq * 13 + producerId + i))
            {
                return "producer " + producerId + " seq " + seq + ": payload byte " + i + " differs";
            }
        }
        return null;
    }
}
