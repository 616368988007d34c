/**
 * Bench-only implementations of the transport seam ({@link io.herz.ipc.transport.Publication},
 * {@link io.herz.ipc.transport.Subscription}) for the peers Herz is compared with, each a
 * {@link io.herz.ipc.transport.TransportProvider} found through {@code META-INF/services}, so that the harness
 * resolves every row, Herz's {@code shm:} ring included, through {@link io.herz.ipc.transport.Transports}:
 * <ul>
 *     <li>{@code agrona-m2o:PATH}, {@code agrona-o2o:PATH}: Agrona's {@code ManyToOneRingBuffer} and
 *     {@code OneToOneRingBuffer} over a memory-mapped file;</li>
 *     <li>{@code uds:PATH}: a Unix domain socket ({@code java.nio}), length-prefixed frames, batched writes;</li>
 *     <li>{@code chronicle:DIR}: a Chronicle Queue, an appender per publication and a tailer per subscription.</li>
 * </ul>
 * None of them is a product transport: they exist so the benchmark drives every peer through one abstraction.
 */
package io.herz.bench.peer;
