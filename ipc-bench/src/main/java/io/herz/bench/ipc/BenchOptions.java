package io.herz.bench.ipc;

import io.herz.ipc.idle.IdleStrategies;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Options of {@code herz bench}, validated once. {@code --quick} picks a run of about 2 minutes on 2 cores (one
 * round, fewer shapes, short latency runs) that any later option overrides.
 */
final class BenchOptions
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: herz bench [--quick] [--rounds N] [--transports all|herz,agrona-m2o,...] [--sizes 64,256,4096]",
        "                  [--latency-sizes 64,256] [--rates 100k,1M,max] [--messages N] [--duration SECONDS]",
        "                  [--max-fraction F] [--warmup-fraction F] [--capacity BYTES] [--idle NAME]",
        "                  [--noise-ms MS] [--dir DIR] [--out DIR] [--timeout-ms MS]",
        "  Every transport runs in its own producer and consumer JVMs, the transports interleaved (A B C A B C).",
        "  --quick           one round; throughput 64 B (1 and 2 producers) and 256 B; latency 64 B; short runs",
        "  --rounds          repetitions, the transports' order rotating each round (default 3, quick 1)",
        "  --transports      rows to run (default all; rows whose transport is missing are skipped, with the reason)",
        "  --sizes           message bytes of the throughput runs (default 64,256,4096; quick 64,256);",
        "                    2 producers run for sizes up to 256 (quick: 64)",
        "  --latency-sizes   message bytes of the latency runs (default 64,256; quick 64)",
        "  --rates           total msg/s of the latency runs; 'max' is --max-fraction of each transport's own",
        "                    1-producer throughput of the first round (default 100k,1M,max)",
        "  --messages        messages of a 64-byte throughput run, scaled by 64/size for larger messages",
        "                    (default 10000000, quick 1000000)",
        "  --duration        seconds of each latency run (default 3, quick 0.5)",
        "  --max-fraction    share of the maximum for the 'max' rate (default 0.7)",
        "  --noise-ms        how long the clock-spinning noise threads run before and after (default 3000, quick 1000)",
        "  --out             report directory (default target/herz-bench/DATE-TIME): report.html, report.md, *.hgrm",
        "  --idle            idle strategy of every producer and consumer (" + IdleStrategies.NAMES +
            "; default yielding)");

    /** Largest size that also runs with 2 producers (quick: 64). */
    static final int MAX_TWO_PRODUCER_LENGTH = 256;

    final boolean quick;
    final int maxTwoProducerLength;
    final int rounds;
    final List<TransportSpec> transports;
    final List<Integer> sizes;
    final List<Integer> latencySizes;
    final List<String> rateNames;
    final long messages;
    final double durationSeconds;
    final double maxFraction;
    final double warmupFraction;
    final int capacity;
    final String idle;
    final long noiseMs;
    final Path directory;
    final Path outDirectory;
    final long timeoutMs;
    final List<String> commandLine;

    private BenchOptions(final BenchArgs args, final String[] commandLine)
    {
        quick = args.has("quick");
        maxTwoProducerLength = quick ? 64 : MAX_TWO_PRODUCER_LENGTH;
        rounds = (int)args.longValue("rounds", quick ? 1 : 3);
        transports = TransportSpec.select(args.string("transports", "all"));
        sizes = parseSizes("sizes", args.string("sizes", quick ? "64,256" : "64,256,4096"));
        latencySizes = parseSizes("latency-sizes", args.string("latency-sizes", quick ? "64" : "64,256"));
        rateNames = List.of(args.string("rates", "100k,1M,max").split(","));
        messages = args.longValue("messages", quick ? 1_000_000 : 10_000_000);
        durationSeconds = args.doubleValue("duration", quick ? 0.5 : 3);
        maxFraction = args.doubleValue("max-fraction", 0.7);
        warmupFraction = args.doubleValue("warmup-fraction", 0.2);
        capacity = (int)args.longValue("capacity", 1 << 20);
        idle = args.string("idle", "yielding");
        noiseMs = args.longValue("noise-ms", quick ? 1000 : 3000);
        directory = Path.of(args.string("dir", "/dev/shm/herz-bench")).toAbsolutePath();
        outDirectory = Path.of(args.string("out", "target/herz-bench/" +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        timeoutMs = args.longValue("timeout-ms", 120_000);
        this.commandLine = List.of(commandLine);
        validate();
    }

    /**
     * @param args command line.
     * @return the validated options.
     * @throws IllegalArgumentException naming the bad option.
     */
    static BenchOptions parse(final String[] args)
    {
        return new BenchOptions(BenchArgs.parseOptions(args,
            Set.of("quick", "rounds", "transports", "sizes", "latency-sizes", "rates", "messages", "duration",
                "max-fraction", "warmup-fraction", "capacity", "idle", "noise-ms", "dir", "out", "timeout-ms"),
            Set.of("quick")), args);
    }

    /**
     * @param name a rate as written: {@code 100k}, {@code 1M}, {@code 250000} or {@code max}.
     * @return messages per second, or 0 for {@code max}.
     * @throws IllegalArgumentException for anything else.
     */
    static long parseRate(final String name)
    {
        final String text = name.trim().toLowerCase(Locale.ROOT);
        if ("max".equals(text))
        {
            return 0;
        }
        final long scale = text.endsWith("k") ? 1_000 : text.endsWith("m") ? 1_000_000 : 1;
        final String digits = scale == 1 ? text : text.substring(0, text.length() - 1);
        try
        {
            final long rate = Math.round(Double.parseDouble(digits) * scale);
            if (rate < 1 || rate > 1_000_000_000L)
            {
                throw new IllegalArgumentException("rate out of range: expected 1..1000000000 msg/s, found " + name);
            }
            return rate;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("rate: expected e.g. 100k, 1M, 250000 or max, found '" + name + "'");
        }
    }

    /**
     * @param length message bytes.
     * @return messages of a throughput run of that size.
     */
    long throughputMessages(final int length)
    {
        return Math.max(1000, messages * 64 / length);
    }

    /**
     * @param rate total msg/s.
     * @return messages of a latency run at that rate.
     */
    long latencyMessages(final long rate)
    {
        return Math.max(100, Math.round(rate * durationSeconds));
    }

    private void validate()
    {
        IdleStrategies.of(idle);
        rateNames.forEach(BenchOptions::parseRate);
        if (rounds < 1)
        {
            throw new IllegalArgumentException("rounds must be positive: found " + rounds);
        }
        if (maxFraction <= 0 || maxFraction > 1)
        {
            throw new IllegalArgumentException("max-fraction out of range: expected 0 < F <= 1, found " + maxFraction);
        }
        if (warmupFraction < 0 || warmupFraction >= 1)
        {
            throw new IllegalArgumentException("warmup-fraction out of range: expected 0 <= F < 1, found " +
                warmupFraction);
        }
        if (durationSeconds <= 0)
        {
            throw new IllegalArgumentException("duration must be positive: found " + durationSeconds);
        }
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity is not a power of two: found " + capacity);
        }
        for (final int size : sizes)
        {
            if (size > capacity / 16)
            {
                throw new IllegalArgumentException("message size too large for the ring: expected at most " +
                    capacity / 16 + " for capacity " + capacity + ", found " + size);
            }
        }
    }

    private static List<Integer> parseSizes(final String option, final String text)
    {
        final List<Integer> sizes = new ArrayList<>();
        for (final String part : text.split(","))
        {
            final int size;
            try
            {
                size = Integer.parseInt(part.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(option + " is not a list of sizes: expected e.g. 64,256, found " +
                    text);
            }
            final String problem = BenchMessage.checkLength(size);
            if (problem != null)
            {
                throw new IllegalArgumentException(option + ": " + problem);
            }
            sizes.add(size);
        }
        return List.copyOf(sizes);
    }
}
