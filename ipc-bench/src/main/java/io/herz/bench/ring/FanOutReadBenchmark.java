package io.herz.bench.ring;

import io.herz.ipc.process.JvmLauncher;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The multi-consumer read (fan-out) in one thread: claim, write 64 bytes, commit, then every one of
 * {@code consumers} named subscriptions of the same ring reads that message, through the transport seam. The cost
 * of one more consumer name per record, and, with {@code -prof gc}, the allocation per record and read (issue 12:
 * 0 B/op in steady state, as {@link RingBenchmark#roundTrip} for one consumer). The producer is held back by the
 * slowest name, so with every name reading each record the ring never fills.
 * <p>
 * Run: {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -jar ipc-bench/target/benchmarks.jar
 * FanOutReadBenchmark -prof gc}.
 */
@State(Scope.Thread)
@Fork(value = 2, jvmArgsAppend = {
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE,
    "-Dagrona.disable.bounds.checks=true"})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class FanOutReadBenchmark
{
    /** Herz's ring with a shared or an exclusive producer. */
    @Param({"HERZ", "HERZ_EXCLUSIVE"})
    public RingBenchmark.Peer peer;

    /** Consumer names on the ring, each reading every record. */
    @Param({"1", "2", "3"})
    public int consumers;

    private Path file;
    private Subscription[] subscriptions;
    private Publication publication;
    private final RingBenchmark.SinkHandler handler = new RingBenchmark.SinkHandler();
    private long sequence;

    /**
     * Create the ring with the first consumer name, join the others, open the publication.
     */
    @Setup(Level.Trial)
    public void setup()
    {
        file = RingBenchmark.newRingFile(peer, "fan-out");
        subscriptions = new Subscription[consumers];
        for (int i = 0; i < consumers; i++)
        {
            subscriptions[i] = Transports.subscription(peer.uri(file),
                peer.subscriptionOptions(1024 * 1024).consumerName("c" + i).create(i == 0));
        }
        publication = Transports.publication(peer.uri(file), peer.publicationOptions(0));
    }

    /**
     * Close every end and delete the ring.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(subscriptions);
        RingBenchmark.closeAndDelete(file, publication, null);
    }

    /**
     * One record published and read by every consumer name.
     *
     * @return the sum of the sequences the consumers saw.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long publishAndReadByEveryConsumer()
    {
        final int index = publication.tryClaim(BenchPayload.TYPE_ID, BenchPayload.LENGTH);
        if (index < 0)
        {
            throw new IllegalStateException("claim refused with every consumer caught up: expected an offset, found " +
                index);
        }
        BenchPayload.write(publication.buffer(), index, 0, sequence++, 0);
        publication.commit(index);
        long seen = 0;
        for (final Subscription subscription : subscriptions)
        {
            RingBenchmark.readOne(subscription, handler);
            seen += handler.lastSequence;
        }
        return seen;
    }
}
