package io.herz.bench.flink;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Projects a JSON line onto (key, event time, value) with Jackson's streaming parser, skipping every other field (no
 * tree is built). A line that is not an object, or lacks a field, or has one of the wrong type (ts: integer
 * milliseconds; key: string; value: number) is counted in the accumulator {@link #BAD_LINES} and dropped; good lines
 * are counted in {@link #EVENTS}.
 */
final class JsonProjection extends RichFlatMapFunction<String, Event>
{
    /** Accumulator name: lines projected into events. */
    static final String EVENTS = "events";
    /** Accumulator name: lines dropped as bad. */
    static final String BAD_LINES = "badLines";
    /** Accumulator name: wall-clock time (epoch ms) of the first line projected by any source. */
    static final String FIRST_EVENT_MS = "firstEventMs";

    private static final long serialVersionUID = 1L;

    private transient JsonFactory factory;
    private transient LongCounter events;
    private transient LongCounter badLines;
    private transient LongMinimum firstEventMs;

    @Override
    public void open(final OpenContext openContext)
    {
        factory = new JsonFactory();
        events = new LongCounter();
        badLines = new LongCounter();
        getRuntimeContext().addAccumulator(EVENTS, events);
        firstEventMs = new LongMinimum();
        getRuntimeContext().addAccumulator(BAD_LINES, badLines);
        getRuntimeContext().addAccumulator(FIRST_EVENT_MS, firstEventMs);
    }

    @Override
    public void flatMap(final String line, final Collector<Event> out)
    {
        final Event event = project(factory, line);
        if (null == event)
        {
            badLines.add(1L);
            return;
        }
        if (0 == events.getLocalValuePrimitive())
        {
            firstEventMs.add(System.currentTimeMillis());
        }
        events.add(1L);
        out.collect(event);
    }

    /**
     * Project one line.
     *
     * @param factory Jackson's parser factory.
     * @param line    the JSON line.
     * @return the event, or null when the line is bad.
     */
    static Event project(final JsonFactory factory, final String line)
    {
        try (JsonParser parser = factory.createParser(line))
        {
            if (JsonToken.START_OBJECT != parser.nextToken())
            {
                return null;
            }
            String key = null;
            long timestampMs = 0;
            boolean hasTimestamp = false;
            double value = 0;
            boolean hasValue = false;
            JsonToken token;
            while (JsonToken.FIELD_NAME == (token = parser.nextToken()))
            {
                final String name = parser.currentName();
                final JsonToken valueToken = parser.nextToken();
                switch (name)
                {
                    case "ts":
                        if (JsonToken.VALUE_NUMBER_INT != valueToken)
                        {
                            return null;
                        }
                        timestampMs = parser.getLongValue();
                        hasTimestamp = true;
                        break;

                    case "key":
                        if (JsonToken.VALUE_STRING != valueToken)
                        {
                            return null;
                        }
                        key = parser.getText();
                        break;

                    case "value":
                        if (JsonToken.VALUE_NUMBER_INT != valueToken && JsonToken.VALUE_NUMBER_FLOAT != valueToken)
                        {
                            return null;
                        }
                        value = parser.getDoubleValue();
                        hasValue = true;
                        break;

                    default:
                        parser.skipChildren();
                        break;
                }
            }
            if (JsonToken.END_OBJECT != token || null == key || !hasTimestamp || !hasValue)
            {
                return null;
            }

            return new Event(key, timestampMs, value);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
