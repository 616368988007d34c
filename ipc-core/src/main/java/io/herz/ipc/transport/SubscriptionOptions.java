package io.herz.ipc.transport;

import io.herz.ipc.segment.SegmentConfig;

/**
 * How to open a {@link Subscription}. Transports read what applies to them and ignore the rest.
 */
public final class SubscriptionOptions
{
    /** The consumer name used when none is given. */
    public static final String DEFAULT_CONSUMER_NAME = "default";

    private String consumerName = DEFAULT_CONSUMER_NAME;
    private boolean create = true;
    private SegmentConfig segmentConfig = new SegmentConfig();

    /**
     * @param consumerName the name this subscriber consumes under: one live process per name, and a restarted
     *                     process of that name resumes where the last one stopped.
     * @return this.
     */
    public SubscriptionOptions consumerName(final String consumerName)
    {
        if (null == consumerName || consumerName.isEmpty())
        {
            throw new IllegalArgumentException("consumer name: expected a non-empty name, found '" + consumerName + "'");
        }
        this.consumerName = consumerName;
        return this;
    }

    /**
     * @param create true (the default) to create the ring when it does not exist yet: the consumer owns it.
     * @return this.
     */
    public SubscriptionOptions create(final boolean create)
    {
        this.create = create;
        return this;
    }

    /**
     * @param segmentConfig {@code shm:} geometry of a ring this subscription creates, and the open rules.
     * @return this.
     */
    public SubscriptionOptions segmentConfig(final SegmentConfig segmentConfig)
    {
        this.segmentConfig = segmentConfig;
        return this;
    }

    /**
     * @return the consumer name.
     */
    public String consumerName()
    {
        return consumerName;
    }

    /**
     * @return true to create a missing ring.
     */
    public boolean create()
    {
        return create;
    }

    /**
     * @return the {@code shm:} segment settings.
     */
    public SegmentConfig segmentConfig()
    {
        return segmentConfig;
    }
}
