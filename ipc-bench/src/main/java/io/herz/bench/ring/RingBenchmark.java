package io.herz.bench.ring;

import io.herz.ipc.process.JvmLauncher;
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
import java.util.concurrent.TimeUnit;

/**
 * Herz's ring ({@code RingProducer}/{@code RingConsumer} over a {@code Segment} in {@code /dev/shm}; shared, and
 * exclusive producer) against Agrona's {@code ManyToOneRingBuffer} and {@code OneToOneRingBuffer} over an {@code UnsafeBuffer} on a mapped file of the same data capacity,
 * in one process, with 64-byte messages written in place ({@link BenchPayload}). The peer is the {@code peer}
 * parameter, so both run in the same session.
 * <ul>
 * <li>{@link #roundTrip}: one thread claims, writes, commits and then reads one message: the uncontended cost of
 * the whole claim/commit/read path in ns/op. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the
 * allocation per claim/commit/read, which must be 0 B/op in steady state.</li>
 * <li>{@link #emptyPoll}: one read of an empty ring, the cost a polling consumer pays between messages (it delays
 * how soon a new message is seen).</li>
 * <li>group {@code throughput}: one producer thread and one consumer thread on the same ring. The {@code received}
 * counter is the consumer's messages per microsecond; {@code sent} and {@code failedClaims} are the producer's
 * successful and back-pressured claims per microsecond.</li>
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
    static final Path DIRECTORY = Path.of("/dev/shm/herz-bench");

    /** The ring under test. */
    @Param({"HERZ", "HERZ_EXCLUSIVE", "AGRONA", "AGRONA_ONE_TO_ONE"})
    public RingPeer peer;

    /** Data capacity of both rings in bytes. */
    @Param({"1048576"})
    public int capacity;

    /**
     * One thread's producer and consumer on a fresh ring.
     */
    @State(Scope.Thread)
    public static class RoundTrip
    {
        BenchRing ring;
        BenchProducer producer;
        MutableDirectBuffer buffer;
        BenchConsumer consumer;
        final SinkHandler handler = new SinkHandler();
        long sequence;

        /**
         * Create the ring.
         *
         * @param params the benchmark parameters.
         */
        @Setup(Level.Trial)
        public void setup(final RingBenchmark params)
        {
            ring = params.peer.create(newRingFile(params.peer, "round-trip"), params.capacity);
            producer = ring.producer(0);
            buffer = producer.buffer();
            consumer = ring.consumer();
        }

        /**
         * Close and delete the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            closeAndDelete(ring, producer, consumer);
        }
    }

    /**
     * The ring and its consumer, shared by the threads of one group.
     */
    @State(Scope.Group)
    public static class Shared
    {
        BenchRing ring;
        BenchConsumer consumer;
        final SinkHandler handler = new SinkHandler();

        /**
         * Create the ring.
         *
         * @param params the benchmark parameters.
         */
        @Setup(Level.Trial)
        public void setup(final RingBenchmark params)
        {
            ring = params.peer.create(newRingFile(params.peer, "throughput"), params.capacity);
            consumer = ring.consumer();
        }

        /**
         * Close and delete the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            closeAndDelete(ring, null, consumer);
        }
    }

    /**
     * One producer thread's producer.
     */
    @State(Scope.Thread)
    public static class ProducerState
    {
        BenchProducer producer;
        MutableDirectBuffer buffer;
        long sequence;

        /**
         * Register the producer on the group's ring, on the producing thread.
         *
         * @param shared the group's ring.
         */
        @Setup(Level.Trial)
        public void setup(final Shared shared)
        {
            producer = shared.ring.producer(0);
            buffer = producer.buffer();
        }

        /**
         * Free the producer.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            producer.close();
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
        final int index = state.producer.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
        if (index < 0)
        {
            throw new IllegalStateException("claim refused on an empty ring: expected an offset, found " + index);
        }
        BenchPayload.write(state.buffer, index, 0, state.sequence++, 0);
        state.producer.commit(index);
        int count = state.consumer.read(state.handler, 1);
        if (count == 0)
        {
            // a read stops at the end of the data area: after a wrap, the padding there is consumed first and the
            // record sits at offset 0, so read once more (otherwise the consumer falls one record behind per lap)
            count = state.consumer.read(state.handler, 1);
        }
        if (count != 1)
        {
            throw new IllegalStateException("committed record not read: expected 1, found " + count);
        }
        return state.handler.lastSequence;
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
        return state.consumer.read(state.handler, Integer.MAX_VALUE);
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
        final BenchProducer producer = state.producer;
        final int index = producer.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
        if (index < 0)
        {
            counters.failedClaims++;
            return;
        }
        BenchPayload.write(state.buffer, index, 0, state.sequence++, 0);
        producer.commit(index);
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
        counters.received += shared.consumer.read(shared.handler, Integer.MAX_VALUE);
        return shared.handler.lastSequence;
    }

    static Path newRingFile(final RingPeer peer, final String name)
    {
        return DIRECTORY.resolve(name + "-" + peer.name().toLowerCase() + "-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime() + ".ring");
    }

    static void closeAndDelete(final BenchRing ring, final BenchProducer producer, final BenchConsumer consumer)
    {
        if (ring == null)
        {
            return;
        }
        if (producer != null)
        {
            producer.close();
        }
        if (consumer != null)
        {
            consumer.close();
        }
        ring.close();
        try
        {
            Files.deleteIfExists(ring.path());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete ring file " + ring.path(), ex);
        }
    }

    /**
     * Keeps the last sequence delivered, so the read's result escapes into the benchmark's return value.
     */
    static final class SinkHandler implements MessageHandler
    {
        long lastSequence;

        public void onMessage(
            final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            lastSequence = BenchPayload.sequence(buffer, index);
        }
    }
}
