/**
 * The seed's windowed job (JSON lines -> key, value, event time -> event-time windows -> CSV) on Apache Flink's local
 * MiniCluster, as a peer for {@code bin/bench-pipeline} ({@code FLINK=1}): {@link io.herz.bench.flink.FlinkWindowJob}
 * runs it and prints events/s, {@link io.herz.bench.flink.WindowCsvDiff} compares its windows with Herz's CSV.
 * Built only with the root pom's profile {@code -Pflink}.
 */
package io.herz.bench.flink;
