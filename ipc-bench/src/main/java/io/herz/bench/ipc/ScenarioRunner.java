package io.herz.bench.ipc;

import io.herz.aeron.AeronDriverConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one {@link Scenario}: a fresh directory, the consumer JVMs ({@link ConsumerMain}) first (they create the
 * stream; an Aeron row's media driver JVM before them), then the producer JVMs ({@link ProducerMain}), GO to all
 * at once, the consumers' results, then the producers are told to close. Every child is killed and the directory removed whatever happens.
 */
final class ScenarioRunner
{
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final BenchOptions options;
    private final Path logDirectory;

    ScenarioRunner(final BenchOptions options, final Path logDirectory)
    {
        this.options = options;
        this.logDirectory = logDirectory;
    }

    /**
     * @param scenario what to run.
     * @return its result, or a failed result naming what went wrong.
     * @throws InterruptedException if interrupted while waiting for a child.
     */
    ScenarioResult run(final Scenario scenario) throws InterruptedException
    {
        final Path directory = options.directory.resolve(ProcessHandle.current().pid() + "-" + scenario.label());
        final List<ChildProcess> children = new ArrayList<>();
        try
        {
            deleteRecursively(directory);
            Files.createDirectories(directory);
            return start(scenario, directory, children);
        }
        catch (final IOException | RuntimeException ex)
        {
            return ScenarioResult.failed(scenario, ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }
        finally
        {
            for (final ChildProcess child : children)
            {
                child.destroyForcibly();
            }
            deleteRecursively(directory);
        }
    }

    private ScenarioResult start(final Scenario scenario, final Path directory, final List<ChildProcess> children)
        throws IOException, InterruptedException
    {
        final TransportSpec transport = scenario.transport();
        final String uri = transport.uri(directory, freeUdpPort());
        final boolean latency = scenario.mode() == Scenario.Mode.LATENCY;
        final long total = latency ? options.latencyMessages(scenario.rate()) :
            options.throughputMessages(scenario.length());
        final long perProducer = Math.max(2, total / scenario.producers());
        final long warmup = Math.max(1, (long)(perProducer * options.warmupFraction));
        final String capacity = Integer.toString(options.capacity);
        final List<String> jvmFlags = new ArrayList<>(transport.jvmFlags());
        if (transport.aeronDriver())
        {
            final Path aeronDir = directory.resolve("aeron");
            final ChildProcess driver = ChildProcess.start(scenario.label() + "-aeron-driver", logDirectory,
                List.of(), AeronDriverMain.class, List.of("--dir", aeronDir.toString()));
            children.add(driver);
            driver.awaitReady(System.nanoTime() + READY_TIMEOUT_NS);
            jvmFlags.add("-D" + AeronDriverConfig.AERON_DIR_PROP + "=" + aeronDir);
        }

        final List<ChildProcess> consumers = new ArrayList<>();
        for (int c = 0; c < transport.consumers(); c++)
        {
            final List<String> args = new ArrayList<>(List.of("--uri", uri, "--consumer-name", "bench-" + c,
                "--producers", Integer.toString(scenario.producers()), "--messages", Long.toString(perProducer),
                "--length", Integer.toString(scenario.length()), "--warmup", Long.toString(warmup),
                "--idle", options.idle, "--timeout-ms", Long.toString(options.timeoutMs), "--capacity", capacity));
            if (latency)
            {
                args.add("--latency");
            }
            final ChildProcess consumer = ChildProcess.start(scenario.label() + "-consumer-" + c, logDirectory,
                jvmFlags, ConsumerMain.class, args);
            children.add(consumer);
            consumers.add(consumer);
        }
        final long readyDeadlineNs = System.nanoTime() + READY_TIMEOUT_NS;
        for (final ChildProcess consumer : consumers)
        {
            consumer.awaitReady(readyDeadlineNs);
        }

        final List<ChildProcess> producers = new ArrayList<>();
        final long ratePerProducer = latency ? Math.max(1, scenario.rate() / scenario.producers()) : 0;
        for (int id = 0; id < scenario.producers(); id++)
        {
            final List<String> args = new ArrayList<>(List.of("--uri", uri, "--id", Integer.toString(id),
                "--messages", Long.toString(perProducer), "--warmup", Long.toString(warmup),
                "--length", Integer.toString(scenario.length()), "--rate", Long.toString(ratePerProducer),
                "--idle", options.idle, "--capacity", capacity));
            if (transport.exclusive())
            {
                args.add("--exclusive");
            }
            if (transport.batchBytes() > 0)
            {
                args.add("--batch-bytes");
                args.add(Integer.toString(transport.batchBytes()));
            }
            final ChildProcess producer = ChildProcess.start(scenario.label() + "-producer-" + id, logDirectory,
                jvmFlags, ProducerMain.class, args);
            children.add(producer);
            producers.add(producer);
        }
        for (final ChildProcess producer : producers)
        {
            producer.awaitReady(readyDeadlineNs);
        }
        for (final ChildProcess child : children)
        {
            if (consumers.contains(child) || producers.contains(child))
            {
                child.go();
            }
        }

        final long waitMs = options.timeoutMs + TimeUnit.SECONDS.toMillis(30);
        final BenchArgs[] results = new BenchArgs[consumers.size()];
        for (int c = 0; c < consumers.size(); c++)
        {
            results[c] = consumers.get(c).awaitResult(waitMs);
        }
        long backPressured = 0;
        for (final ChildProcess producer : producers)
        {
            producer.closeInput();
            backPressured += producer.awaitResult(waitMs).longValue("backPressured");
        }
        if (transport.aeronDriver())
        {
            final ChildProcess driver = children.get(0);
            driver.closeInput();
            driver.awaitExit(TimeUnit.SECONDS.toMillis(20));
        }
        return ScenarioResult.of(scenario, results, backPressured);
    }

    private static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot find a free UDP port on the loopback", ex);
        }
    }

    private static void deleteRecursively(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove " + directory, ex);
        }
    }
}
