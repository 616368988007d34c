package io.herz.window;

/**
 * Settings of a {@link WindowAggregator}, validated once by {@link #conclude()}.
 * <pre>
 * setting            default      meaning
 * window             (required)   tumbling, sliding or session, see WindowSpec
 * outOfOrdernessNs   0            a producer's watermark trails its highest event time by this much
 * allowedLatenessNs  0            an emitted window still takes events (and re-emits) until watermark &gt;= end + this
 * idleTimeoutNs      disabled     a producer silent this long (processing time) stops holding the watermark back
 * producerCount      0            ends of stream that end the stage; 0 = every producer that published
 * </pre>
 */
public final class AggregatorConfig
{
    /**
     * {@link #idleTimeoutNs(long)} value that never treats a producer as idle.
     */
    public static final long NO_IDLE_TIMEOUT = Long.MAX_VALUE;

    private WindowSpec window;
    private long outOfOrdernessNs;
    private long allowedLatenessNs;
    private long idleTimeoutNs = NO_IDLE_TIMEOUT;
    private int producerCount;
    private boolean concluded;

    /**
     * Set the windows.
     *
     * @param window the window spec.
     * @return this.
     */
    public AggregatorConfig window(final WindowSpec window)
    {
        checkNotConcluded();
        this.window = window;
        return this;
    }

    /**
     * Set the allowed out-of-orderness.
     *
     * @param outOfOrdernessNs non-negative.
     * @return this.
     */
    public AggregatorConfig outOfOrdernessNs(final long outOfOrdernessNs)
    {
        checkNotConcluded();
        this.outOfOrdernessNs = outOfOrdernessNs;
        return this;
    }

    /**
     * Set the allowed lateness.
     *
     * @param allowedLatenessNs non-negative.
     * @return this.
     */
    public AggregatorConfig allowedLatenessNs(final long allowedLatenessNs)
    {
        checkNotConcluded();
        this.allowedLatenessNs = allowedLatenessNs;
        return this;
    }

    /**
     * Set the idle timeout.
     *
     * @param idleTimeoutNs positive, or {@link #NO_IDLE_TIMEOUT}.
     * @return this.
     */
    public AggregatorConfig idleTimeoutNs(final long idleTimeoutNs)
    {
        checkNotConcluded();
        this.idleTimeoutNs = idleTimeoutNs;
        return this;
    }

    /**
     * Set the number of producers whose end of stream ends the stage.
     *
     * @param producerCount positive, or 0 for every producer that published.
     * @return this.
     */
    public AggregatorConfig producerCount(final int producerCount)
    {
        checkNotConcluded();
        this.producerCount = producerCount;
        return this;
    }

    /**
     * Validate the settings; after this they can no longer change.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first invalid setting and its value.
     */
    public AggregatorConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (null == window)
        {
            throw new IllegalArgumentException("window is not set: expected a WindowSpec, found null");
        }
        checkNonNegative("outOfOrdernessNs", outOfOrdernessNs);
        checkNonNegative("allowedLatenessNs", allowedLatenessNs);
        if (idleTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("idleTimeoutNs is not positive: expected > 0, found " + idleTimeoutNs);
        }
        if (producerCount < 0)
        {
            throw new IllegalArgumentException("producerCount is negative: expected >= 0, found " + producerCount);
        }
        concluded = true;

        return this;
    }

    /**
     * The windows.
     *
     * @return the spec.
     */
    public WindowSpec window()
    {
        return window;
    }

    /**
     * The allowed out-of-orderness.
     *
     * @return nanoseconds.
     */
    public long outOfOrdernessNs()
    {
        return outOfOrdernessNs;
    }

    /**
     * The allowed lateness.
     *
     * @return nanoseconds.
     */
    public long allowedLatenessNs()
    {
        return allowedLatenessNs;
    }

    /**
     * The idle timeout.
     *
     * @return nanoseconds, or {@link #NO_IDLE_TIMEOUT}.
     */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /**
     * The number of producers whose end of stream ends the stage.
     *
     * @return the count, 0 for every producer that published.
     */
    public int producerCount()
    {
        return producerCount;
    }

    private void checkNotConcluded()
    {
        if (concluded)
        {
            throw new IllegalStateException("config is concluded: expected changes before conclude(), found a change");
        }
    }

    private static void checkNonNegative(final String name, final long valueNs)
    {
        if (valueNs < 0)
        {
            throw new IllegalArgumentException(name + " is negative: expected >= 0, found " + valueNs);
        }
    }
}
