package io.herz.bench.codec;

import io.herz.ipc.process.JvmLauncher;
import io.herz.ipc.transport.shm.ShmPublication;
import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.EventEncoder;
import io.herz.codec.sbe.MessageHeaderEncoder;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
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
 * Cost per Event of publishing through a Herz ring on one thread, in batches of {@value #BATCH} that fit the ring:
 * <ul>
 *     <li>{@code publishAndDrain}: encode and publish each event, then let the consumer release the batch without
 *     decoding it (a no-op handler), so the figure is encode + claim/commit + the ring's read/zeroing;</li>
 *     <li>{@code publishAndDispatch}: the same, but the consumer decodes every event in place through
 *     {@link EventDispatcher} and sinks its fields, so the difference to {@code publishAndDrain} is dispatch +
 *     decode.</li>
 * </ul>
 * Peer ({@code encoding} param): {@code IN_PLACE} is {@link EventPublisher} (encode into the claimed ring space);
 * {@code COPY} encodes into a private buffer and copies it in with {@link RingProducer#offer} (the usual
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
    private Segment segment;
    private RingProducer producer;
    private RingConsumer consumer;
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
        segment = Segment.create(dir.resolve("events.seg"), new SegmentConfig().capacity(64 * 1024));
        producer = new RingProducer(segment, 1);
        consumer = new RingConsumer(segment);
        publisher = new EventPublisher(new ShmPublication(producer), 1);
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
        consumer.close();
        producer.close();
        segment.close();
        segment.unlink();
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
        return producer.offer(EventEncoder.TEMPLATE_ID, scratch, 0, EventPublisher.EVENT_LENGTH) ? 0 : -1;
    }

    private int drain(final MessageHandler handler)
    {
        int total = 0;
        int read;
        do
        {
            read = consumer.read(handler);
            total += read;
        }
        while (total < BATCH && (read > 0 || consumer.lag() > 0));
        return total;
    }
}
