/**
 * {@code herz bench}, the multi-process transport benchmark: {@link io.herz.bench.ipc.BenchMain} starts real
 * producer and consumer JVMs ({@link io.herz.bench.ipc.ProducerMain}, {@link io.herz.bench.ipc.ConsumerMain}) for
 * every transport row ({@link io.herz.bench.ipc.TransportSpec}: Herz's ring, Agrona's rings, a Unix domain socket,
 * Chronicle Queue, Aeron), each resolved by URI through the transport seam, and writes an HTML and a Markdown report.
 * <p>
 * Children talk to the runner over standard streams: each prints {@code READY} when its stream is open, waits for a
 * {@code GO} line on standard input, runs, prints one {@code RESULT key=value ...} line; producers then wait for the
 * runner to close their standard input before they close their publication.
 */
package io.herz.bench.ipc;
