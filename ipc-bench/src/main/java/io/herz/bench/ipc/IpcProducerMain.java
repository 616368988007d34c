package io.herz.bench.ipc;

import io.herz.bench.ring.BenchPayload;
import io.herz.bench.ring.BenchProducer;
import io.herz.bench.ring.BenchRing;
import io.herz.bench.ring.RingPeer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.Set;

/**
 * A producer JVM of the multi-process benchmark. Maps the ring, registers, says READY, waits for GO, then sends
 * {@code --messages} 64-byte messages ({@link BenchPayload}) as fast as the ring takes them, or paced at
 * {@code --rate} messages per second. Idles with {@code --idle} whenever a claim is refused or it is early.
 * <p>
 * Latency stamp: {@code System.nanoTime()} read just before the first claim attempt of a message, so time spent
 * back-pressured counts. Linux implements it with {@code CLOCK_MONOTONIC}, one clock for every process on the host,
 * so the consumer's {@code nanoTime()} minus this stamp is a one-way latency. Pacing keeps a fixed schedule (no
 * drift): a producer that falls behind sends at once until it has caught up, and that queueing shows in the latency.
 */
public final class IpcProducerMain
{
    private IpcProducerMain()
    {
    }

    /**
     * @param args {@code --peer herz|agrona --file PATH --id N --messages N [--rate PER_SECOND] [--idle NAME]}.
     * @throws Exception on any failure; the runner sees a non-zero exit.
     */
    public static void main(final String[] args) throws Exception
    {
        final BenchArgs options = BenchArgs.parseOptions(
            args, Set.of("peer", "file", "id", "messages", "rate", "idle"), Set.of());
        final RingPeer peer = RingPeer.byName(options.string("peer"));
        final int producerId = (int)options.longValue("id");
        final long messages = options.longValue("messages");
        final long rate = options.longValue("rate", 0);
        final IdleStrategy idle = io.herz.ipc.idle.IdleStrategies.of(options.string("idle", "yielding"));

        try (BenchRing ring = peer.open(Path.of(options.string("file")));
            BenchProducer producer = ring.producer(producerId))
        {
            ChildProtocol.readyAndAwaitGo();
            final long startNs = System.nanoTime();
            final long backPressured = rate > 0 ?
                sendPaced(producer, idle, producerId, messages, 1_000_000_000L / rate) :
                sendFlatOut(producer, idle, producerId, messages);
            final long elapsedNs = System.nanoTime() - startNs;
            ChildProtocol.result("sent=" + messages + " backPressured=" + backPressured + " elapsedNs=" + elapsedNs);
        }
    }

    private static long sendFlatOut(
        final BenchProducer producer, final IdleStrategy idle, final int producerId, final long messages)
    {
        final MutableDirectBuffer buffer = producer.buffer();
        long backPressured = 0;
        for (long sequence = 0; sequence < messages; sequence++)
        {
            int index = producer.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
            if (index < 0)
            {
                do
                {
                    backPressured++;
                    idle.idle();
                    index = producer.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
                }
                while (index < 0);
                idle.reset();
            }
            BenchPayload.write(buffer, index, producerId, sequence, 0);
            producer.commit(index);
        }
        return backPressured;
    }

    private static long sendPaced(
        final BenchProducer producer, final IdleStrategy idle, final int producerId, final long messages,
        final long intervalNs)
    {
        final MutableDirectBuffer buffer = producer.buffer();
        long backPressured = 0;
        long nextSendNs = System.nanoTime();
        for (long sequence = 0; sequence < messages; sequence++)
        {
            long nowNs = System.nanoTime();
            if (nowNs - nextSendNs < 0)
            {
                producer.flush(); // going idle: let a batching producer pad the rest of its batch
                do
                {
                    idle.idle();
                }
                while ((nowNs = System.nanoTime()) - nextSendNs < 0);
            }
            idle.reset();
            int index;
            while ((index = producer.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH)) < 0)
            {
                backPressured++;
                idle.idle();
            }
            idle.reset();
            BenchPayload.write(buffer, index, producerId, sequence, nowNs);
            producer.commit(index);
            nextSendNs += intervalNs;
        }
        return backPressured;
    }
}
