package io.herz.examples.monitor;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prometheus/OpenMetrics exporter of Herz rings, built on the official Prometheus Java client: a
 * {@link MultiCollector} that snapshots every segment of a {@link SegmentWatcher} at scrape time, so values are as
 * fresh as the scrape and rings that appear or disappear between scrapes simply appear or disappear in the output.
 * Reads shared memory only.
 * <p>
 * Embed it in an application's own registry ({@code registry.register(new HerzMetricsExporter(watcher))}) or let it
 * serve {@code /metrics} itself ({@link #serve(SegmentWatcher, String, int)}). Families (labels in braces):
 * <pre>
 * herz_ring_capacity_bytes, herz_ring_head_position_bytes, herz_ring_tail_position_bytes,
 * herz_ring_lag_bytes                                        {ring}                      gauges
 * herz_ring_unblocked_records_total, herz_ring_unblocked_bytes_total {ring}              counters
 * herz_ring_consumers                                        {ring}                      gauge: names registered
 * herz_ring_slowest_consumer (value 1)                       {ring,consumer}             gauge: the consumer
 *                                                                                        holding producers back
 * herz_consumer_position_bytes, herz_consumer_lag_bytes, herz_consumer_alive, herz_consumer_slowest,
 * herz_consumer_drop_after_seconds (0: holds the ring for ever),
 * herz_consumer_heartbeat_age_seconds, herz_consumer_records_per_second {ring,consumer,pid} gauges
 * herz_consumer_records_total                                {ring,consumer,pid}         counter
 * herz_producer_alive, herz_producer_heartbeat_age_seconds,
 * herz_producer_records_per_second                           {ring,producer_id,slot,pid} gauges
 * herz_producer_records_total, herz_producer_bytes_total, herz_producer_back_pressure_total,
 * herz_producer_lost_claims_total                            {ring,producer_id,slot,pid} counters
 * herz_stage_NAME_total                                      {ring,stage}                counters: the named
 *                                                                                        counters "STAGE: NAME"
 * herz_rings                                                 {}                          gauge: rings read
 * herz_ring_read_problems                                    {}                          gauge: files not read
 * </pre>
 * Rates are taken between the current scrape and a reference snapshot that is renewed once it is at least
 * {@link #RATE_REFERENCE_NS} old, so they are meaningful whatever the scrape interval; Prometheus's own
 * {@code rate()} over the {@code _total} counters is the better choice for dashboards.
 */
public final class HerzMetricsExporter implements MultiCollector, AutoCloseable
{
    /** Minimum age of the snapshot a rate is computed against: one second. */
    public static final long RATE_REFERENCE_NS = 1_000_000_000L;

    private final SegmentWatcher watcher;
    private final Map<String, RingView> rateReference = new HashMap<>();
    private HTTPServer server;
    private PrometheusRegistry registry;

    /**
     * @param watcher the segments to export; the exporter samples it at every scrape but does not close it.
     */
    public HerzMetricsExporter(final SegmentWatcher watcher)
    {
        this.watcher = watcher;
    }

    /**
     * Serve the metrics of {@code watcher} on {@code http://host:port/metrics} from a registry of their own.
     *
     * @param watcher the segments to export (not closed by the exporter).
     * @param host    interface to listen on, null or empty for every interface.
     * @param port    TCP port, 0 for any free one (see {@link #port()}).
     * @return the running exporter; {@link #close()} stops the server.
     * @throws UncheckedIOException naming the address and the fix when the port cannot be bound.
     */
    public static HerzMetricsExporter serve(final SegmentWatcher watcher, final String host, final int port)
    {
        final HerzMetricsExporter exporter = new HerzMetricsExporter(watcher);
        final PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(exporter);
        final HTTPServer.Builder builder = HTTPServer.builder().port(port).registry(registry);
        if (host != null && !host.isEmpty())
        {
            builder.hostname(host);
        }
        try
        {
            exporter.server = builder.buildAndStart();
        }
        catch (final BindException ex)
        {
            throw new UncheckedIOException("cannot listen on " + address(host, port) + ": " + ex.getMessage() +
                ": expected a free port on a local interface (choose another with --prometheus HOST:PORT, " +
                "or :0 for any free port)", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serve metrics on " + address(host, port) + ": " + ex, ex);
        }
        exporter.registry = registry;
        return exporter;
    }

    private static String address(final String host, final int port)
    {
        return (host == null ? "" : host) + ":" + port;
    }

    /**
     * @return the port the server listens on, or -1 when it was not started by {@link #serve}.
     */
    public int port()
    {
        return server == null ? -1 : server.getPort();
    }

    /**
     * @return the watched segment files and directories.
     */
    public List<Path> roots()
    {
        return watcher.roots();
    }

    public MetricSnapshots collect()
    {
        final SegmentWatcher.Sample sample = watcher.sample();
        final Families families = new Families();
        final List<RingView> rings = sample.rings();
        for (final RingView ring : rings)
        {
            final RingView before;
            synchronized (rateReference)
            {
                before = rateReference.get(ring.path());
                if (before == null || ring.capturedNs() - before.capturedNs() >= RATE_REFERENCE_NS)
                {
                    rateReference.put(ring.path(), ring);
                }
            }
            addRing(families, ring, before);
        }
        synchronized (rateReference)
        {
            rateReference.keySet().removeIf(path -> rings.stream().noneMatch(ring -> ring.path().equals(path)));
        }
        families.gauge("herz_rings", "Herz rings read in this scrape", Labels.EMPTY, rings.size());
        families.gauge("herz_ring_read_problems", "Watched files that could not be read as Herz segments " +
            "(herz stat prints why)", Labels.EMPTY, sample.problems().size());
        return families.build();
    }

    private static void addRing(final Families families, final RingView ring, final RingView before)
    {
        final Labels labels = Labels.of("ring", ring.path());
        families.gauge("herz_ring_capacity_bytes", "Bytes of the ring's data area", labels, ring.capacity());
        families.gauge("herz_ring_head_position_bytes", "Position of the slowest consumer", labels,
            ring.headPosition());
        families.gauge("herz_ring_tail_position_bytes", "Producers' claim position", labels, ring.tailPosition());
        families.gauge("herz_ring_lag_bytes", "Bytes claimed but not yet released by the slowest consumer", labels,
            ring.lagBytes());
        families.counter("herz_ring_unblocked_records", "Records of dead producers turned into padding", labels,
            ring.unblockedRecords());
        families.counter("herz_ring_unblocked_bytes", "Bytes of records of dead producers turned into padding",
            labels, ring.unblockedBytes());

        families.gauge("herz_ring_consumers", "Consumer names registered on the ring", labels,
            ring.consumers().size());
        final RingView.ConsumerView slowest = ring.slowestConsumer();
        if (slowest != null)
        {
            families.gauge("herz_ring_slowest_consumer", "The consumer with the smallest position, holding the " +
                "producers back (value 1)", Labels.of("ring", ring.path(), "consumer", slowest.name()), 1);
        }
        for (final RingView.ConsumerView consumer : ring.consumers())
        {
            final Labels c = Labels.of("ring", ring.path(), "consumer", consumer.name(), "pid",
                Long.toString(consumer.pid()));
            families.gauge("herz_consumer_slowest", "1 for the consumer holding the producers back, else 0", c,
                consumer == slowest ? 1 : 0);
            families.gauge("herz_consumer_drop_after_seconds", "Opt-in drop timeout of the consumer name, 0 when " +
                "it holds the ring for ever", c, consumer.dropAfterMs() / 1000.0);
            families.gauge("herz_consumer_position_bytes", "Position up to which the consumer has released", c,
                consumer.position());
            families.gauge("herz_consumer_lag_bytes", "Bytes claimed but not yet released by the consumer", c,
                ring.lagBytes(consumer));
            families.gauge("herz_consumer_alive", "1 if a live process holds the consumer, else 0", c,
                consumer.pid() != 0 && consumer.alive() ? 1 : 0);
            families.counter("herz_consumer_records", "Records delivered by the consumer", c,
                consumer.recordsConsumed());
            final long age = ring.ageMs(consumer.heartbeatMs());
            if (age >= 0)
            {
                families.gauge("herz_consumer_heartbeat_age_seconds", "Age of the consumer's last heartbeat", c,
                    age / 1000.0);
            }
            final double rate = ring.recordsPerSecond(before, consumer);
            if (!Double.isNaN(rate))
            {
                families.gauge("herz_consumer_records_per_second", "Records per second delivered by the consumer " +
                    "over the last second or more", c, rate);
            }
        }

        for (final RingView.ProducerView producer : ring.producers())
        {
            final Labels p = Labels.of("ring", ring.path(), "producer_id", Integer.toString(producer.producerId()),
                "slot", Integer.toString(producer.slot()), "pid", Long.toString(producer.pid()));
            families.gauge("herz_producer_alive", "1 if the producer's process runs, else 0", p,
                producer.alive() ? 1 : 0);
            families.counter("herz_producer_records", "Records committed by the producer", p,
                producer.recordsOffered());
            families.counter("herz_producer_bytes", "Payload bytes committed by the producer", p,
                producer.bytesOffered());
            families.counter("herz_producer_back_pressure", "Claims refused for lack of space", p,
                producer.backPressureCount());
            families.counter("herz_producer_lost_claims", "Claims unblocked by a consumer before the producer " +
                "committed them", p, producer.lostClaims());
            final long age = ring.ageMs(producer.heartbeatMs());
            if (age >= 0)
            {
                families.gauge("herz_producer_heartbeat_age_seconds", "Age of the producer's last heartbeat", p,
                    age / 1000.0);
            }
            final double rate = ring.recordsPerSecond(before, producer);
            if (!Double.isNaN(rate))
            {
                families.gauge("herz_producer_records_per_second", "Records per second committed by the producer " +
                    "over the last second or more", p, rate);
            }
        }

        for (final RingView.CounterView counter : ring.counters())
        {
            if (counter.value() >= 0)
            {
                families.counter(stageMetricName(counter.name()), "Stage counter '" + counter.name() + "'",
                    Labels.of("ring", ring.path(), "stage", counter.stage()), counter.value());
            }
        }
    }

    /**
     * @param counterName the name part of a counter label, e.g. "events" of "aggregate: events".
     * @return the metric family name, e.g. {@code herz_stage_events} (exposed as {@code herz_stage_events_total}).
     */
    static String stageMetricName(final String counterName)
    {
        final StringBuilder sb = new StringBuilder("herz_stage_");
        final String lower = counterName.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++)
        {
            final char c = lower.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
        }
        String name = sb.toString();
        while (name.endsWith("_total") || name.endsWith("_created") || name.endsWith("_"))
        {
            name = name.substring(0, name.lastIndexOf('_'));
        }
        return name;
    }

    /**
     * Stop the server if {@link #serve} started one. Idempotent.
     */
    public void close()
    {
        if (server != null)
        {
            server.close();
            server = null;
        }
        if (registry != null)
        {
            registry.unregister(this);
            registry = null;
        }
    }

    /**
     * Data points grouped into families by name, in first-seen order; a repeated label set keeps the last value
     * (two counter labels that differ only in characters a metric name cannot hold).
     */
    private static final class Families
    {
        private final Map<String, Family> families = new LinkedHashMap<>();

        void gauge(final String name, final String help, final Labels labels, final double value)
        {
            families.computeIfAbsent(name, n -> new Family(n, help, false)).points.put(labels, value);
        }

        void counter(final String name, final String help, final Labels labels, final double value)
        {
            final Family family = families.computeIfAbsent(name, n -> new Family(n, help, true));
            if (family.counter)
            {
                family.points.put(labels, value);
            }
        }

        MetricSnapshots build()
        {
            final List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
            for (final Family family : families.values())
            {
                snapshots.add(family.snapshot());
            }
            return new MetricSnapshots(snapshots);
        }
    }

    private static final class Family
    {
        private final String name;
        private final String help;
        private final boolean counter;
        private final Map<Labels, Double> points = new LinkedHashMap<>();

        Family(final String name, final String help, final boolean counter)
        {
            this.name = name;
            this.help = help;
            this.counter = counter;
        }

        MetricSnapshot snapshot()
        {
            if (counter)
            {
                final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
                points.forEach((labels, value) -> builder.dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build()));
                return builder.build();
            }
            final GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            points.forEach((labels, value) -> builder.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
            return builder.build();
        }
    }
}
