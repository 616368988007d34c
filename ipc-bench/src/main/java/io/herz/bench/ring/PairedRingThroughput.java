package io.herz.bench.ring;

import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.HdrHistogram.Histogram;
import io.herz.ipc.idle.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ring throughput of several peers measured in alternation, phase by phase, by the same two threads (a producer and
 * a consumer), so that each peer's phase can be compared with its neighbours' phases in the same cycle.
 * <p>
 * Why: on the 2-vCPU KVM guests this project measures on, the host places the two vCPUs on two threads of one core,
 * on two cores of one L3 complex, or on two complexes, and moves them every few seconds; a cache line passed between
 * the producer's and the consumer's core costs several times more in the last case. {@link RingBenchmark}'s
 * {@code throughput} group then gives a peer ~4, ~11 or ~22 M msg/s depending on where its fork happened to run,
 * so two peers' JMH scores taken seconds apart compare placements, not rings. Here every cycle runs each peer for
 * one phase ({@code --phase-ms}, 200 ms by default), and the report gives each peer's phase rates (median and
 * spread) and, for every peer, the median of its ratio to the first peer's phase in the same cycle: a pair of
 * neighbouring phases almost always ran on the same placement.
 * <p>
 * Each phase: the producer claims, writes {@link BenchPayload} (64 bytes, every byte written) and commits flat out
 * on the peer's own ring ({@link RingBenchmark.Peer}: its URI scheme and options, a batching publication flushed
 * when a claim is refused and at the end of the phase) for the phase's time; the consumer polls that ring and
 * checks every message (sequence in order, last fill word intact); the phase ends when the consumer has read every
 * message sent in it, and its rate is messages over the time from the phase's start to that moment.
 * <p>
 * With {@code --rate N} the producer sends N messages per second on a fixed schedule instead, each stamped with its
 * intended send time, flushing before it waits for the next; the consumer records one-way latency (from the
 * intended time, so a stalled sender cannot hide its stall) in an HdrHistogram per phase, and the report gives each
 * peer's phase p50 and p99 (medians over cycles) and the paired ratio of its p50 to the first peer's.
 * <p>
 * Run: {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.disable.bounds.checks=true -cp
 * ipc-bench/target/benchmarks.jar io.herz.bench.ring.PairedRingThroughput --peers AGRONA,HERZ,HERZ_EXCLUSIVE
 * [--cycles 40] [--warmup-cycles 5] [--phase-ms 200] [--capacity 1048576] [--rate 0] [--idle busy-spin]
 * [--producers 1] [--verbose]}. {@code --producers N} runs N producer threads, each with its own publication on every
 * ring and its own sequence, which the consumer checks per producer (shared peers only). {@code --idle} is what the producer does when a claim is refused and the consumer when a poll finds
 * nothing, the same for every peer: {@code busy-spin} by default; {@code yielding} where a peer has threads of its
 * own to share the two cores with (Aeron's media driver: with both ends spinning it gets no core and its
 * publication limit stalls the producer).
 */
public final class PairedRingThroughput
{
    private static final long NO_PHASE = -1;

    private final RingBenchmark.Peer[] peers;
    private final int capacity;
    private final long phaseNs;
    private final Path[] files;
    private final Subscription[] subscriptions;
    private final String idleName;
    /** One per producer thread; the first runs on the calling thread. */
    private final Sender[] senders;
    /** Nanoseconds between intended sends; 0 when flat out. */
    private final double intervalNs;
    /** Polls that found nothing in the current phase; written by the consumer before its drain release. */
    private long emptyPolls;
    /** By peer, over the measured cycles: messages, refused claims, empty polls. */
    private final long[][] totals;
    /** One-way latency of the current phase, by peer: recorded by the consumer, read after the drain. */
    private final Histogram[] latencies;

