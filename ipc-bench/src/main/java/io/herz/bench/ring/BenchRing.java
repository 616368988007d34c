package io.herz.bench.ring;

import java.nio.file.Path;

/**
 * One mapping of a ring file under benchmark. Producers and the consumer made from it share the mapping; another
 * process maps the same file with {@link RingPeer#open(Path)}.
 */
public interface BenchRing extends AutoCloseable
{
    /**
     * @param producerId application id of the producer (shown by monitors where the peer has any).
     * @return a new producer for one thread.
     */
    BenchProducer producer(int producerId);

    /**
     * @return the consumer; at most one per ring.
     */
    BenchConsumer consumer();

    /**
     * @return the file this ring lives in.
     */
    Path path();

    /**
     * Unmap. Does not delete the file.
     */
    void close();
}
