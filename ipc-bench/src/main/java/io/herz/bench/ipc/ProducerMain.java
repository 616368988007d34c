package io.herz.bench.ipc;

import io.herz.ipc.idle.IdleStrategies;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer JVM of the benchmark. Opens the stream through {@link Transports} (any transport), waits until it is
 * connected, says READY, waits for GO, sends {@code --messages} {@link BenchMessage}s of {@code --length} bytes
 * (written in place into the claimed space) flat out, or on a fixed-rate schedule of {@code --rate} messages per
 * second, reports, then keeps the publication open until the runner closes its standard input.
 * <p>
 * The schedule: message {@code n} is due at {@code start + n * interval}. Its intended time goes into the message
 * with the stamp taken just before its first claim attempt; a producer that falls behind (descheduled, back-pressured)
 * sends at once until it has caught up, and the consumer's latency from the intended time shows the whole stall
 * (no coordinated omission). Before it idles ahead of schedule it calls {@link Publication#flush()}, so transports
 * that batch deliver what is pending (on every idle turn, so a full socket cannot keep a message back).
 * <p>
 * The first {@code --warmup} messages (which the consumer leaves out) run on a schedule of their own; then the
 * producer pauses {@link #WARMUP_PAUSE_NS} so the backlog of a cold JVM drains, and the measured schedule starts.
 */
public final class ProducerMain
{
    /** Pause between the warm-up and the measured schedule of a paced run. */
    static final long WARMUP_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private ProducerMain()
    {
    }

    /**
     * @param args {@code --uri URI --id N --messages N [--warmup N] --length BYTES [--rate PER_SECOND] [--idle NAME]
     *             [--exclusive] [--batch-bytes BYTES] [--capacity BYTES] [--open-timeout-ms MS]}.
     * @throws Exception on any failure; the runner sees a non-zero exit.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchArgs options = BenchArgs.parseOptions(args, Set.of("uri", "id", "messages", "warmup", "length",
            "rate", "idle", "exclusive", "batch-bytes", "capacity", "open-timeout-ms"), Set.of("exclusive"));
        final int producerId = (int)options.longValue("id");
        final long messages = options.longValue("messages");
        final int length = (int)options.longValue("length");
        final long rate = options.longValue("rate", 0);
        final long warmup = options.longValue("warmup", 0);
        final long openTimeoutMs = options.longValue("open-timeout-ms", 30_000);
        final IdleStrategy idle = IdleStrategies.of(options.string("idle", "yielding"));
        final PublicationOptions publicationOptions = new PublicationOptions()
            .producerId(producerId)
            .exclusive(options.has("exclusive"))
            .batchBytes((int)options.longValue("batch-bytes", 0))
            .create(false)
            .segmentConfig(new SegmentConfig()
                .capacity(options.longValue("capacity", 1 << 20))
                .openTimeoutMs(openTimeoutMs));

        try (Publication publication = Transports.publication(options.string("uri"), publicationOptions))
        {
            awaitConnected(publication, openTimeoutMs);
            ChildProtocol.readyAndAwaitGo();
            final long startNs = System.nanoTime();
            final long backPressured = rate > 0 ?
                sendPaced(publication, idle, producerId, messages, warmup, length, 1_000_000_000.0 / rate) :
                sendFlatOut(publication, idle, producerId, messages, length);
            publication.flush();
            final long elapsedNs = System.nanoTime() - startNs;
            ChildProtocol.result("sent=" + messages + " backPressured=" + backPressured + " elapsedNs=" + elapsedNs);
            ChildProtocol.awaitStop();
        }
    }

    private static void awaitConnected(final Publication publication, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!publication.isConnected())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("publication " + publication.uri() + ": expected a connected " +
                    "subscriber within " + timeoutMs + " ms, found none");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Send one message: claimed and written in place where the transport's claims are long enough, else (Aeron
     * above one MTU) written into a scratch buffer and offered, which the transport fragments.
     *
     * @return true when sent, false when back-pressured (retry).
     */
    private static boolean send(
        final Publication publication, final UnsafeBuffer scratch, final int length, final int producerId,
        final long sequence, final long intendedNs, final long sentNs)
    {
        final int result;
        if (null == scratch)
        {
            result = publication.tryClaim(BenchMessage.TYPE_ID, length);
            if (result >= 0)
            {
                BenchMessage.write(publication.buffer(), result, length, producerId, sequence, intendedNs, sentNs);
                publication.commit(result);
                return true;
            }
        }
        else
        {
            BenchMessage.write(scratch, 0, length, producerId, sequence, intendedNs, sentNs);
            result = publication.offer(BenchMessage.TYPE_ID, scratch, 0, length);
            if (result >= 0)
            {
                return true;
            }
        }
        if (result == Publication.CLOSED)
        {
            throw new IllegalStateException("publication " + publication.uri() + " closed while sending");
        }
        return false;
    }

    private static UnsafeBuffer scratchFor(final Publication publication, final int length)
    {
        if (length <= publication.maxClaimLength())
        {
            return null;
        }
        if (length > publication.maxMessageLength())
        {
            throw new IllegalArgumentException("message length too large for " + publication.uri() +
                ": expected at most " + publication.maxMessageLength() + ", found " + length);
        }
        return new UnsafeBuffer(new byte[length]);
    }

    private static long sendFlatOut(
        final Publication publication, final IdleStrategy idle, final int producerId, final long messages,
        final int length)
    {
        final UnsafeBuffer scratch = scratchFor(publication, length);
        long backPressured = 0;
        for (long sequence = 0; sequence < messages; sequence++)
        {
            if (!send(publication, scratch, length, producerId, sequence, 0, 0))
            {
                do
                {
                    backPressured++;
                    idle.idle();
                }
                while (!send(publication, scratch, length, producerId, sequence, 0, 0));
                idle.reset();
            }
        }
        return backPressured;
    }

    private static long sendPaced(
        final Publication publication, final IdleStrategy idle, final int producerId, final long messages,
        final long warmup, final int length, final double intervalNs)
    {
        final UnsafeBuffer scratch = scratchFor(publication, length);
        long backPressured = 0;
        long startNs = System.nanoTime();
        long firstOfSchedule = 0;
        for (long sequence = 0; sequence < messages; sequence++)
        {
            if (sequence == warmup && warmup > 0)
            {
                // the warm-up (not measured) ran on its own schedule: let a backlog of the cold start drain, then
                // start the measured schedule afresh
                publication.flush();
                LockSupport.parkNanos(WARMUP_PAUSE_NS);
                startNs = System.nanoTime();
                firstOfSchedule = warmup;
            }
            final long intendedNs = startNs + (long)((sequence - firstOfSchedule) * intervalNs);
            if (System.nanoTime() - intendedNs < 0)
            {
                do
                {
                    publication.flush();
                    publication.keepAlive(); // a producer paced below one message a second still beats
                    idle.idle();
                }
                while (System.nanoTime() - intendedNs < 0);
                idle.reset();
            }
            final long sentNs = System.nanoTime();
            if (!send(publication, scratch, length, producerId, sequence, intendedNs, sentNs))
            {
                do
                {
                    backPressured++;
                    idle.idle();
                }
                while (!send(publication, scratch, length, producerId, sequence, intendedNs, sentNs));
                idle.reset();
            }
        }
        return backPressured;
    }
}