    /** Phase the producer is in; the consumer reads the ring of {@code phase % peers}. */
    private final AtomicLong producerPhase = new AtomicLong(NO_PHASE);
    /** Messages the producers sent in the phase that {@link #phaseEnded} names; written before it. */
    private volatile long phaseSentCount;
    /** The phase the other producer threads are to run, and its peer, start and end (written before it). */
    private final AtomicLong workerPhase = new AtomicLong(NO_PHASE);
    private volatile int workerPeer;
    private volatile long workerStartNs;
    private volatile long workerEndNs;
    /** Other producer threads done with the current phase. */
    private final AtomicInteger workersDone = new AtomicInteger();
    /** The last phase the producer has ended (sent count published). */
    private final AtomicLong phaseEnded = new AtomicLong(NO_PHASE);
    /** The last phase the consumer has drained. */
    private final AtomicLong phaseDrained = new AtomicLong(NO_PHASE);
    private volatile boolean running = true;
    private volatile String consumerError;

    private PairedRingThroughput(
        final RingBenchmark.Peer[] peers,
        final int capacity,
        final long phaseNs,
        final long rate,
        final String idle,
        final int producers)
    {
        this.peers = peers;
        this.idleName = idle;
        this.senders = new Sender[producers];
        for (int k = 0; k < producers; k++)
        {
            senders[k] = new Sender(k);
        }
        this.intervalNs = rate == 0 ? 0 : 1e9 / rate;
        this.latencies = new Histogram[peers.length];
        for (int p = 0; p < peers.length; p++)
        {
            latencies[p] = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        }
        this.capacity = capacity;
        this.phaseNs = phaseNs;
        this.files = new Path[peers.length];
        this.subscriptions = new Subscription[peers.length];
        this.totals = new long[peers.length][3];
    }

