package io.herz.bench.ipc;

import io.herz.bench.ring.RingPeer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Options of {@link IpcBenchMain}, validated once. {@code --smoke} picks a short run (300k messages, 0.2 s of
 * latency, one run) that any later option overrides.
 */
final class IpcBenchOptions
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: IpcBenchMain [--help] [--smoke] [--runs N] [--messages TOTAL] [--rate PER_SECOND] [--duration SECONDS]",
        "                    [--warmup-fraction F] [--producers 1,2] [--peers herz,agrona] [--capacity BYTES]",
        "                    [--idle " + io.herz.ipc.idle.IdleStrategies.NAMES.replace(", ", "|") + "]",
        "                    [--dir DIR] [--log-dir DIR] [--timeout-ms MS]",
        "  --messages        messages per throughput scenario, split evenly over the producers (default 20000000)",
        "  --rate            total paced messages per second in latency scenarios (default 100000)",
        "  --duration        seconds of each latency scenario (default 5)",
        "  --warmup-fraction share of each producer's messages left out of the measurement (default 0.2)",
        "  --runs            repetitions; the peers' order alternates from run to run (default 3)");

    final int runs;
    final long messages;
    final long rate;
    final double durationSeconds;
    final double warmupFraction;
    final List<Integer> producerCounts;
    final List<RingPeer> peers;
    final int capacity;
    final String idle;
    final Path directory;
    final Path logDirectory;
    final long timeoutMs;

    private IpcBenchOptions(final BenchArgs args)
    {
        final boolean smoke = args.has("smoke");
        runs = (int)args.longValue("runs", smoke ? 1 : 3);
        messages = args.longValue("messages", smoke ? 300_000 : 20_000_000);
        rate = args.longValue("rate", 100_000);
        durationSeconds = args.doubleValue("duration", smoke ? 0.2 : 5);
        warmupFraction = args.doubleValue("warmup-fraction", 0.2);
        producerCounts = parseProducerCounts(args.string("producers", "1,2"));
        peers = parsePeers(args.string("peers", "herz,agrona"));
        capacity = (int)args.longValue("capacity", 1024 * 1024);
        idle = args.string("idle", "yielding");
        directory = Path.of(args.string("dir", "/dev/shm/herz-bench")).toAbsolutePath();
        logDirectory = Path.of(args.string("log-dir", "target/ipc-bench-logs")).toAbsolutePath();
        timeoutMs = args.longValue("timeout-ms", 120_000);
        validate();
    }

    /**
     * @param args command line.
     * @return the validated options.
     * @throws IllegalArgumentException naming the bad option.
     */
    static IpcBenchOptions parse(final String[] args)
    {
        return new IpcBenchOptions(BenchArgs.parseOptions(args,
            Set.of("smoke", "runs", "messages", "rate", "duration", "warmup-fraction", "producers", "peers",
                "capacity", "idle", "dir", "log-dir", "timeout-ms"),
            Set.of("smoke")));
    }

    private void validate()
    {
        io.herz.ipc.idle.IdleStrategies.of(idle);
        if (runs < 1)
        {
            throw new IllegalArgumentException("runs must be positive: found " + runs);
        }
        if (rate < 1 || rate > 1_000_000_000L)
        {
            throw new IllegalArgumentException("rate out of range: expected 1..1000000000, found " + rate);
        }
        if (warmupFraction < 0 || warmupFraction >= 1)
        {
            throw new IllegalArgumentException("warmup-fraction out of range: expected 0 <= F < 1, found " +
                warmupFraction);
        }
        for (final int producers : producerCounts)
        {
            if (messages / producers < 2 || latencyMessages() / producers < 2)
            {
                throw new IllegalArgumentException("too few messages: expected at least 2 per producer, found " +
                    "messages=" + messages + " latency messages=" + latencyMessages() + " producers=" + producers);
            }
        }
    }

    /**
     * @return total messages of a latency scenario: rate times duration.
     */
    long latencyMessages()
    {
        return Math.round(rate * durationSeconds);
    }

    private static List<Integer> parseProducerCounts(final String text)
    {
        final List<Integer> counts = new ArrayList<>();
        for (final String part : text.split(","))
        {
            final int count;
            try
            {
                count = Integer.parseInt(part.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("producers is not a list of counts: expected e.g. 1,2, found " +
                    text);
            }
            if (count < 1 || count > 16)
            {
                throw new IllegalArgumentException("producer count out of range: expected 1..16, found " + count);
            }
            counts.add(count);
        }
        return counts;
    }

    private static List<RingPeer> parsePeers(final String text)
    {
        final List<RingPeer> peers = new ArrayList<>();
        for (final String part : text.split(","))
        {
            peers.add(RingPeer.byName(part.trim()));
        }
        return peers;
    }
}
