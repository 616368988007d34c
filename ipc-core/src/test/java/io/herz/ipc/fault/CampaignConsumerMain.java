package io.herz.ipc.fault;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import static io.herz.ipc.fault.CampaignRecords.*;

/**
 * A campaign consumer: {@code <segment> <state> <log> <control> <batchLimit> [<consumerName>]} (the name defaults
 * to {@link RingConsumer#DEFAULT_NAME}; a campaign with two consumers gives each its own name, so each reads every
 * record).
 * Reads through the public {@link RingConsumer} API in batches of at most {@code batchLimit}, verifies every
 * record and appends {@code (producerId, seq)} to its delivery log (a mapped file: what it delivered survives its
 * SIGKILL). The test hook: when the campaign sets {@code CONSUMER_REQUEST_PAUSE}, the consumer pauses inside the
 * next batch, after delivering a record of it (so before the batch is released), with {@code CONSUMER_IN_BATCH}
 * set, until the campaign kills it there. Exits
 * when the control file says so.
 */
public final class CampaignConsumerMain
{
    private CampaignConsumerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int batchLimit = Integer.parseInt(args[4]);
        final String name = args.length > 5 ? args[5] : RingConsumer.DEFAULT_NAME;
        try (LongFile state = LongFile.map(Path.of(args[1]), CONSUMER_LENGTH);
            LongFile log = LongFile.map(Path.of(args[2]), LOG_LENGTH);
            LongFile control = LongFile.map(Path.of(args[3]), CONTROL_LENGTH);
            Segment segment = Segment.open(Path.of(args[0]), new SegmentConfig().openTimeoutMs(10_000));
            RingConsumer consumer = new RingConsumer(segment, name, RingConsumers.StartPosition.OLDEST))
        {
            final UnsafeBuffer entries = log.buffer();
            final long[] delivered = {0};
            final int[] inBatch = {0};
            state.set(CONSUMER_READY, 1);
            long unblocked = consumer.unblockedRecords();
            state.set(CONSUMER_UNBLOCKED, unblocked);
            while (control.get(CONTROL_STOP_CONSUMER) == 0)
            {
                inBatch[0] = 0;
                final int read = consumer.read((type, buffer, offset, length) ->
                {
                    final String problem = type == TYPE_ID ? verify(buffer, offset, length) : "type " + type;
                    final long n = delivered[0];
                    if (n >= LOG_CAPACITY)
                    {
                        throw new IllegalStateException("delivery log full: " + n + " entries");
                    }
                    final int entry = LOG_HEADER + (int)(n * LOG_ENTRY);
                    if (problem != null)
                    {
                        state.increment(CONSUMER_CORRUPT);
                        System.err.println("corrupt record: " + problem);
                        entries.putInt(entry, -1);
                    }
                    else
                    {
                        entries.putInt(entry, buffer.getInt(offset));
                    }
                    entries.putInt(entry + 4, length);
                    entries.putLong(entry + 8, length >= MIN_LENGTH ? buffer.getLong(offset + 8) : -1);
                    delivered[0] = n + 1;
                    state.set(CONSUMER_DELIVERED, n + 1); // release: the entry above is published with it
                    if (++inBatch[0] >= 1 && state.get(CONSUMER_REQUEST_PAUSE) != 0)
                    {
                        state.set(CONSUMER_REQUEST_PAUSE, 0);
                        state.set(CONSUMER_IN_BATCH, 1);
                        LockSupport.parkNanos(HOOK_HOLD_MS * 1_000_000);
                        state.set(CONSUMER_IN_BATCH, 0);
                    }
                }, batchLimit);
                final long nowUnblocked = consumer.unblockedRecords();
                if (nowUnblocked != unblocked)
                {
                    unblocked = nowUnblocked;
                    state.set(CONSUMER_LAST_UNBLOCK_NS, System.nanoTime());
                    state.set(CONSUMER_UNBLOCKED, unblocked);
                }
                if (read == 0)
                {
                    LockSupport.parkNanos(20_000);
                }
            }
        }
    }
}
