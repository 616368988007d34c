package io.herz.bench.ipc;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code herz bench}: every transport in one run, each in its own producer and consumer JVMs, through the transport
 * seam ({@link io.herz.ipc.transport.Transports}), repeated and interleaved (for each shape the transports run one
 * after the other, and the order rotates each round, so a slow phase of a noisy machine spreads over all of them):
 * <ol>
 *     <li>a machine-noise baseline ({@link NoiseBaseline});</li>
 *     <li>throughput at each message size, 1 and 2 producer processes, every message checked for loss and order;</li>
 *     <li>latency at fixed rates (and one near each transport's own maximum), from the intended send time of a
 *     fixed schedule and from the send stamp;</li>
 *     <li>the noise baseline again;</li>
 *     <li>the reports: {@code report.html} (self-contained, inline SVG), {@code report.md}, one {@code .hgrm} per
 *     latency run and noise baseline, and the children's logs.</li>
 * </ol>
 * Exits 0 if every message of every scenario was checked and found correct, 1 if not, 2 for bad options.
 */
public final class BenchMain
{
    private final BenchOptions options;
    private final PrintStream out;
    private final ScenarioRunner runner;
    private final BenchSession session;

    private BenchMain(final BenchOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        this.runner = new ScenarioRunner(options, options.outDirectory.resolve("logs"));
        this.session = new BenchSession(options, MachineInfo.now());
    }

    /**
     * @param args see {@link BenchOptions#USAGE}.
     * @throws Exception if the reports cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        if (List.of(args).contains("--help"))
        {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        final BenchOptions options;
        try
        {
            options = BenchOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("herz bench: " + ex.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        final BenchSession session = run(options, System.out);
        System.exit(session.allChecked() ? 0 : 1);
    }

    /**
     * Run everything, print progress and the Markdown report to {@code out}, write the report directory.
     *
     * @param options the validated options.
     * @param out     where to print.
     * @return the session.
     * @throws IOException          if the reports cannot be written.
     * @throws InterruptedException if interrupted.
     */
    static BenchSession run(final BenchOptions options, final PrintStream out) throws IOException, InterruptedException
    {
        return new BenchMain(options, out).runAll();
    }

    private BenchSession runAll() throws IOException, InterruptedException
    {
        Files.createDirectories(options.outDirectory);
        out.println("herz bench: " + session.machine.title());
        out.println("herz bench: " + session.machine.uptime() + "; report in " + options.outDirectory);
        for (final TransportSpec transport : options.transports)
        {
            final String reason = transport.unavailableReason();
            if (reason == null)
            {
                session.transports.add(transport);
            }
            else
            {
                session.skipped.put(transport.name(), reason);
                out.println("herz bench: skipping " + transport.name() + ": " + reason);
            }
        }
        planShapes();

        final int noiseThreads = Runtime.getRuntime().availableProcessors();
        session.noiseBefore = NoiseBaseline.measure(noiseThreads, options.noiseMs);
        out.println("herz bench: noise before: " + noiseLine(session.noiseBefore));

        for (int round = 0; round < options.rounds; round++)
        {
            final List<TransportSpec> order = rotate(session.transports, round);
            for (final BenchSession.Shape shape : session.throughputShapes)
            {
                for (final TransportSpec transport : order)
                {
                    if (shape.producers() <= transport.maxProducers())
                    {
                        runOne(new Scenario(transport, shape.mode(), shape.length(), shape.producers(), 0, "",
                            round));
                    }
                }
            }
            if (round == 0)
            {
                pickMaxRates();
            }
            for (final BenchSession.Shape shape : session.latencyShapes)
            {
                for (final TransportSpec transport : order)
                {
                    final long rate = rate(transport, shape);
                    if (rate > 0)
                    {
                        runOne(new Scenario(transport, shape.mode(), shape.length(), shape.producers(), rate,
                            shape.rateName(), round));
                    }
                }
            }
        }

        session.noiseAfter = NoiseBaseline.measure(noiseThreads, options.noiseMs);
        out.println("herz bench: noise after: " + noiseLine(session.noiseAfter));
        session.loadAfter = MachineInfo.loadAverage();
        session.finishedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        writeReports();
        return session;
    }

    private void planShapes()
    {
        for (final int length : options.sizes)
        {
            session.throughputShapes.add(new BenchSession.Shape(Scenario.Mode.THROUGHPUT, length, 1, ""));
            if (length <= options.maxTwoProducerLength)
            {
                session.throughputShapes.add(new BenchSession.Shape(Scenario.Mode.THROUGHPUT, length, 2, ""));
            }
        }
        for (final String rateName : options.rateNames)
        {
            for (final int length : options.latencySizes)
            {
                session.latencyShapes.add(new BenchSession.Shape(Scenario.Mode.LATENCY, length, 1, rateName.trim()));
            }
        }
    }

    /**
     * 'max': the chosen share of the transport's own 1-producer throughput of the first round at the same size (or
     * the smallest size measured).
     */
    private void pickMaxRates()
    {
        for (final TransportSpec transport : session.transports)
        {
            for (final int length : options.latencySizes)
            {
                double[] throughputs = session.throughputs(transport,
                    new BenchSession.Shape(Scenario.Mode.THROUGHPUT, length, 1, ""));
                if (throughputs.length == 0 && !options.sizes.isEmpty())
                {
                    throughputs = session.throughputs(transport,
                        new BenchSession.Shape(Scenario.Mode.THROUGHPUT, options.sizes.get(0), 1, ""));
                }
                if (throughputs.length > 0)
                {
                    final long rate = Math.max(1000, (long)(BenchSession.median(throughputs) * options.maxFraction));
                    session.maxRates.put(transport.name() + "/" + length, rate);
                }
                else
                {
                    out.println("herz bench: no 'max' rate for " + transport.name() + " at " + length +
                        " B: its throughput run produced no result");
                }
            }
        }
    }

    private long rate(final TransportSpec transport, final BenchSession.Shape shape)
    {
        final long rate = BenchOptions.parseRate(shape.rateName());
        if (rate > 0)
        {
            return rate;
        }
        return session.maxRates.getOrDefault(transport.name() + "/" + shape.length(), 0L);
    }

    private void runOne(final Scenario scenario) throws InterruptedException, IOException
    {
        final ScenarioResult result = runner.run(scenario);
        session.results.add(result);
        out.println("    " + result);
        if (result.failure == null && scenario.mode() == Scenario.Mode.LATENCY)
        {
            final Path hgrm = options.outDirectory.resolve("hgrm");
            Histograms.writeHgrm(result.fromIntended, hgrm.resolve(scenario.label() + "-from-intended.hgrm"));
            Histograms.writeHgrm(result.fromStamp, hgrm.resolve(scenario.label() + "-from-stamp.hgrm"));
        }
    }

    private void writeReports() throws IOException
    {
        final Path hgrm = options.outDirectory.resolve("hgrm");
        Histograms.writeHgrm(session.noiseBefore, hgrm.resolve("noise-before.hgrm"));
        Histograms.writeHgrm(session.noiseAfter, hgrm.resolve("noise-after.hgrm"));
        final String markdown = MarkdownReport.render(session);
        Files.writeString(options.outDirectory.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        Files.writeString(options.outDirectory.resolve("report.html"), HtmlReport.render(session),
            StandardCharsets.UTF_8);
        out.println();
        out.println(markdown);
        out.println("herz bench: every message checked (producer id, per-producer sequence, length, payload): " +
            (session.allChecked() ? "yes, no errors" : "NO: see the lines above") + ", " + session.results.size() +
            " scenarios; report " + options.outDirectory.resolve("report.html"));
    }

    private static String noiseLine(final Histogram noise)
    {
        return String.format("clock-spin gaps p50 %.2f us, p99 %.2f us, p99.9 %.1f us, max %.1f us over %,d reads",
            noise.getValueAtPercentile(50) / 1e3, noise.getValueAtPercentile(99) / 1e3,
            noise.getValueAtPercentile(99.9) / 1e3, noise.getMaxValue() / 1e3, noise.getTotalCount());
    }

    private static List<TransportSpec> rotate(final List<TransportSpec> transports, final int round)
    {
        final List<TransportSpec> order = new ArrayList<>();
        for (int i = 0; i < transports.size(); i++)
        {
            order.add(transports.get((i + round) % transports.size()));
        }
        return order;
    }
}
