package io.herz.ipc.transport;

import io.herz.ipc.segment.SegmentConfig;

/**
 * How to open a {@link Publication}. Transports read what applies to them and ignore the rest.
 */
public final class PublicationOptions
{
    private int producerId = -1;
    private boolean exclusive;
    private boolean create;
    private int batchBytes;
    private SegmentConfig segmentConfig = new SegmentConfig();

    /**
     * @param producerId application-level id of the producer, shown by monitors; -1 for none.
     * @return this.
     */
    public PublicationOptions producerId(final int producerId)
    {
        this.producerId = producerId;
        return this;
    }

    /**
     * @param exclusive true when this publication is the only producer of the stream (a Herz ring then claims
     *                  without a compare-and-set and refuses a second producer).
     * @return this.
     */
    public PublicationOptions exclusive(final boolean exclusive)
    {
        this.exclusive = exclusive;
        return this;
    }

    /**
     * @param create true to create the stream's ring when it does not exist yet (a stage's output); false to wait up
     *               to the open timeout for its consumer to create it (a producer).
     * @return this.
     */
    public PublicationOptions create(final boolean create)
    {
        this.create = create;
        return this;
    }

    /**
     * @param batchBytes 0 (the default) to claim every message on its own; else the bytes to claim at once for
     *                   several messages, headers included, which then follow the batching rules of
     *                   {@link Publication} (visible only at {@link Publication#flush()}, when the batch is full, or
     *                   on close). A Herz ring claims this many bytes, at least 8, or a quarter of its capacity
     *                   when that is less (so a stage can ask for batches without knowing the ring it finds);
     *                   transports that do not batch ignore it.
     * @return this.
     * @throws IllegalArgumentException when negative.
     */
    public PublicationOptions batchBytes(final int batchBytes)
    {
        if (batchBytes < 0)
        {
            throw new IllegalArgumentException("batch bytes: expected 0 (no batching) or more, found " + batchBytes);
        }
        this.batchBytes = batchBytes;
        return this;
    }

    /**
     * @param segmentConfig {@code shm:} geometry of a ring this publication creates, and the open rules (timeout,
     *                      foreign owner).
     * @return this.
     */
    public PublicationOptions segmentConfig(final SegmentConfig segmentConfig)
    {
        this.segmentConfig = segmentConfig;
        return this;
    }

    /**
     * @return the application-level producer id, -1 for none.
     */
    public int producerId()
    {
        return producerId;
    }

    /**
     * @return true for a single-producer stream.
     */
    public boolean exclusive()
    {
        return exclusive;
    }

    /**
     * @return true to create a missing ring.
     */
    public boolean create()
    {
        return create;
    }

    /**
     * @return bytes claimed per batch, 0 for one claim per message.
     */
    public int batchBytes()
    {
        return batchBytes;
    }

    /**
     * @return the {@code shm:} segment settings.
     */
    public SegmentConfig segmentConfig()
    {
        return segmentConfig;
    }
}
