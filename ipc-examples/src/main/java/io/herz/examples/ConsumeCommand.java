package io.herz.examples;

import io.herz.codec.EventDispatcher;
import io.herz.codec.EventHandler;
import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.ipc.check.SequenceChecker;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.transport.Subscription;
import io.herz.ipc.transport.SubscriptionOptions;
import io.herz.ipc.transport.Transports;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code herz consume}: the consumer of a ring (creating it if missing): prints or verifies Events until
 * {@code --producers} EndOfStream messages have arrived, or until SIGINT/SIGTERM.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Consume Events from a ring (created if missing): print them or verify per-producer sequences.")
public final class ConsumeCommand implements Callable<Integer>, EventHandler
{
    @Option(names = "--ring", required = true, paramLabel = "URI",
        description = "Stream to consume: a ring path (or shm:PATH), aeron:udp?endpoint=HOST:PORT or aeron:ipc.")
    private String ring;

    @Option(names = "--consumer-name", defaultValue = SubscriptionOptions.DEFAULT_CONSUMER_NAME, paramLabel = "NAME",
        description = "Name this consumer reads under (fan-out: one name per reading stage; default: " +
            "${DEFAULT-VALUE}).")
    private String consumerName;

    @Option(names = "--producers", defaultValue = "1",
        description = "EndOfStream messages that end the input (default: ${DEFAULT-VALUE}).")
    private int producers;

    @Option(names = "--capacity", defaultValue = "16m", converter = Converters.Size.class,
        description = "Data capacity when creating the ring, a power of two (default: ${DEFAULT-VALUE}).")
    private long capacity;

    @Option(names = "--print", description = "Print every event.")
    private boolean print;

    @Option(names = "--verify", description = "Verify per-producer sequences; exit 1 on loss, duplicate or disorder.")
    private boolean verify;

    @Option(names = "--idle", defaultValue = "backoff", converter = Converters.Idle.class,
        description = "Idle strategy when there is no input: busy-spin, yielding, backoff, backoff-fast, sleeping " +
            "(default: ${DEFAULT-VALUE}).")
    private String idleName;

    @Option(names = "--ready-file", paramLabel = "FILE",
        description = "Create FILE once the ring is open (deleted at exit); see produce --start-after.")
    private java.nio.file.Path readyFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final SequenceChecker verifier = new SequenceChecker();
    private final StringBuilder keyText = new StringBuilder(EventDecoder.keyLength());
    private PrintStream out;
    private int ended;
    private long events;

    public Integer call()
    {
        if (producers < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--producers out of range: expected at least 1, found " + producers);
        }
        out = System.out;
        final Shutdown shutdown = Shutdown.instance();
        final SegmentConfig config = Converters.segmentConfig(spec, capacity);
        try (Subscription consumer = Transports.subscription(ring,
            Converters.subscriptionOptions(spec, consumerName, config));
            StartGate ready = StartGate.signal(readyFile))
        {
            final EventDispatcher dispatcher = new EventDispatcher(this);
            final StageCounters counters = new StageCounters(consumer, "consume",
                new String[]{ "events", "rejected records", "lost", "duplicated or out of order" },
                new java.util.function.LongSupplier[]{ () -> events, dispatcher::rejectedCount, verifier::lost,
                    verifier::duplicatedOrReordered });
            final IdleStrategy idle = io.herz.ipc.idle.IdleStrategies.of(idleName);
            final long startNs = System.nanoTime();
            while (ended < producers && !shutdown.isRequested())
            {
                idle.idle(consumer.poll(dispatcher, 4096));
                counters.maybePublish(System.nanoTime());
            }
            while (consumer.poll(dispatcher, 4096) > 0)
            {
                idle.reset(); // drain what is committed after a stop request
            }
            counters.publish();
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            out.printf("consumed %,d events in %.2f s (%,.0f/s), %d of %d producers ended%s%n", events, seconds,
                events / seconds, ended, producers, shutdown.isRequested() ? " (stopped by signal)" : "");
            out.println(MemoryReport.line());
            if (dispatcher.rejectedCount() > 0)
            {
                out.println(dispatcher.report());
            }
            if (verify)
            {
                verifier.report().forEach(out::println);
                return verifier.isClean() && dispatcher.rejectedCount() == 0 ? 0 : 1;
            }
            return 0;
        }
    }

    public void onEvent(final EventDecoder decoder)
    {
        events++;
        if (verify)
        {
            verifier.onEvent(decoder.producerId(), decoder.sequence());
        }
        if (print)
        {
            keyText.setLength(0);
            for (int i = 0, n = decoder.keySize(); i < n; i++)
            {
                keyText.append((char)decoder.key(i));
            }
            out.printf("event producer=%d seq=%d timeNs=%d key=%s value=%s%n", decoder.producerId(),
                decoder.sequence(), decoder.eventTimeNs(), keyText, decoder.value());
        }
    }

    public void onEndOfStream(final EndOfStreamDecoder decoder)
    {
        ended++;
        if (verify)
        {
            verifier.onEndOfStream(decoder.producerId(), decoder.lastSequence());
        }
        out.printf("end of stream from producer %d: %,d events%n", decoder.producerId(), decoder.eventCount());
    }
}
