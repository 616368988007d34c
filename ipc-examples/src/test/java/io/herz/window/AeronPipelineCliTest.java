package io.herz.window;

import io.herz.examples.HerzCli;
import io.herz.ipc.test.ChildJvm;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The windowing pipeline of {@link WindowPipelineCliTest} with its input stream on Aeron: two {@code herz produce}
 * JVMs publish into {@code aeron:udp} on loopback (each with its own embedded media driver) or {@code aeron:ipc}
 * (all stages on one {@code herz driver}, named by {@code --aeron-dir}), {@code herz aggregate} windows them into a
 * Herz ring ({@code shm:}) and {@code herz sink} writes CSV. The CSV must hold exactly the rows of the all-{@code shm:}
 * pipeline ({@link ReferenceWindowing}, which {@link WindowPipelineCliTest} holds the all-shm CSV to) for tumbling,
 * sliding and session windows; and also when the aggregator's driver drops 8 % of the packets it receives (Aeron's
 * debug loss generator), where {@code herz stat} must show the NAKs that recovered them.
 */
@Timeout(240)
class AeronPipelineCliTest
{
    static final long WAIT_MS = 120_000;
    private static final String CAPACITY = "1048576";

    private final List<ChildJvm> children = new ArrayList<>();
    private final Path driverBase = Path.of("/dev/shm", "herz-test-aeron-" + ProcessHandle.current().pid() + "-" +
        System.nanoTime());

    @TempDir
    Path dir;

