/**
 * The multi-process ring benchmark: {@link io.herz.bench.ipc.IpcBenchMain} starts real producer JVMs and a consumer
 * JVM (same {@code java} binary and class path) on a Herz segment and, in the same run, on Agrona's
 * {@code ManyToOneRingBuffer} in a mapped file, and prints throughput and one-way latency as a Markdown table.
 * <p>
 * Children talk to the runner over standard streams: each prints {@code READY} when mapped and registered, waits for
 * a {@code GO} line on standard input, runs, prints one {@code RESULT key=value ...} line and exits 0.
 */
package io.herz.bench.ipc;
