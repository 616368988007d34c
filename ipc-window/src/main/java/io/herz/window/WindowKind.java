package io.herz.window;

/**
 * The kinds of event-time window, named as in a {@link WindowSpec}.
 */
public enum WindowKind
{
    /**
     * Fixed-size windows that do not overlap, aligned to the epoch: {@code tumbling:SIZE}.
     */
    TUMBLING("tumbling"),

    /**
     * Fixed-size windows starting every slide, aligned to the epoch: {@code sliding:SIZE,SLIDE}.
     */
    SLIDING("sliding"),

    /**
     * Per-key windows of activity separated by a gap of inactivity: {@code session:GAP}.
     */
    SESSION("session");

    private final String specName;

    WindowKind(final String specName)
    {
        this.specName = specName;
    }

    /**
     * The name used in a window spec.
     *
     * @return the lower-case name, e.g. {@code tumbling}.
     */
    public String specName()
    {
        return specName;
    }
}
