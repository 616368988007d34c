package io.herz.bench.ring;

import org.agrona.concurrent.MessageHandler;

/**
 * The consuming side of a ring under benchmark. One per ring.
 */
public interface BenchConsumer extends AutoCloseable
{
    /**
     * Deliver up to {@code limit} committed records.
     *
     * @param handler gets each record.
     * @param limit   most records to deliver.
     * @return records delivered.
     */
    int read(MessageHandler handler, int limit);

    /**
     * Release what this consumer holds (not the ring's mapping).
     */
    void close();
}