    /**
     * @param args {@code --peers A,B,... [--cycles N] [--warmup-cycles N] [--phase-ms N] [--capacity BYTES]
     *             [--rate PER_SECOND] [--idle NAME] [--producers N] [--verbose]}.
     * @throws Exception if a ring cannot be created or a message arrives out of order or torn.
     */
    public static void main(final String[] args) throws Exception
    {
        String peerList = "AGRONA,HERZ,HERZ_EXCLUSIVE,HERZ_BATCH,HERZ_EXCLUSIVE_BATCH,AGRONA_ONE_TO_ONE";
        int cycles = 40;
        int warmupCycles = 5;
        long phaseMs = 200;
        int capacity = 1 << 20;
        boolean verbose = false;
        long rate = 0;
        String idle = "busy-spin";
        int producers = 1;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--peers" -> peerList = value(args, ++i);
                case "--cycles" -> cycles = Integer.parseInt(value(args, ++i));
                case "--warmup-cycles" -> warmupCycles = Integer.parseInt(value(args, ++i));
                case "--phase-ms" -> phaseMs = Long.parseLong(value(args, ++i));
                case "--capacity" -> capacity = Integer.parseInt(value(args, ++i));
                case "--rate" -> rate = Long.parseLong(value(args, ++i));
                case "--idle" -> idle = value(args, ++i);
                case "--producers" -> producers = Integer.parseInt(value(args, ++i));
                case "--verbose" -> verbose = true;
                default -> throw new IllegalArgumentException("unknown option: expected --peers, --cycles, " +
                    "--warmup-cycles, --phase-ms, --capacity, --rate, --idle, --producers or --verbose, found '" + args[i] +
                    "'");
            }
        }
        final RingBenchmark.Peer[] peers = Arrays.stream(peerList.split(","))
            .map(name -> RingBenchmark.Peer.valueOf(name.trim())).toArray(RingBenchmark.Peer[]::new);
        if (peers.length < 2 || cycles < 1 || warmupCycles < 0 || phaseMs < 1 || rate < 0 || rate > 100_000_000)
        {
            throw new IllegalArgumentException("expected at least two peers, cycles >= 1, warm-up cycles >= 0, " +
                "phase-ms >= 1 and rate 0..100000000, found peers=" + peers.length + " cycles=" + cycles +
                " warmup=" + warmupCycles + " phase-ms=" + phaseMs + " rate=" + rate);
        }
        IdleStrategies.of(idle); // an unknown name is refused here, naming the accepted ones
        if (producers < 1 || producers > 8)
        {
            throw new IllegalArgumentException("--producers: expected 1..8, found " + producers);
        }
        for (final RingBenchmark.Peer peer : peers)
        {
            if (producers > 1 && peer.singleProducer())
            {
                throw new IllegalArgumentException("--producers " + producers + ": peer " + peer + " takes one " +
                    "producer only; expected shared peers (HERZ, HERZ_BATCH, AGRONA, AERON_IPC)");
            }
        }
        run(peers, cycles, warmupCycles, phaseMs, capacity, rate, idle, producers, verbose ? System.out : null, System.out);
    }

    /**
     * Run the alternation and print the report.
     *
     * @param peers        the rings compared; the first is the reference of the paired ratios.
     * @param cycles       measured cycles (each runs every peer for one phase).
     * @param warmupCycles cycles run first and not counted.
     * @param phaseMs      length of one peer's phase.
     * @param capacity     data capacity of every ring.
     * @param rate         messages per second, paced, with one-way latency per phase; 0 for flat out.
     * @param idle         what the producer does when a claim is refused and the consumer when a poll finds
     *                     nothing ({@link IdleStrategies} names: busy-spin, yielding, ...).
     * @param producers    producer threads, each with its own publication on every ring (more than one: shared
     *                     peers only).
     * @param cycleLog     gets one line per cycle, or null.
     * @param out          gets the report.
     * @return by peer and measured cycle: messages per second (flat out) or the phase's median latency in
     *         nanoseconds (paced).
     * @throws Exception if a ring cannot be created or a message arrives out of order or torn.
     */
    static double[][] run(
        final RingBenchmark.Peer[] peers,
        final int cycles,
        final int warmupCycles,
        final long phaseMs,
        final int capacity,
        final long rate,
        final String idle,
        final int producers,
        final PrintStream cycleLog,
        final PrintStream out) throws Exception
    {
        return new PairedRingThroughput(peers, capacity, TimeUnit.MILLISECONDS.toNanos(phaseMs), rate, idle, producers)
            .execute(cycles, warmupCycles, cycleLog, out);
    }

    private static String value(final String[] args, final int i)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private double[][] execute(
        final int cycles, final int warmupCycles, final PrintStream cycleLog, final PrintStream out) throws Exception
    {
        Files.createDirectories(RingBenchmark.DIRECTORY);
        try
        {
            for (int p = 0; p < peers.length; p++)
            {
                files[p] = RingBenchmark.newRingFile(peers[p], "paired");
                subscriptions[p] = Transports.subscription(peers[p].uri(files[p]),
                    peers[p].subscriptionOptions(capacity));
                for (final Sender sender : senders)
                {
                    sender.publications[p] = Transports.publication(peers[p].uri(files[p]),
                        peers[p].publicationOptions(sender.producerId));
                }
            }
            final Thread consumer = new Thread(this::consume, "paired-consumer");
            consumer.setDaemon(true);
            consumer.start();
            for (int k = 1; k < senders.length; k++)
            {
                final Sender sender = senders[k];
                final Thread worker = new Thread(() -> work(sender), "paired-producer-" + k);
                worker.setDaemon(true);
                worker.start();
            }
            final double[][] rates = new double[peers.length][cycles];
            final double[][] p99s = new double[peers.length][cycles];
            out.printf(Locale.ROOT, "paired ring %s: peers %s, %d warm-up + %d cycles of %d ms " +
                "phases, capacity %d, idle %s, %d producer(s), %d cpus, load %s%n", intervalNs == 0 ? "throughput, flat out" :
                String.format(Locale.ROOT, "latency at %.0f msg/s", 1e9 / intervalNs), Arrays.toString(peers),
                warmupCycles, cycles, TimeUnit.NANOSECONDS.toMillis(phaseNs), capacity, idleName, senders.length,
                Runtime.getRuntime().availableProcessors(), loadAverage());
            long phase = 0;
            for (int cycle = 0; cycle < warmupCycles + cycles; cycle++)
            {
                final StringBuilder line = cycleLog != null ? new StringBuilder("cycle " + cycle + ":") : null;
                for (int p = 0; p < peers.length; p++)
                {
                    final double rate = runPhase(phase++, p);
                    if (cycle >= warmupCycles)
                    {
                        for (final Sender sender : senders)
                        {
                            totals[p][0] += sender.sent;
                            totals[p][1] += sender.refused;
                        }
                        totals[p][2] += emptyPolls; // the drain (acquire of phaseDrained) made it visible here
                    }
                    final Histogram latency = latencies[p];
                    final double median = latency.getValueAtPercentile(50);
                    final double p99 = latency.getValueAtPercentile(99);
                    latency.reset();
                    if (cycle >= warmupCycles)
                    {
                        rates[p][cycle - warmupCycles] = intervalNs == 0 ? rate : median;
                        p99s[p][cycle - warmupCycles] = p99;
                    }
                    if (line != null)
                    {
                        line.append(intervalNs == 0 ? String.format(Locale.ROOT, " %s %.2fM", peers[p], rate / 1e6) :
                            String.format(Locale.ROOT, " %s p50 %.0f p99 %.0f ns", peers[p], median, p99));
                    }
                }
                if (line != null)
                {
                    cycleLog.println(line.append(cycle < warmupCycles ? " (warm-up)" : ""));
                }
            }
            running = false;
            consumer.join(TimeUnit.SECONDS.toMillis(10));
            if (intervalNs == 0)
            {
                report(rates, out);
            }
            else
            {
                reportLatency(rates, p99s, out);
            }
            return rates;
        }
        finally
        {
            running = false;
            for (int p = 0; p < peers.length; p++)
            {
                for (final Sender sender : senders)
                {
                    CloseHelper.quietClose(sender.publications[p]);
                }
                CloseHelper.quietClose(subscriptions[p]);
                if (files[p] != null)
                {
                    Files.deleteIfExists(files[p]);
                }
            }
        }
    }

    /**
     * One phase: every producer sends for the phase's time (the first on this thread), the total is published, and
     * the phase ends when the consumer has read all of it.
     *
     * @return messages per second from the phase's start to the consumer's drain.
     */
    private double runPhase(final long phase, final int peer)
    {
        final long startNs = System.nanoTime();
        final long endNs = startNs + phaseNs;
        producerPhase.set(phase);
        workersDone.set(0);
        workerPeer = peer;
        workerStartNs = startNs;
        workerEndNs = endNs;
        workerPhase.set(phase);
        senders[0].send(peer, startNs, endNs);
        while (workersDone.get() != senders.length - 1)
        {
            checkConsumer();
            Thread.onSpinWait();
        }
        long sent = 0;
        for (final Sender sender : senders)
        {
            sent += sender.sent; // each worker's count is visible after its workersDone increment
        }
        phaseSentCount = sent;
        phaseEnded.set(phase);
        while (phaseDrained.get() != phase)
        {
            checkConsumer();
            Thread.onSpinWait();
        }
        final long elapsedNs = System.nanoTime() - startNs;
        return sent * 1e9 / elapsedNs;
    }

    private void checkConsumer()
    {
        if (consumerError != null)
        {
            throw new IllegalStateException(consumerError);
        }
    }

    /**
     * A producer thread other than the first: run each phase the first one starts.
     */
    private void work(final Sender sender)
    {
        long done = NO_PHASE;
        while (running)
        {
            final long phase = workerPhase.get();
            if (phase == done)
            {
                Thread.onSpinWait();
                continue;
            }
            sender.send(workerPeer, workerStartNs, workerEndNs);
            done = phase;
            workersDone.incrementAndGet();
        }
    }

    /**
     * One producer: its publication on every ring, its sequence per ring, and its counts of the last phase.
     */
    private final class Sender
    {
        final int producerId;
        final Publication[] publications = new Publication[peers.length];
        final long[] nextSequence = new long[peers.length];
        final IdleStrategy idle = IdleStrategies.of(idleName);
        long sent;
        long refused;

        Sender(final int producerId)
        {
            this.producerId = producerId;
        }

        void send(final int peer, final long startNs, final long endNs)
        {
            final Publication publication = publications[peer];
            final long first = nextSequence[peer];
            refused = 0;
            final long next = intervalNs != 0 ?
                sendPaced(publication, first, startNs, endNs) : sendFlatOut(publication, first, endNs);
            publication.flush();
            nextSequence[peer] = next;
            sent = next - first;
        }

        private long sendFlatOut(final Publication publication, final long firstSequence, final long endNs)
        {
            final MutableDirectBuffer buffer = publication.buffer();
            final IdleStrategy idle = this.idle;
            long sequence = firstSequence;
            do
            {
                for (int i = 0; i < 256; i++)
                {
                    final int index = publication.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
                    if (index < 0)
                    {
                        publication.flush(); // before the caller would idle: a batching publication commits its batch
                        refused++;
                        idle.idle();
                        continue;
                    }
                    idle.reset();
                    BenchPayload.write(buffer, index, producerId, sequence++, 0);
                    publication.commit(index);
                }
            }
            while (System.nanoTime() - endNs < 0);
            return sequence;
        }

        /**
         * Send on a fixed schedule, each message stamped with its intended send time (a stalled sender cannot hide
         * its stall: no coordinated omission); flush before waiting for the next one.
         */
        private long sendPaced(
            final Publication publication, final long firstSequence, final long startNs, final long endNs)
        {
            final MutableDirectBuffer buffer = publication.buffer();
            long sequence = firstSequence;
            for (long i = 0; ; i++)
            {
                final long intendedNs = startNs + (long)(i * intervalNs);
                if (intendedNs - endNs >= 0)
                {
                    return sequence;
                }
                if (System.nanoTime() - intendedNs < 0)
                {
                    publication.flush();
                    while (System.nanoTime() - intendedNs < 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                int index;
                while ((index = publication.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH)) < 0)
                {
                    publication.flush();
                    refused++;
                    idle.idle();
                }
                idle.reset();
                BenchPayload.write(buffer, index, producerId, sequence++, intendedNs);
                publication.commit(index);
            }
        }
    }

    /**
     * Consumer thread: poll the ring of the producer's current phase; once the producer has ended the phase and
     * every message of it is read, say so and follow the producer to its next phase.
     */
    private void consume()
    {
        final CheckingHandler[] handlers = new CheckingHandler[peers.length];
        for (int p = 0; p < peers.length; p++)
        {
            handlers[p] = new CheckingHandler(peers[p], senders.length, intervalNs != 0 ? latencies[p] : null);
        }
        final IdleStrategy idle = IdleStrategies.of(idleName);
        long drained = NO_PHASE;
        try
        {
            while (running)
            {
                final long phase = producerPhase.get();
                if (phase == drained || phase == NO_PHASE)
                {
                    Thread.onSpinWait();
                    continue;
                }
                final int peer = (int)(phase % peers.length);
                final Subscription subscription = subscriptions[peer];
                final CheckingHandler handler = handlers[peer];
                final long firstOfPhase = handler.received;
                long empty = 0;
                while (running)
                {
                    final int read = subscription.poll(handler, Integer.MAX_VALUE);
                    if (read == 0)
                    {
                        empty++;
                    }
                    idle.idle(read);
                    if (phaseEnded.get() == phase && handler.received - firstOfPhase == phaseSentCount)
                    {
                        break;
                    }
                }
                drained = phase;
                emptyPolls = empty;
                phaseDrained.set(phase);
            }
        }
        catch (final RuntimeException ex)
        {
            consumerError = "consumer failed: " + ex.getMessage();
        }
    }

    private void report(final double[][] rates, final PrintStream out)
    {
        final int cycles = rates[0].length;
        out.printf(Locale.ROOT, "%-22s %12s %12s %12s %14s %22s %16s %16s%n", "peer", "median M/s", "min M/s",
            "max M/s", "paired ratio", "ratio p10..p90", "refused per msg", "empty polls/msg");
        for (int p = 0; p < peers.length; p++)
        {
            final double[] ratios = new double[cycles];
            for (int c = 0; c < cycles; c++)
            {
                ratios[c] = rates[p][c] / rates[0][c];
            }
            final double[] sortedRates = rates[p].clone();
            Arrays.sort(sortedRates);
            Arrays.sort(ratios);
            final double messages = Math.max(1, totals[p][0]);
            out.printf(Locale.ROOT, "%-22s %12.2f %12.2f %12.2f %14.2f %11.2f..%.2f %16.3f %16.3f%n", peers[p],
                percentile(sortedRates, 50) / 1e6, sortedRates[0] / 1e6, sortedRates[cycles - 1] / 1e6,
                percentile(ratios, 50), percentile(ratios, 10), percentile(ratios, 90), totals[p][1] / messages,
                totals[p][2] / messages);
        }
        out.println("paired ratio: the peer's phase rate over " + peers[0] + "'s in the same cycle, median " +
            "over " + cycles + " cycles; refused: claims refused for a full ring (the consumer is the bound), empty " +
            "polls: polls that found nothing (the producer is); load " + loadAverage());
    }

    private void reportLatency(final double[][] medians, final double[][] p99s, final PrintStream out)
    {
        final int cycles = medians[0].length;
        out.printf(Locale.ROOT, "%-22s %12s %16s %12s %16s %18s%n", "peer", "p50 ns", "p50 min..max", "p99 ns",
            "p99 min..max", "paired p50 ratio");
        for (int p = 0; p < peers.length; p++)
        {
            final double[] ratios = new double[cycles];
            for (int c = 0; c < cycles; c++)
            {
                ratios[c] = medians[p][c] / medians[0][c];
            }
            final double[] sortedMedians = medians[p].clone();
            final double[] sortedP99s = p99s[p].clone();
            Arrays.sort(sortedMedians);
            Arrays.sort(sortedP99s);
            Arrays.sort(ratios);
            out.printf(Locale.ROOT, "%-22s %12.0f %16s %12.0f %16s %9.2f (%.2f..%.2f)%n", peers[p],
                percentile(sortedMedians, 50), String.format(Locale.ROOT, "%.0f..%.0f", sortedMedians[0],
                sortedMedians[cycles - 1]), percentile(sortedP99s, 50), String.format(Locale.ROOT, "%.0f..%.0f",
                sortedP99s[0], sortedP99s[cycles - 1]), percentile(ratios, 50), percentile(ratios, 10),
                percentile(ratios, 90));
        }
        out.println("one-way latency from the intended send time, per phase; medians over " + cycles + " cycles; " +
            "paired p50 ratio: the peer's phase p50 over " + peers[0] + "'s in the same cycle; load " + loadAverage());
    }

    private static double percentile(final double[] sorted, final int percent)
    {
        final int index = (int)Math.round((sorted.length - 1) * percent / 100.0);
        return sorted[index];
    }

    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final java.io.IOException ex)
        {
            return "unknown";
        }
    }

    /**
     * Checks every message: its producer one of ours, its sequence one more than that producer's last, the last
     * fill word intact.
     */
    private static final class CheckingHandler implements MessageHandler
    {
        private final RingBenchmark.Peer peer;
        private final Histogram latency;
        private final long[] expected;
        long received;

        CheckingHandler(final RingBenchmark.Peer peer, final int producers, final Histogram latency)
        {
            this.peer = peer;
            this.latency = latency;
            this.expected = new long[producers];
        }

        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final long producerId = BenchPayload.producerId(buffer, index);
            final long sequence = BenchPayload.sequence(buffer, index);
            if (producerId < 0 || producerId >= expected.length || sequence != expected[(int)producerId] ||
                !BenchPayload.isFillIntact(buffer, index) || length != BenchPayload.LENGTH)
            {
                throw new IllegalStateException(peer + ": message out of order or torn: expected a producer 0.." +
                    (expected.length - 1) + " at its next sequence, length " + BenchPayload.LENGTH + ", found " +
                    "producer " + producerId + " sequence " + sequence + " (expected " +
                    (producerId >= 0 && producerId < expected.length ? expected[(int)producerId] : -1) + ") length " +
                    length + (BenchPayload.isFillIntact(buffer, index) ? "" : " with a torn fill"));
            }
            expected[(int)producerId]++;
            received++;
            if (latency != null)
            {
                latency.recordValue(Math.max(0, System.nanoTime() - BenchPayload.timestampNs(buffer, index)));
            }
        }
    }
}
