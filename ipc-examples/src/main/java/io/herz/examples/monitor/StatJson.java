package io.herz.examples.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code herz stat --json}: one JSON document per sample, on one line, for scripts. Shape:
 * <pre>
 * {"timeMs": epoch ms,
 *  "rings": [{"ring": path, "capacity", "headPosition", "tailPosition", "lagBytes", "unblockedRecords",
 *             "unblockedBytes",
 *             "consumers": [{"name", "pid", "alive", "liveness" (none, alive, dead, foreign_namespace, unknown),
 *                            "position", "lagBytes", "recordsConsumed",
 *                            "recordsPerSecond" (null when unknown), "heartbeatAgeMs" (null when none)}],
 *             "producers": [{"slot", "producerId", "pid", "alive", "liveness", "recordsOffered", "bytesOffered",
 *                            "backPressure", "lostClaims" (null when the layout does not record it),
 *                            "recordsPerSecond", "heartbeatAgeMs"}],
 *             "counters": [{"label", "stage", "name", "value"}]}],
 *  "problems": [{"path", "problem"}]}
 * </pre>
 */
public final class StatJson
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private StatJson()
    {
    }

    /**
     * @param sample   the current sample.
     * @param previous views of the previous sample by path (for rates); may be empty.
     * @return the document, without a trailing newline.
     */
    public static String render(final SegmentWatcher.Sample sample, final Map<String, RingView> previous)
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out))
        {
            json.writeStartObject();
            json.writeNumberField("timeMs", System.currentTimeMillis());
            json.writeArrayFieldStart("rings");
            for (final RingView ring : sample.rings())
            {
                writeRing(json, ring, previous.get(ring.path()));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("problems");
            for (final Map.Entry<Path, String> problem : sample.problems().entrySet())
            {
                json.writeStartObject();
                json.writeStringField("path", problem.getKey().toString());
                json.writeStringField("problem", problem.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot render stat JSON", ex); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeRing(final JsonGenerator json, final RingView ring, final RingView before)
        throws IOException
    {
        json.writeStartObject();
        json.writeStringField("ring", ring.path());
        json.writeNumberField("capacity", ring.capacity());
        json.writeNumberField("headPosition", ring.headPosition());
        json.writeNumberField("tailPosition", ring.tailPosition());
        json.writeNumberField("lagBytes", ring.lagBytes());
        json.writeNumberField("unblockedRecords", ring.unblockedRecords());
        json.writeNumberField("unblockedBytes", ring.unblockedBytes());
        json.writeArrayFieldStart("consumers");
        for (final RingView.ConsumerView consumer : ring.consumers())
        {
            json.writeStartObject();
            json.writeStringField("name", consumer.name());
            json.writeNumberField("pid", consumer.pid());
            json.writeBooleanField("alive", consumer.pid() != 0 && consumer.alive());
            json.writeStringField("liveness", consumer.pid() == 0 ? "none" :
                consumer.liveness().name().toLowerCase(Locale.ROOT));
            json.writeNumberField("position", consumer.position());
            json.writeNumberField("lagBytes", ring.lagBytes(consumer));
            json.writeNumberField("recordsConsumed", consumer.recordsConsumed());
            writeRate(json, ring.recordsPerSecond(before, consumer));
            writeAge(json, ring.ageMs(consumer.heartbeatMs()));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("producers");
        for (final RingView.ProducerView producer : ring.producers())
        {
            json.writeStartObject();
            json.writeNumberField("slot", producer.slot());
            json.writeNumberField("producerId", producer.producerId());
            json.writeNumberField("pid", producer.pid());
            json.writeBooleanField("alive", producer.alive());
            json.writeStringField("liveness", producer.liveness().name().toLowerCase(Locale.ROOT));
            json.writeNumberField("recordsOffered", producer.recordsOffered());
            json.writeNumberField("bytesOffered", producer.bytesOffered());
            json.writeNumberField("backPressure", producer.backPressureCount());
            if (producer.lostClaims() == RingView.NOT_RECORDED)
            {
                json.writeNullField("lostClaims");
            }
            else
            {
                json.writeNumberField("lostClaims", producer.lostClaims());
            }
            writeRate(json, ring.recordsPerSecond(before, producer));
            writeAge(json, ring.ageMs(producer.heartbeatMs()));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("counters");
        for (final RingView.CounterView counter : ring.counters())
        {
            json.writeStartObject();
            json.writeStringField("label", counter.label());
            json.writeStringField("stage", counter.stage());
            json.writeStringField("name", counter.name());
            json.writeNumberField("value", counter.value());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeRate(final JsonGenerator json, final double rate) throws IOException
    {
        if (Double.isNaN(rate))
        {
            json.writeNullField("recordsPerSecond");
        }
        else
        {
            json.writeNumberField("recordsPerSecond", Math.round(rate * 10) / 10.0);
        }
    }

    private static void writeAge(final JsonGenerator json, final long ageMs) throws IOException
    {
        if (ageMs < 0)
        {
            json.writeNullField("heartbeatAgeMs");
        }
        else
        {
            json.writeNumberField("heartbeatAgeMs", ageMs);
        }
    }
}
