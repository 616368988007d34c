package io.herz.bench.codec;

import io.herz.ipc.process.JvmLauncher;
import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.EventPublisher;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.EventEncoder;
import io.herz.codec.sbe.MessageHeaderDecoder;
import io.herz.codec.sbe.MessageHeaderEncoder;
import org.agrona.BufferUtil;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Cost per Event of dispatch + in-place decode, without the ring: {@value #BATCH} encoded events laid out as in a
 * ring (88-byte records in a direct buffer) are handed one by one to
 * <ul>
 *     <li>{@code DISPATCHER}: {@link EventDispatcher#onMessage}, which checks length, schema, template, type id,
 *     version, block length and key size, then calls the handler with the decoder wrapped in place;</li>
 *     <li>{@code RAW_DECODER} (peer): SBE's generated header and event decoders wrapped directly, no checks, the
 *     floor for any SBE consumer.</li>
 * </ul>
 * Both read every field into a {@link Blackhole}. Allocation from {@code -prof gc} ({@code gc.alloc.rate.norm}) is
 * normalized per event, as the time is.
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
public class EventDispatchBenchmark
{
    /** Events per invocation. */
    public static final int BATCH = 256;
    private static final int STRIDE = 88;
    private static final int RECORD_HEADER = 8;

    @Param({ "DISPATCHER", "RAW_DECODER" })
    public String decoding;

    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BATCH * STRIDE, 64));
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EventDecoder eventDecoder = new EventDecoder();
    private EventDispatcher dispatcher;
    private Blackhole blackhole;
    private boolean raw;

    /**
     * Encode the events once.
     *
     * @param blackhole sinks decoded fields.
     */
    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        this.blackhole = blackhole;
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final EventEncoder encoder = new EventEncoder();
        for (int i = 0; i < BATCH; i++)
        {
            encoder.wrapAndApplyHeader(buffer, i * STRIDE + RECORD_HEADER, headerEncoder)
                .eventTimeNs(1_700_000_000_000_000_000L + i)
                .publishTimeNs(1_700_000_000_000_000_000L + i)
                .sequence(i)
                .value(i * 0.5)
                .producerId(1)
                .keySize((short)8)
                .key("cpu.user");
        }
        dispatcher = new EventDispatcher(new EventHandler()
        {
            public void onEvent(final EventDecoder decoder)
            {
                consume(decoder);
            }
        });
        raw = "RAW_DECODER".equals(decoding);
    }

    /**
     * Decode a batch.
     *
     * @return events dispatched, sunk by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decode()
    {
        final UnsafeBuffer buffer = this.buffer;
        if (raw)
        {
            for (int i = 0; i < BATCH; i++)
            {
                final int index = i * STRIDE + RECORD_HEADER;
                headerDecoder.wrap(buffer, index);
                consume(eventDecoder.wrap(buffer, index + MessageHeaderDecoder.ENCODED_LENGTH,
                    headerDecoder.blockLength(), headerDecoder.version()));
            }
            return BATCH;
        }
        for (int i = 0; i < BATCH; i++)
        {
            dispatcher.onMessage(EventEncoder.TEMPLATE_ID, buffer, i * STRIDE + RECORD_HEADER,
                EventPublisher.EVENT_LENGTH);
        }
        return dispatcher.dispatchedCount();
    }

    private void consume(final EventDecoder decoder)
    {
        final Blackhole blackhole = this.blackhole;
        blackhole.consume(decoder.eventTimeNs());
        blackhole.consume(decoder.publishTimeNs());
        blackhole.consume(decoder.sequence());
        blackhole.consume(decoder.value());
        blackhole.consume(decoder.producerId());
        blackhole.consume(decoder.buffer().getLong(decoder.offset() + EventDecoder.keyEncodingOffset()));
        blackhole.consume(decoder.keySize());
    }
}
