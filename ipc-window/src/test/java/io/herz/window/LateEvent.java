package io.herz.window;

/**
 * One event handed to the late-event sink, as tests compare them.
 */
record LateEvent(int producerId, long eventTimeNs, String key, double value, int droppedWindowCount)
{
}
