package io.herz.bench.ring;

import io.herz.aeron.AeronTransportProvider;
import io.herz.bench.peer.AgronaRingTransportProvider;
import io.herz.ipc.process.JvmLauncher;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.TransportUri;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Rings through the transport seam, in one process: every peer is a {@link Publication} and a {@link Subscription}
 * resolved by {@link Transports} from a URI ({@link Peer}), with 64-byte messages written in place
 * ({@link BenchPayload}), on a ring of the same data capacity in a file under {@code /dev/shm}. Herz's {@code shm:}
 * ring (shared producer, exclusive producer, and batch claims of {@value #BATCH_BYTES} bytes) against Agrona's
 * {@code ManyToOneRingBuffer} and {@code OneToOneRingBuffer} (bench-only providers {@code agrona-m2o:} and
 * {@code agrona-o2o:} of {@link AgronaRingTransportProvider}). The peer is the {@code peer} parameter, so all run
 * in the same session.
 * <ul>
 * <li>{@link #roundTrip}: one thread claims, writes, commits, flushes and then reads one message: the uncontended
 * cost of the whole claim/commit/read path in ns/op ({@code flush()} is a no-op except for the batching peer, which
 * then commits a batch per message: its worst case). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the
 * allocation per claim/commit/read, which must be 0 B/op in steady state.</li>
 * <li>{@link #emptyPoll}: one poll of an empty ring, the cost a polling consumer pays between messages (it delays
 * how soon a new message is seen).</li>
 * <li>group {@code throughput}: one producer thread and one consumer thread on the same ring. The {@code received}
 * counter is the consumer's messages per microsecond; {@code sent} and {@code failedClaims} are the producer's
 * successful and back-pressured claims per microsecond. The batching peer commits a batch when the next message
 * does not fit, and flushes whenever a claim is refused (before it would go idle).</li>
 * </ul>
 * Run: {@code java -jar ipc-bench/target/benchmarks.jar RingBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@Fork(value = 3, jvmArgsAppend = {
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE,
    "-Dagrona.disable.bounds.checks=true"})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class RingBenchmark
{
    /** Directory of the ring files; memory-backed. */
    public static final Path DIRECTORY = Path.of("/dev/shm/herz-bench");

    /** Bytes the {@link Peer#HERZ_BATCH} publication claims at once: 4 KiB, 56 messages of 64-byte payload. */
    public static final int BATCH_BYTES = 4096;

    /** Stream id of the first Aeron peer's ring in this JVM. */
    static final int FIRST_AERON_STREAM_ID = 20_001;

    /** Aeron IPC stream ids by ring file (Aeron peers have no file; the name only keys the stream). */
    static final Map<Path, Integer> AERON_STREAM_IDS = new ConcurrentHashMap<>();

    /** Segment and ring-file opens wait at most this long for a file to appear. */
    static final long OPEN_TIMEOUT_MS = 10_000;

    /**
     * The rings compared, each a URI scheme and publication options of the seam.
     */
    public enum Peer
    {
        /** Herz ring, shared producer (a CAS on the tail per claim). */
        HERZ(TransportUri.SHM, false, 0),
        /** Herz ring, exclusive producer: claims without a CAS; one producer only. */
        HERZ_EXCLUSIVE(TransportUri.SHM, true, 0),
        /** Herz ring, shared producer, batch claims of {@link #BATCH_BYTES} ({@code PublicationOptions.batchBytes}). */
        HERZ_BATCH(TransportUri.SHM, false, BATCH_BYTES),
        /** Herz ring, exclusive producer, batch claims of {@link #BATCH_BYTES}: one gate and one tail store a batch. */
        HERZ_EXCLUSIVE_BATCH(TransportUri.SHM, true, BATCH_BYTES),
        /** Agrona {@code ManyToOneRingBuffer} over a mapped file. */
        AGRONA(AgronaRingTransportProvider.ManyToOne.SCHEME, false, 0),
        /** Agrona {@code OneToOneRingBuffer} over a mapped file; one producer only. */
        AGRONA_ONE_TO_ONE(AgronaRingTransportProvider.OneToOne.SCHEME, false, 0),
        /**
         * Aeron IPC ({@code aeron:ipc} through ipc-aeron's provider, a concurrent {@code Publication}), the JVM's
         * embedded media driver; not in the default {@code peer} list (the driver adds threads of its own).
         */
        AERON_IPC(AeronTransportProvider.SCHEME, false, 0),
        /** Aeron IPC with an {@code ExclusivePublication}; one producer only. */
        AERON_IPC_EXCLUSIVE(AeronTransportProvider.SCHEME, true, 0);

        private final String scheme;
        private final boolean exclusive;
        private final int batchBytes;

        Peer(final String scheme, final boolean exclusive, final int batchBytes)
        {
            this.scheme = scheme;
            this.exclusive = exclusive;
            this.batchBytes = batchBytes;
        }

        /**
         * @return true for a ring that takes one producer only (an exclusive publication, Agrona's one-to-one ring).
         */
        public boolean singleProducer()
        {
            return exclusive || this == AGRONA_ONE_TO_ONE;
        }

        /**
         * @param file the ring file.
         * @return the stream's URI.
         */
        public String uri(final Path file)
        {
            if (AeronTransportProvider.SCHEME.equals(scheme))
            {
                // one IPC stream per ring file: the same file gives the same stream id to both ends
                return "aeron:ipc?stream-id=" + AERON_STREAM_IDS.computeIfAbsent(file,
                    ignored -> AERON_STREAM_IDS.size() + FIRST_AERON_STREAM_ID);
            }
            return scheme + ":" + file;
        }

        /**
         * @param producerId application id of the producer.
         * @return how this peer's publication opens an existing ring.
         */
        public PublicationOptions publicationOptions(final int producerId)
        {
            return new PublicationOptions().producerId(producerId).exclusive(exclusive).batchBytes(batchBytes)
                .create(false).segmentConfig(new SegmentConfig().openTimeoutMs(OPEN_TIMEOUT_MS));
        }

        /**
         * @param capacity data capacity in bytes.
         * @return how the subscription creates the ring.
         */
        public SubscriptionOptions subscriptionOptions(final int capacity)
        {
            return new SubscriptionOptions().create(true)
                .segmentConfig(new SegmentConfig().capacity(capacity).openTimeoutMs(OPEN_TIMEOUT_MS));
        }
    }

    /** The ring under test. */
    @Param({"HERZ", "HERZ_EXCLUSIVE", "HERZ_BATCH", "HERZ_EXCLUSIVE_BATCH", "AGRONA", "AGRONA_ONE_TO_ONE"})
    public Peer peer;

    /** Data capacity of every ring in bytes. */
    @Param({"1048576"})
    public int capacity;

    /**
     * One thread's publication and subscription on a fresh ring.
     */
    @State(Scope.Thread)
    public static class RoundTrip
    {
        Path file;
        Subscription subscription;
        Publication publication;
        final SinkHandler handler = new SinkHandler();
        long sequence;

        /**
         * Create the ring (the subscription) and open its publication.
         *
         * @param params the benchmark parameters.
         */
        @Setup(Level.Trial)
        public void setup(final RingBenchmark params)
        {
            file = newRingFile(params.peer, "round-trip");
            subscription = Transports.subscription(params.peer.uri(file), params.peer.subscriptionOptions(
                params.capacity));
            publication = Transports.publication(params.peer.uri(file), params.peer.publicationOptions(0));
        }

        /**
         * Close and delete the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            closeAndDelete(file, publication, subscription);
        }
    }

    /**
     * The ring and its subscription, shared by the threads of one group.
     */
    @State(Scope.Group)
    public static class Shared
    {
        Path file;
        Peer peer;
        Subscription subscription;
        final SinkHandler handler = new SinkHandler();

        /**
         * Create the ring.
         *
         * @param params the benchmark parameters.
         */
        @Setup(Level.Trial)
        public void setup(final RingBenchmark params)
        {
            peer = params.peer;
            file = newRingFile(params.peer, "throughput");
            subscription = Transports.subscription(params.peer.uri(file), params.peer.subscriptionOptions(
                params.capacity));
        }

        /**
         * Close and delete the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            closeAndDelete(file, null, subscription);
        }
    }

    /**
     * One producer thread's publication.
     */
    @State(Scope.Thread)
    public static class ProducerState
    {
        Publication publication;
        long sequence;

        /**
         * Open the publication on the group's ring, on the producing thread.
         *
         * @param shared the group's ring.
         */
        @Setup(Level.Trial)
        public void setup(final Shared shared)
        {
            publication = Transports.publication(shared.peer.uri(shared.file), shared.peer.publicationOptions(0));
        }

        /**
         * Close the publication (a batching one commits its open batch).
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            publication.close();
        }
    }

    /**
     * Producer outcomes, reported per microsecond.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ProducerCounters
    {
        /** Messages committed. */
        public long sent;
        /** Claims refused because the ring was full. */
        public long failedClaims;

        /**
         * Start every iteration from zero.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            sent = 0;
            failedClaims = 0;
        }
    }

    /**
     * Consumer outcome, reported per microsecond.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ConsumerCounters
    {
        /** Messages delivered to the handler. */
        public long received;

        /**
         * Start every iteration from zero.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            received = 0;
        }
    }

    /**
     * Claim, write 64 bytes, commit, then read that one message back, on one thread.
     *
     * @param state the thread's ring.
     * @return the sequence the consumer saw.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long roundTrip(final RoundTrip state)
    {
        final Publication publication = state.publication;
        final int index = publication.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
        if (index < 0)
        {
            throw new IllegalStateException("claim refused on an empty ring: expected an offset, found " + index);
        }
        BenchPayload.write(publication.buffer(), index, 0, state.sequence++, 0);
        publication.commit(index);
        publication.flush();
        readOne(state.subscription, state.handler);
        return state.handler.lastSequence;
    }

    /**
     * Read the one record just committed.
     *
     * @param subscription the ring's subscription.
     * @param handler      gets the record.
     * @throws IllegalStateException if no record was read.
     */
    static void readOne(final Subscription subscription, final MessageHandler handler)
    {
        int count = subscription.poll(handler, 1);
        if (count == 0)
        {
            // a read stops at the end of the data area: after a wrap, the padding there is consumed first and the
            // record sits at offset 0, so read once more (otherwise the consumer falls one record behind per lap)
            count = subscription.poll(handler, 1);
        }
        if (count != 1)
        {
            throw new IllegalStateException("committed record not read: expected 1, found " + count);
        }
    }

    /**
     * Read an empty ring: what an idle consumer's poll costs.
     *
     * @param state the thread's ring, kept empty.
     * @return records delivered, always 0.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int emptyPoll(final RoundTrip state)
    {
        return state.subscription.poll(state.handler, Integer.MAX_VALUE);
    }

    /**
     * Producer thread: one claim attempt; a refused claim counts in {@code failedClaims}.
     *
     * @param state    the thread's producer.
     * @param counters the thread's counters.
     */
    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void produce(final ProducerState state, final ProducerCounters counters)
    {
        final Publication publication = state.publication;
        final int index = publication.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
        if (index < 0)
        {
            publication.flush(); // before the caller would go idle (a batching publication has committed already)
            counters.failedClaims++;
            return;
        }
        BenchPayload.write(publication.buffer(), index, 0, state.sequence++, 0);
        publication.commit(index);
        counters.sent++;
    }

    /**
     * Consumer thread: deliver whatever is committed.
     *
     * @param shared   the group's ring and consumer.
     * @param counters the thread's counters.
     * @return the last sequence seen.
     */
    @Benchmark
    @Group("throughput")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long consume(final Shared shared, final ConsumerCounters counters)
    {
        counters.received += shared.subscription.poll(shared.handler, Integer.MAX_VALUE);
        return shared.handler.lastSequence;
    }

    /**
     * @param peer the transport.
     * @param name what the ring is for.
     * @return a new ring file name in {@link #DIRECTORY}, unique to this process and moment.
     */
    public static Path newRingFile(final Peer peer, final String name)
    {
        return DIRECTORY.resolve(name + "-" + peer.name().toLowerCase() + "-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime() + ".ring");
    }

    /**
     * Close both ends and delete the ring file (if any).
     *
     * @param file         the ring file, or null.
     * @param publication  the publication, or null.
     * @param subscription the subscription, or null.
     */
    public static void closeAndDelete(final Path file, final Publication publication, final Subscription subscription)
    {
        CloseHelper.closeAll(publication, subscription);
        if (file != null)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete ring file " + file, ex);
            }
        }
    }

    /**
     * Keeps the last sequence delivered, so the read's result escapes into the benchmark's return value.
     */
    public static final class SinkHandler implements MessageHandler
    {
        /** The sequence of the last message delivered. */
        public long lastSequence;

        public void onMessage(
            final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            lastSequence = BenchPayload.sequence(buffer, index);
        }
    }
}
