package io.herz.ipc.ring;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.test.DeadProcess;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stall check of a consumer backs off on a live winner (issue 12 item 5): a record claimed and not committed by a
 * live producer of another process is probed after 1, 2, 4 and then every {@value RingUnblocker#LIVE_RECHECK_MAX_MS}
 * ms, not every millisecond (each probe reads {@code /proc} on the consumer thread), it is never unblocked, and once
 * that producer is gone its claim is unblocked within {@value RingUnblocker#LIVE_RECHECK_MAX_MS} ms. The clock
 * advances 1 ms per read, so a read is a millisecond of stall.
 */
@Timeout(60)
class LiveStallBackoffTest
{
    private static final int STALL_MS = 1000;

    @TempDir
    Path dir;

    @Test
    void shouldProbeALiveWinnerWithBackoffAndUnblockItSoonAfterItDies() throws Exception
    {
        final long[] nowNs = {0};
        final NanoClock clock = () -> nowNs[0] += TimeUnit.MILLISECONDS.toNanos(1);
        final long otherLive = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow().pid())
            .orElseThrow().token();
        final long dead = DeadProcess.token();
        try (Segment segment = Segment.create(dir.resolve("stall.seg"), new SegmentConfig().capacity(64 * 1024));
            RingConsumer consumer = new RingConsumer(segment, TimeUnit.SECONDS.toNanos(3600), clock);
            RingProducer producer = new RingProducer(segment, 7))
        {
            final int index = producer.tryClaim(1, 16);
            assertTrue(index >= 0);
            final int owner = SegmentDescriptor.producerSlotOffset(producer.slotIndex()) +
                ProducerSlotDescriptor.OWNER_TOKEN_OFFSET;
            final long ownToken = segment.buffer().getLongVolatile(owner);
            segment.buffer().putLongVolatile(owner, otherLive); // a live producer of another process holds the claim

            for (int i = 0; i < STALL_MS; i++)
            {
                assertEquals(0, consumer.read((type, buffer, offset, length) -> { }, 16));
            }
            assertEquals(0, consumer.unblockedRecords(), "a live producer's claim is never unblocked");
            final long probes = consumer.livenessProbes();
            // every ms before the fix (about STALL_MS); now 1, 2, 4, then every LIVE_RECHECK_MAX_MS
            assertTrue(probes >= STALL_MS / RingUnblocker.LIVE_RECHECK_MAX_MS - 2 &&
                probes <= STALL_MS / RingUnblocker.LIVE_RECHECK_MAX_MS + 4,
                "liveness probes in " + STALL_MS + " ms of a live stall: " + probes);

            segment.buffer().putLongVolatile(owner, dead); // that producer is gone now
            int reads = 0;
            while (consumer.unblockedRecords() == 0 && reads <= 4 * RingUnblocker.LIVE_RECHECK_MAX_MS)
            {
                consumer.read((type, buffer, offset, length) -> { }, 16);
                reads++;
            }
            assertEquals(1, consumer.unblockedRecords(), "the dead producer's claim is unblocked");
            assertTrue(reads <= RingUnblocker.LIVE_RECHECK_MAX_MS + 1,
                "unblocked within " + RingUnblocker.LIVE_RECHECK_MAX_MS + " ms of the death: " + reads + " ms");

            segment.buffer().putLongVolatile(owner, ownToken);
            assertFalse(producer.commit(index), "the unblocked claim is reported lost to its producer");
            assertTrue(producer.tryClaim(1, 16) >= 0, "the ring goes on");
        }
    }
}
