/**
 * Monitoring of Herz rings from outside the processes that use them: {@link io.herz.examples.monitor.SegmentWatcher}
 * (read-only views of a changing set of segments), {@link io.herz.examples.monitor.RingView} (what every monitor
 * shows, with a list of named consumers), {@link io.herz.examples.monitor.HerzMetricsExporter} (Prometheus),
 * {@link io.herz.examples.monitor.StatJson} ({@code herz stat --json}), and, for {@code herz ls} and
 * {@code herz clean}, {@link io.herz.examples.monitor.HerzDirectory}, {@link io.herz.examples.monitor.FileHolders}
 * and {@link io.herz.examples.monitor.HerzCleaner}. Nothing here writes to a segment.
 */
package io.herz.examples.monitor;
