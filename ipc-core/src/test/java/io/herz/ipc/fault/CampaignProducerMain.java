package io.herz.ipc.fault;

import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.test.ChildJvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.LockSupport;

import static io.herz.ipc.fault.CampaignRecords.*;

/**
 * A campaign producer: {@code <segment> <producerId> <ledger> <control> <paceNs> shared|exclusive}.
 * Claims, writes and commits records 0, 1, 2... through the public {@link RingProducer} API, and after each commit
 * stores the count in its ledger (a mapped file that survives SIGKILL). The test hook that widens the window:
 * when the campaign sets {@code LEDGER_REQUEST_HOLD}, the next claim is held open (with {@code LEDGER_HOLDING}
 * set) until the campaign kills the process inside it. Exits when the control file says stop.
 */
public final class CampaignProducerMain
{
    /** Last argument: a shared producer. */
    static final String SHARED = "shared";
    /** Last argument: the ring's exclusive producer. */
    static final String EXCLUSIVE = "exclusive";

    private CampaignProducerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path segmentPath = Path.of(args[0]);
        final int producerId = Integer.parseInt(args[1]);
        final long paceNs = Long.parseLong(args[4]);
        try (LongFile ledger = LongFile.map(Path.of(args[2]), LEDGER_LENGTH);
            LongFile control = LongFile.map(Path.of(args[3]), CONTROL_LENGTH);
            Segment segment = Segment.open(segmentPath, new SegmentConfig().openTimeoutMs(10_000));
            RingProducer producer = register(segment, segmentPath, producerId, EXCLUSIVE.equals(args[5])))
        {
            ledger.set(LEDGER_READY, 1);
            long seq = 0;
            while (control.get(CONTROL_STOP_PRODUCERS) == 0)
            {
                final int length = length(seq, producerId);
                final int index = producer.tryClaim(TYPE_ID, length);
                if (index == RingProducer.BACK_PRESSURED)
                {
                    ledger.increment(LEDGER_BACK_PRESSURED);
                    LockSupport.parkNanos(50_000);
                    continue;
                }
                if (index < 0)
                {
                    throw new IllegalStateException("tryClaim answered " + index);
                }
                write(producer.buffer(), index, producerId, seq, length);
                if (ledger.get(LEDGER_REQUEST_HOLD) != 0)
                {
                    ledger.set(LEDGER_REQUEST_HOLD, 0);
                    ledger.set(LEDGER_HOLDING, seq + 1);
                    Thread.sleep(HOOK_HOLD_MS);
                }
                final boolean delivered = producer.commit(index);
                ledger.set(LEDGER_HOLDING, 0);
                if (!delivered)
                {
                    // The claim was unblocked although this process lives: guarantee 7 broken. Recorded, and the
                    // sequence moves on, so the consumers' logs show the gap as well.
                    ledger.increment(LEDGER_LOST);
                    ++seq;
                    continue;
                }
                ledger.set(LEDGER_COMMITTED, ++seq);
                if (paceNs > 0)
                {
                    LockSupport.parkNanos(paceNs);
                }
            }
        }
    }

    /**
     * Register, and when the ring refuses (e.g. "no free producer slot"), first copy the segment as it is at that
     * moment next to the child logs, so that the slots, intents and headers behind the refusal can be read later
     * ({@code docs/read_segment.py FILE}): the campaign deletes its ring when it ends.
     */
    private static RingProducer register(
        final Segment segment, final Path segmentPath, final int producerId, final boolean exclusive)
        throws IOException
    {
        try
        {
            return exclusive ? RingProducer.exclusive(segment, producerId) : new RingProducer(segment, producerId);
        }
        catch (final SegmentException ex)
        {
            Files.createDirectories(ChildJvm.LOG_DIR);
            final Path snapshot = ChildJvm.LOG_DIR.resolve("campaign-refused-producer-" + producerId + "-" +
                System.nanoTime() + ".seg");
            Files.copy(segmentPath, snapshot, StandardCopyOption.REPLACE_EXISTING);
            System.err.println("segment at the refusal copied to " + snapshot);
            throw ex;
        }
    }
}
