package io.herz.bench.codec;

import io.herz.ipc.process.JvmLauncher;
import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.EventEncoder;
import io.herz.codec.sbe.MessageHeaderEncoder;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Publication;
import io.herz.ipc.transport.PublicationOptions;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.CloseHelper;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost per Event of publishing through a Herz ring on one thread, in batches of {@value #BATCH} that fit the ring,
 * through the transport seam ({@code shm:} {@link Publication} and {@link Subscription} from {@link Transports}):
 * <ul>
 *     <li>{@code publishAndDrain}: encode and publish each event, then let the consumer release the batch without
 *     decoding it (a no-op handler), so the figure is encode + claim/commit + the ring's read/zeroing;</li>
 *     <li>{@code publishAndDispatch}: the same, but the consumer decodes every event in place through
 *     {@link EventDispatcher} and sinks its fields, so the difference to {@code publishAndDrain} is dispatch +
 *     decode.</li>
 * </ul>
 * Peer ({@code encoding} param): {@code IN_PLACE} is {@link EventPublisher} (encode into the claimed ring space);
 * {@code COPY} encodes into a private buffer and copies it in with {@link Publication#offer} (the usual
 * alternative with an intermediate buffer). Allocation per event comes from {@code -prof gc}
 * ({@code gc.alloc.rate.norm}; JMH normalizes it per operation, i.e. per event, as it does the time).
 */
@Fork(value = 3, jvmArgsAppend = {
    "-Dagrona.disable.bounds.checks=true",
    "-Dsbe.enable.precedence.checks=false",
    JvmLauncher.ADD_OPENS, JvmLauncher.ADD_OPENS_VALUE })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class EventPublishBenchmark
{
    /** Events per invocation: 256 x 88-byte records fit a 64 KiB ring with room to spare. */
    public static final int BATCH = 256;

    private static final String[] KEYS = { "cpu.user", "cpu.system", "mem.used", "net.rx.bytes" };

    @Param({ "IN_PLACE", "COPY" })
    public String encoding;

    private Path dir;
    private Path file;
    private Subscription subscription;
    private Publication publication;
    private EventPublisher publisher;
    private EventDispatcher dispatcher;
    private MessageHandler noop;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[EventPublisher.EVENT_LENGTH]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EventEncoder encoder = new EventEncoder();
    private final SystemEpochNanoClock clock = new SystemEpochNanoClock();
    private long sequence;
    private boolean inPlace;

    /**
     * Map a ring under /dev/shm (or the temp directory) and wire producer, consumer and dispatcher.
     *
     * @param blackhole sinks decoded fields.
     * @throws IOException if the directory cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole) throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "herz-bench") :
            Files.createTempDirectory("herz-bench");
        file = dir.resolve("events.seg");
        subscription = Transports.subscription("shm:" + file,
            new SubscriptionOptions().segmentConfig(new SegmentConfig().capacity(64 * 1024)));
        publication = Transports.publication("shm:" + file, new PublicationOptions().producerId(1));
        publisher = new EventPublisher(publication, 1);
        dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEvent(final EventDecoder decoder)
            {
                blackhole.consume(decoder.eventTimeNs());
                blackhole.consume(decoder.publishTimeNs());
                blackhole.consume(decoder.sequence());
                blackhole.consume(decoder.value());
                blackhole.consume(decoder.producerId());
                blackhole.consume(decoder.buffer().getLong(decoder.offset() + EventDecoder.keyEncodingOffset()));
                blackhole.consume(decoder.keySize());
            }
        });
        noop = (typeId, buffer, index, length) -> { };
        inPlace = "IN_PLACE".equals(encoding);
    }

    /**
     * Close and delete the ring.
     *
     * @throws IOException if the files cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        CloseHelper.closeAll(publication, subscription);
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /**
     * Publish a batch, then release it undecoded.
     *
     * @return events delivered, to be sunk by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int publishAndDrain()
    {
        publishBatch();
        return drain(noop);
    }

    /**
     * Publish a batch, then decode every event in place through the dispatcher.
     *
     * @return events delivered, to be sunk by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int publishAndDispatch()
    {
        publishBatch();
        return drain(dispatcher);
    }

    private void publishBatch()
    {
        final String[] keys = KEYS;
        for (int i = 0; i < BATCH; i++)
        {
            final long n = sequence++;
            final String key = keys[i & 3];
            final int result = inPlace ? publisher.publishEvent(n, key, i) : encodeAndOffer(n, key, i);
            if (result < 0)
            {
                throw new IllegalStateException("ring back-pressured in a batch that fits it: found " + result);
            }
        }
    }

    private int encodeAndOffer(final long eventTimeNs, final String key, final double value)
    {
        encoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .eventTimeNs(eventTimeNs)
            .publishTimeNs(clock.nanoTime())
            .sequence(eventTimeNs)
            .value(value)
            .producerId(1)
            .keySize((short)key.length())
            .key(key);
        return publication.offer(EventEncoder.TEMPLATE_ID, scratch, 0, EventPublisher.EVENT_LENGTH);
    }

    private int drain(final MessageHandler handler)
    {
        int total = 0;
        int emptyPolls = 0;
        while (total < BATCH)
        {
            final int read = subscription.poll(handler, Integer.MAX_VALUE);
            total += read;
            // a poll stops at the padding at the end of the data area: the rest comes with the next one
            if (read == 0 && ++emptyPolls > 2)
            {
                throw new IllegalStateException("published events not delivered: expected " + BATCH + ", found " +
                    total);
            }
        }
        return total;
    }
}
