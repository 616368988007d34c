package io.herz.bench.ring;

import org.agrona.MutableDirectBuffer;

/**
 * The producing side of a ring under benchmark, the same zero-copy shape for every peer: claim, write the payload in
 * place, commit. One instance per producing thread.
 */
public interface BenchProducer extends AutoCloseable
{
    /**
     * Claim space for one record.
     *
     * @param typeId positive record type.
     * @param length payload bytes.
     * @return offset of the payload in {@link #buffer()}, or a negative value when the ring is full.
     */
    int tryClaim(int typeId, int length);

    /**
     * @return the buffer claimed offsets index into.
     */
    MutableDirectBuffer buffer();

    /**
     * Publish the claimed record.
     *
     * @param index the offset {@link #tryClaim(int, int)} returned.
     */
    void commit(int index);

    /**
     * Make everything committed so far deliverable before this producer goes idle. A no-op for rings that claim
     * record by record; a batching producer pads the unused rest of its batch.
     */
    default void flush()
    {
    }

    /**
     * Release what this producer holds (not the ring's mapping).
     */
    void close();
}
