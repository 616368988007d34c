package io.herz.bench.ring;

import org.agrona.concurrent.NanoClock;

/**
 * EXPERIMENTAL prototype of a cheaper empty poll for {@code RingConsumer}: the consumer reads its clock on every
 * read that finds nothing (heartbeat and stall detection), and {@code System.nanoTime()} costs tens of
 * nanoseconds on this kind of virtual machine, several times the rest of an empty poll. Handed to the consumer's
 * public {@code NanoClock} constructor, this clock reads the system clock only on every
 * {@value #SAMPLE_INTERVAL}th call and repeats the last value in between: what a consumer that checks the time
 * every N empty polls would do. Stall detection works in milliseconds, so a value at most
 * {@value #SAMPLE_INTERVAL} polls old changes nothing there.
 * <p>
 * One thread only (the consumer's).
 */
public final class SampledNanoClock implements NanoClock
{
    /** Calls per real clock read; a power of two. */
    public static final int SAMPLE_INTERVAL = 1024;

    private long calls;
    private long lastNs = System.nanoTime();

    /**
     * @return the system time of the latest sample.
     */
    public long nanoTime()
    {
        if ((++calls & (SAMPLE_INTERVAL - 1)) == 0)
        {
            lastNs = System.nanoTime();
        }
        return lastNs;
    }
}
