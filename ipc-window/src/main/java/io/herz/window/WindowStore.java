package io.herz.window;

/**
 * The window state of one window kind: assigns events, emits results as the watermark advances.
 */
interface WindowStore
{
    /**
     * Add an event to its windows, emitting at once any window the watermark has already passed (a late update
     * or a late window's first result).
     *
     * @param keyId       the key's id.
     * @param eventTimeNs the event time.
     * @param value       the value.
     * @param watermarkNs the stage's watermark when the event arrived.
     * @return the number of windows the event was dropped from as too late.
     */
    int onEvent(int keyId, long eventTimeNs, double value, long watermarkNs);

    /**
     * Emit every window whose end the watermark has reached, in order of window end, and drop the state of
     * windows whose end plus the allowed lateness it has reached.
     *
     * @param watermarkNs the new watermark.
     * @return the number of results emitted.
     */
    int advanceTo(long watermarkNs);

    /**
     * The number of windows (per key) holding state.
     *
     * @return the count.
     */
    int openWindowCount();
}
