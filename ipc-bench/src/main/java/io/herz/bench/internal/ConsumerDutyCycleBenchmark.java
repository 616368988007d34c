package io.herz.bench.internal;

import io.herz.bench.ring.BenchPayload;
import io.herz.bench.ring.RingBenchmark;
import io.herz.ipc.process.JvmLauncher;
import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What a consumer thread does per duty cycle besides reading (issue 12 item 5), one piece at a time, single-threaded,
 * in ns/op; run with {@code -prof gc} for the allocation per operation.
 * <ul>
 * <li>{@link #emptyPoll} and {@link #pollOne} through the transport seam, for Herz's {@code shm:} ring and Agrona's
 * {@code ManyToOneRingBuffer} ({@code peer} parameter): a poll of an empty ring, and a claim + 64-byte write + commit +
 * poll of that one record.</li>
 * <li>The pieces of Herz's consumer duty cycle, on ipc-core's public API: the clock reads ({@link #nanoTime},
 * {@link #currentTimeMillis}), the heartbeat store ({@link #heartbeatStore}: what {@code RingConsumer} does every
 * 100 ms), the per-batch stores in the consumer's own slot ({@link #positionStores}: position F9 and records consumed),
 * the acquire loads of the stall check ({@link #tailAcquire}, F10) and of the clean position ({@link #cleanAcquire},
 * F19), a liveness probe of another live process ({@link #livenessProbe}: what the stall check asks about a
 * producer slot's process), and an idle producer's heartbeat check ({@link #producerKeepAlive}).</li>
 * <li>{@link #stalledPoll}: a poll of a ring whose next record is claimed and not committed by a live producer of
 * another process (the slot's owner token names this JVM's parent, as the jcstress suites forge it), with a clock
 * that advances 1 ms per poll: every poll is one stall check, i.e. the consumer's cost per millisecond of a stall that
 * a live producer holds (a producer descheduled between claim and commit; on a loaded 2-core machine, several ms per
 * scheduler quantum).</li>
 * </ul>
 * Run: {@code java -jar ipc-bench/target/benchmarks.jar ConsumerDutyCycleBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE,
    "-Dagrona.disable.bounds.checks=true"})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConsumerDutyCycleBenchmark
{
    private static final int CAPACITY = 1024 * 1024;

    /**
     * A publication and a subscription of {@link #peer} on a fresh ring, through the seam.
     */
    @State(Scope.Thread)
    public static class Rings
    {
        /** The ring of {@link #emptyPoll} and {@link #pollOne}. */
        @Param({"HERZ", "AGRONA"})
        public RingBenchmark.Peer peer;

        Path file;
        Subscription subscription;
        Publication publication;
        final RingBenchmark.SinkHandler handler = new RingBenchmark.SinkHandler();
        long sequence;

        /**
         * Create the ring (the subscription) and open its publication.
         */
        @Setup(Level.Trial)
        public void setup()
        {
            file = RingBenchmark.newRingFile(peer, "duty-cycle");
            subscription = Transports.subscription(peer.uri(file), peer.subscriptionOptions(CAPACITY));
            publication = Transports.publication(peer.uri(file), peer.publicationOptions(0));
        }

        /**
         * Close and delete the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            RingBenchmark.closeAndDelete(file, publication, subscription);
        }
    }

    /**
     * A Herz segment with one consumer name whose slot the store and load pieces act on, and the token of another
     * live process (this JVM's parent).
     */
    @State(Scope.Thread)
    public static class Slot
    {
        Path file;
        Segment segment;
        RingConsumer consumer;
        RingProducer producer;
        AtomicBuffer header;
        int heartbeatOffset;
        int positionOffset;
        int recordsConsumedOffset;
        long otherToken;
        long otherNamespace;
        long counter;

        /**
         * Create the segment and attach the consumer.
         */
        @Setup(Level.Trial)
        public void setup()
        {
            file = newFile("slot");
            segment = Segment.create(file, new SegmentConfig().capacity(CAPACITY));
            consumer = new RingConsumer(segment, "duty", RingConsumers.StartPosition.TAIL);
            producer = new RingProducer(segment);
            header = segment.buffer();
            final int slot = SegmentDescriptor.consumerSlotOffset(consumer.slotIndex());
            heartbeatOffset = slot + ConsumerSlotDescriptor.HEARTBEAT_OFFSET;
            positionOffset = slot + ConsumerSlotDescriptor.POSITION_OFFSET;
            recordsConsumedOffset = slot + ConsumerSlotDescriptor.RECORDS_CONSUMED_OFFSET;
            final ProcessIdentity other = otherLiveProcess();
            otherToken = other.token();
            otherNamespace = other.pidNamespace();
        }

        /**
         * Close and delete the segment.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.closeAll(producer, consumer, segment);
            delete(file);
        }
    }

    /**
     * A Herz ring whose next record is claimed, never committed, by a producer slot that names another live process,
     * and a consumer whose clock advances 1 ms per reading: each poll runs the stall check.
     */
    @State(Scope.Thread)
    public static class Stall
    {
        Path file;
        Segment segment;
        RingProducer producer;
        RingConsumer consumer;
        int claimIndex;
        int ownerOffset;
        long ownToken;
        long nowNs;
        final RingBenchmark.SinkHandler handler = new RingBenchmark.SinkHandler();

        /**
         * Create the ring, claim a record and hand the claim's slot to another live process.
         */
        @Setup(Level.Trial)
        public void setup()
        {
            file = newFile("stall");
            segment = Segment.create(file, new SegmentConfig().capacity(CAPACITY));
            final NanoClock clock = () -> nowNs += TimeUnit.MILLISECONDS.toNanos(1);
            consumer = new RingConsumer(segment, "stalled", RingConsumers.StartPosition.TAIL, 0,
                RingConsumer.DEFAULT_UNIDENTIFIED_STALL_TIMEOUT_NS, clock);
            producer = new RingProducer(segment, 0);
            claimIndex = producer.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
            if (claimIndex < 0)
            {
                throw new IllegalStateException("claim refused on an empty ring: " + file);
            }
            ownerOffset = SegmentDescriptor.producerSlotOffset(producer.slotIndex()) +
                ProducerSlotDescriptor.OWNER_TOKEN_OFFSET;
            ownToken = segment.buffer().getLongVolatile(ownerOffset);
            segment.buffer().putLongVolatile(ownerOffset, otherLiveProcess().token());
        }

        /**
         * Check that the live claim was never unblocked, give the slot back, close and delete the ring.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            try
            {
                if (consumer.unblockedRecords() != 0)
                {
                    throw new IllegalStateException("a live producer's claim was unblocked: expected 0, found " +
                        consumer.unblockedRecords() + " ring=" + file);
                }
                segment.buffer().putLongVolatile(ownerOffset, ownToken);
                producer.abort(claimIndex);
            }
            finally
            {
                CloseHelper.closeAll(producer, consumer, segment);
                delete(file);
            }
        }
    }

    /**
     * Poll an empty ring.
     *
     * @param rings the thread's ring.
     * @return records delivered, always 0.
     */
    @Benchmark
    public int emptyPoll(final Rings rings)
    {
        return rings.subscription.poll(rings.handler, Integer.MAX_VALUE);
    }

    /**
     * Claim, write 64 bytes, commit, then poll that one record.
     *
     * @param rings the thread's ring.
     * @return the sequence the consumer saw.
     */
    @Benchmark
    public long pollOne(final Rings rings)
    {
        final Publication publication = rings.publication;
        final int index = publication.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
        if (index < 0)
        {
            throw new IllegalStateException("claim refused on an empty ring: expected an offset, found " + index);
        }
        BenchPayload.write(publication.buffer(), index, 0, rings.sequence++, 0);
        publication.commit(index);
        int count = rings.subscription.poll(rings.handler, 1);
        if (count == 0)
        {
            count = rings.subscription.poll(rings.handler, 1); // after a wrap: the padding first, then the record
        }
        if (count != 1)
        {
            throw new IllegalStateException("committed record not read: expected 1, found " + count);
        }
        return rings.handler.lastSequence;
    }

    /**
     * @return {@link System#nanoTime()}: the stall check's and the heartbeat's clock.
     */
    @Benchmark
    public long nanoTime()
    {
        return System.nanoTime();
    }

    /**
     * @return {@link System#currentTimeMillis()}: the heartbeat's value.
     */
    @Benchmark
    public long currentTimeMillis()
    {
        return System.currentTimeMillis();
    }

    /**
     * The consumer's heartbeat: a release store of the wall clock in its own slot (F17's consumer twin).
     *
     * @param slot the consumer's slot.
     */
    @Benchmark
    public void heartbeatStore(final Slot slot)
    {
        slot.header.putLongRelease(slot.heartbeatOffset, System.currentTimeMillis());
    }

    /**
     * The consumer's per-batch stores in its own slot: position (F9) and records consumed.
     *
     * @param slot the consumer's slot.
     */
    @Benchmark
    public void positionStores(final Slot slot)
    {
        final long value = ++slot.counter;
        slot.header.putLongRelease(slot.positionOffset, value << 6);
        slot.header.putLongRelease(slot.recordsConsumedOffset, value);
    }

    /**
     * The stall check's tail load (F10).
     *
     * @param slot the segment.
     * @return the tail.
     */
    @Benchmark
    public long tailAcquire(final Slot slot)
    {
        return slot.header.getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
    }

    /**
     * The consumer's clean-position load (F19), once per cleaned chunk.
     *
     * @param slot the segment.
     * @return the clean position.
     */
    @Benchmark
    public long cleanAcquire(final Slot slot)
    {
        return slot.header.getLongAcquire(SegmentDescriptor.CLEAN_POSITION_OFFSET);
    }

    /**
     * An idle producer's heartbeat check ({@code Publication.keepAlive()} of a {@code shm:} publication): a clock
     * read, and a heartbeat store once a second.
     *
     * @param slot holds the producer.
     * @return whether a heartbeat was stored (almost never).
     */
    @Benchmark
    public boolean producerKeepAlive(final Slot slot)
    {
        return slot.producer.heartbeatIfDue();
    }

    /**
     * Whether another live process is alive, as the stall check asks it of a producer slot's owner.
     *
     * @param slot holds the other process's token.
     * @return its liveness, always alive.
     */
    @Benchmark
    public ProcessIdentity.Liveness livenessProbe(final Slot slot)
    {
        return ProcessIdentity.liveness(slot.otherToken, slot.otherNamespace);
    }

    /**
     * A poll that finds the next record claimed by a live producer of another process, 1 ms after the previous poll:
     * one stall check.
     *
     * @param stall the stalled ring.
     * @return records delivered, always 0.
     */
    @Benchmark
    public int stalledPoll(final Stall stall)
    {
        return stall.consumer.read(stall.handler, Integer.MAX_VALUE);
    }

    static ProcessIdentity otherLiveProcess()
    {
        final ProcessHandle parent = ProcessHandle.current().parent()
            .orElseThrow(() -> new IllegalStateException("this JVM has no parent process to probe"));
        return ProcessIdentity.of(parent.pid())
            .orElseThrow(() -> new IllegalStateException("parent process " + parent.pid() + " has no /proc entry"));
    }

    static Path newFile(final String name)
    {
        try
        {
            Files.createDirectories(RingBenchmark.DIRECTORY);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + RingBenchmark.DIRECTORY, ex);
        }
        return RingBenchmark.DIRECTORY.resolve("duty-" + name + "-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime() + ".ring");
    }

    static void delete(final Path file)
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