    @AfterEach
    void destroyChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
        IoUtil.delete(driverBase.toFile(), true);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "tumbling:100ms | 5", "sliding:100ms,25ms | 5", "session:8ms | 40" })
    void shouldWriteSameCsvAsShmWhenInputIsAeronUdp(final String window, final int keyCount) throws Exception
    {
        final String in = "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort() + "|stream-id=11";
        final Path csv = runPipeline(List.of(), in, window, keyCount, List.of(), List.of(), List.of());
        assertCsv(csv, window, keyCount);
    }

    /**
     * aeron:ipc: every stage on one {@code herz driver}; the three windowings run at once, three aggregators
     * subscribing to the same stream (each gets all of it), each into its own ring and sink.
     */
    @Test
    void shouldWriteSameCsvAsShmWhenInputIsAeronIpc() throws Exception
    {
        final Path aeronDir = driverBase.resolve("driver");
        final ChildJvm driver = startDriver(aeronDir);
        final List<String> windows = List.of("tumbling:100ms", "sliding:100ms,25ms", "session:8ms");
        final List<Path> csvs = runPipeline(List.of("--aeron-dir", aeronDir.toString()), "aeron:ipc?stream-id=11",
            windows, 40, List.of(), List.of(), List.of());
        for (int i = 0; i < windows.size(); i++)
        {
            assertCsv(csvs.get(i), windows.get(i), 40);
        }
        stopDriver(driver, aeronDir);
    }

    @Test
    void shouldWriteExactCsvWhenAggregatorsDriverLosesEightPercentOfPackets() throws Exception
    {
        final Path aeronDir = driverBase.resolve("lossy");
        final ChildJvm driver = startDriver(aeronDir, "--debug-receive-loss", "0.08", "--debug-loss-seed", "42");
        final String in = "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort() + "|stream-id=12";
        final Path csv = runPipeline(List.of(), in, "tumbling:100ms", 5,
            List.of("--aeron-dir", aeronDir.toString()), List.of(), List.of());
        assertCsv(csv, "tumbling:100ms", 5);

        final ChildJvm stat = herz("stat", List.of(), "--aeron-dir", aeronDir.toString(), "stat", "--once");
        stat.awaitSuccess(WAIT_MS);
        final String text = stat.log();
        final Matcher naks = Pattern.compile("NAKs sent ([0-9,]+)").matcher(text);
        assertTrue(naks.find(), text);
        assertTrue(Long.parseLong(naks.group(1).replace(",", "")) > 0, "no NAKs under 8 % loss:\n" + text);
        assertTrue(text.contains("loss: aeron:udp?endpoint=127.0.0.1:"), text);
        stopDriver(driver, aeronDir);
    }

    /**
     * Two hosts: producers in one network namespace, the aggregator in another, joined by a veth pair with
     * addresses only inside those namespaces; the stream crosses the veth as UDP. The sink stays on the ring in
     * /dev/shm, which namespaces of the network alone share.
     */
    @Test
    void shouldWriteSameCsvWhenProducersAndAggregatorRunOnTwoHosts() throws Exception
    {
        try (TwoHosts hosts = new TwoHosts("z", 200))
        {
            final String hostA = hosts.first;
            final String hostB = hosts.second;
            final String subnet = hosts.subnet;
            final String in = "aeron:udp?endpoint=" + subnet + "2:40200|stream-id=13";
            final Path csv = runPipeline(List.of(), in, "sliding:100ms,25ms", 5, List.of(),
                List.of("ip", "netns", "exec", hostA), List.of("ip", "netns", "exec", hostB));
            assertCsv(csv, "sliding:100ms,25ms", 5);
        }
        finally
        {
            children.forEach(ChildJvm::destroyForcibly);
        }
    }

    /** @return null when {@code ip ARGS} succeeded, else its output. */
    static String ip(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor() == 0 ? null : String.join(" ", command) + ": " + output;
        }
        catch (final java.io.IOException ex)
        {
            return String.join(" ", command) + ": " + ex.getMessage();
        }
    }

    static void must(final String failure)
    {
        if (null != failure)
        {
            throw new AssertionError(failure);
        }
    }

    /**
     * Run sink, aggregator and two producers to the end.
     *
     * @param global        options before the subcommand, for every stage (e.g. --aeron-dir).
     * @param in            the aggregator's input stream.
     * @param aggregatorGlobal options before the subcommand for the aggregator only.
     * @param producerJvm   a command prefix for the producers (e.g. {@code ip netns exec NS}); empty for none.
     * @param aggregatorJvm a command prefix for the aggregator.
     * @return the CSV file.
     */
    Path runPipeline(final List<String> global, final String in, final String window, final int keyCount,
        final List<String> aggregatorGlobal, final List<String> producerJvm, final List<String> aggregatorJvm)
        throws Exception
    {
        return runPipeline(global, in, List.of(window), keyCount, aggregatorGlobal, producerJvm, aggregatorJvm).get(0);
    }

    /**
     * Run one sink and one aggregator per window, all subscribing to {@code in}, and two producers, to the end.
     *
     * @return the CSV files, one per window.
     */
    List<Path> runPipeline(final List<String> global, final String in, final List<String> windows, final int keyCount,
        final List<String> aggregatorGlobal, final List<String> producerJvm, final List<String> aggregatorJvm)
        throws Exception
    {
        final List<Path> csvs = new ArrayList<>();
        final List<ChildJvm> consumers = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++)
        {
            final Path out = dir.resolve("results-" + i + ".ring");
            final Path csv = dir.resolve("results-" + i + ".csv");
            csvs.add(csv);
            consumers.add(herz("sink-" + i, global, "sink", "--ring", out.toString(), "--csv", csv.toString(),
                "--capacity", CAPACITY));
            final List<String> aggregatorOptions = new ArrayList<>(global);
            aggregatorOptions.addAll(aggregatorGlobal);
            aggregatorOptions.addAll(List.of("aggregate", "--in", in, "--out", out.toString(), "--window",
                windows.get(i), "--out-of-orderness", "50ms", "--allowed-lateness", "0s", "--producers", "2",
                "--capacity", CAPACITY));
            consumers.add(0, herz("aggregator-" + i, aggregatorJvm, aggregatorOptions));
        }
        final int dirAt = global.indexOf("--aeron-dir");
        if (dirAt >= 0)
        {
            // Several subscribers of one stream: each must have subscribed before the first publisher connects, or
            // a late one would join at the live position (see README) and miss the first events.
            awaitStageCounters(Path.of(global.get(dirAt + 1)), windows.size());
        }
        final List<ChildJvm> producers = new ArrayList<>();
        for (int producerId = 1; producerId <= 2; producerId++)
        {
            final List<String> args = new ArrayList<>(global);
            args.addAll(List.of("produce", "--ring", in, "--producer-id", Integer.toString(producerId),
                "--json", jsonLines(producerId, keyCount).toString(), "--ts-unit", "ns", "--open-timeout", "60s"));
            producers.add(herz("producer-" + producerId, producerJvm, args));
        }
        for (final ChildJvm producer : producers)
        {
            producer.awaitSuccess(WAIT_MS);
        }
        for (final ChildJvm consumer : consumers)
        {
            consumer.awaitSuccess(WAIT_MS);
        }
        return csvs;
    }

    /** Wait until {@code count} aggregators have made their counters, i.e. have subscribed, in the driver. */
    static void awaitStageCounters(final Path aeronDir, final int count) throws Exception
    {
        final long deadlineMs = System.currentTimeMillis() + WAIT_MS;
        while (true)
        {
            final int[] found = { 0 };
            try (io.herz.aeron.AeronStat stat = new io.herz.aeron.AeronStat(aeronDir.toFile()))
            {
                stat.counters().forEach((counterId, typeId, keyBuffer, label) ->
                {
                    if (io.herz.aeron.AeronSubscription.STAGE_COUNTER_TYPE_ID == typeId &&
                        label.equals("aggregate: events"))
                    {
                        found[0]++;
                    }
                });
            }
            if (found[0] >= count)
            {
                return;
            }
            if (System.currentTimeMillis() > deadlineMs)
            {
                throw new AssertionError("only " + found[0] + " of " + count + " aggregators subscribed in " + aeronDir);
            }
            Thread.sleep(20);
        }
    }

    static void assertCsv(final Path csv, final String window, final int keyCount) throws Exception
    {
        final List<String> expected = WindowPipelineCliTest.expectedRows(window, keyCount);
        final List<String> lines = Files.readAllLines(csv);
        assertEquals(WindowCsv.HEADER, lines.get(0));
        final List<String> rows = lines.subList(1, lines.size());
        WindowPipelineCliTest.assertInOrderOfWindowEnd(rows);
        final List<String> sortedRows = new ArrayList<>(rows);
        sortedRows.sort(null);
        assertEquals(expected, sortedRows);
        assertTrue(expected.size() > 20, "too few windows to mean anything: " + expected.size());
    }

    ChildJvm startDriver(final Path aeronDir, final String... options) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("--aeron-dir", aeronDir.toString(), "driver"));
        args.addAll(List.of(options));
        final ChildJvm driver = herz("driver", args);
        awaitLog(driver, "aeron driver running in");
        return driver;
    }

    static void stopDriver(final ChildJvm driver, final Path aeronDir) throws Exception
    {
        driver.signal("TERM");
        final int code = driver.waitFor(WAIT_MS);
        assertTrue(code == 0 || code == 143, "herz driver on SIGTERM exited with " + code + ":\n" + driver.logTail());
        assertTrue(driver.log().contains("aeron driver stopped"), driver.logTail());
        assertFalse(Files.exists(aeronDir), "herz driver must delete its directory on SIGTERM: " + aeronDir);
    }

    static void awaitLog(final ChildJvm child, final String text) throws Exception
    {
        final long deadlineMs = System.currentTimeMillis() + WAIT_MS;
        while (!child.log().contains(text))
        {
            if (!child.process().isAlive() || System.currentTimeMillis() > deadlineMs)
            {
                throw new AssertionError(child + " never printed '" + text + "':\n" + child.logTail());
            }
            Thread.sleep(20);
        }
    }

    List<String> jvmFlags()
    {
        return List.of("-D" + io.herz.aeron.AeronDriverConfig.BASE_DIR_PROP + "=" + driverBase);
    }

    ChildJvm herz(final String name, final List<String> global, final String... args) throws Exception
    {
        final List<String> all = new ArrayList<>(global);
        all.addAll(List.of(args));
        return herz(name, all);
    }

    ChildJvm herz(final String name, final List<String> args) throws Exception
    {
        return herz(name, List.of(), args);
    }

    ChildJvm herz(final String name, final List<String> prefix, final List<String> args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, prefix, HerzCli.class, jvmFlags(), args.toArray(new String[0]));
        children.add(child);
        return child;
    }

    static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    /** The producer's events as JSON lines, time in epoch nanoseconds (as WindowPipelineCliTest's). */
    Path jsonLines(final int producerId, final int keyCount) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        for (final TestEvents.TestEvent event : TestEvents.generate(producerId, 7,
            WindowPipelineCliTest.EVENTS_PER_PRODUCER, WindowPipelineCliTest.START_NS,
            WindowPipelineCliTest.SPACING_NS, WindowPipelineCliTest.JITTER_NS, keyCount))
        {
            lines.add("{\"ts\":" + event.eventTimeNs() + ",\"key\":\"" + event.key() + "\",\"value\":" +
                event.value() + "}");
        }
        final Path file = dir.resolve("producer-" + producerId + ".jsonl");
        Files.write(file, lines);
        return file;
    }
}
