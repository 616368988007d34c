package io.herz.examples.monitor;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonWriter;
import com.dslplatform.json.NumberConverter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code herz stat --json}: one JSON document per sample, on one line, for scripts. Shape:
 * <pre>
 * {"timeMs": epoch ms,
 *  "rings": [{"ring": path, "capacity", "headPosition", "tailPosition", "lagBytes", "unblockedRecords",
 *             "unblockedBytes", "slowestConsumer" (name of the consumer holding the producers back, null when
 *             none is registered),
 *             "consumers": [{"name", "pid", "alive", "liveness" (none, alive, dead, foreign_namespace, unknown),
 *                            "position", "lagBytes", "recordsConsumed", "slowest" (true for slowestConsumer),
 *                            "dropAfterMs" (0: holds the ring for ever),
 *                            "recordsPerSecond" (null when unknown), "heartbeatAgeMs" (null when none)}],
 *             "producers": [{"slot", "producerId", "pid", "alive", "liveness", "recordsOffered", "bytesOffered",
 *                            "backPressure", "lostClaims",
 *                            "recordsPerSecond", "heartbeatAgeMs"}],
 *             "counters": [{"label", "stage", "name", "value"}]}],
 *  "problems": [{"path", "problem"}]}
 * </pre>
 */
public final class StatJson
{
    private static final DslJson<Object> DSL_JSON = new DslJson<>();

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
        final Json json = new Json(DSL_JSON.newWriter());
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
        return json.toString();
    }

    private static void writeRing(final Json json, final RingView ring, final RingView before)
    {
        json.writeStartObject();
        final RingView.ConsumerView slowest = writeRingFields(json, ring, true);
        writeConsumers(json, ring, before, slowest);
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
            json.writeNumberField("lostClaims", producer.lostClaims());
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

    /**
     * {@code herz consumers --json}: one ring's consumer names as one JSON document, on one line, with the fields of
     * the text listing and of the {@code "consumers"} array of {@link #render}:
     * <pre>
     * {"ring": path, "capacity", "headPosition", "tailPosition", "lagBytes" (of the slowest), "slowestConsumer"
     *  (null when none is registered), "consumers": [{"name", "pid" (0 when detached), "alive", "liveness"
     *  (none, alive, dead, foreign_namespace, unknown), "position", "lagBytes", "recordsConsumed", "slowest",
     *  "dropAfterMs" (0: holds the ring for ever), "recordsPerSecond" (always null: one sample),
     *  "heartbeatAgeMs" (null when none)}]}
     * </pre>
     *
     * @param ring the ring's view.
     * @return the document, without a trailing newline.
     */
    public static String renderConsumers(final RingView ring)
    {
        final Json json = new Json(DSL_JSON.newWriter());
        json.writeStartObject();
        final RingView.ConsumerView slowest = writeRingFields(json, ring, false);
        writeConsumers(json, ring, null, slowest);
        json.writeEndObject();
        return json.toString();
    }

    /**
     * The ring's own fields, shared by {@code herz stat --json} and {@code herz consumers --json}.
     *
     * @param unblocked whether to write the unblocked-record counters too ({@code herz stat}).
     * @return the slowest consumer, or null when none.
     */
    private static RingView.ConsumerView writeRingFields(final Json json, final RingView ring, final boolean unblocked)
    {
        json.writeStringField("ring", ring.path());
        json.writeNumberField("capacity", ring.capacity());
        json.writeNumberField("headPosition", ring.headPosition());
        json.writeNumberField("tailPosition", ring.tailPosition());
        json.writeNumberField("lagBytes", ring.lagBytes());
        if (unblocked)
        {
            json.writeNumberField("unblockedRecords", ring.unblockedRecords());
            json.writeNumberField("unblockedBytes", ring.unblockedBytes());
        }
        final RingView.ConsumerView slowest = ring.slowestConsumer();
        if (slowest == null)
        {
            json.writeNullField("slowestConsumer");
        }
        else
        {
            json.writeStringField("slowestConsumer", slowest.name());
        }
        return slowest;
    }

    private static void writeConsumers(
        final Json json, final RingView ring, final RingView before, final RingView.ConsumerView slowest)
    {
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
            json.writeBooleanField("slowest", consumer == slowest);
            json.writeNumberField("dropAfterMs", consumer.dropAfterMs());
            writeRate(json, ring.recordsPerSecond(before, consumer));
            writeAge(json, ring.ageMs(consumer.heartbeatMs()));
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeRate(final Json json, final double rate)
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

    private static void writeAge(final Json json, final long ageMs)
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

    /**
     * A streaming writer over DSL-JSON's {@link JsonWriter} (already on the class path for JSON ingestion), with the
     * comma bookkeeping of nested objects and arrays.
     */
    private static final class Json
    {
        private final JsonWriter writer;
        private boolean first = true;

        Json(final JsonWriter writer)
        {
            this.writer = writer;
        }

        void writeStartObject()
        {
            separate();
            writer.writeByte(JsonWriter.OBJECT_START);
            first = true;
        }

        void writeEndObject()
        {
            writer.writeByte(JsonWriter.OBJECT_END);
            first = false;
        }

        void writeArrayFieldStart(final String name)
        {
            name(name);
            writer.writeByte(JsonWriter.ARRAY_START);
            first = true;
        }

        void writeEndArray()
        {
            writer.writeByte(JsonWriter.ARRAY_END);
            first = false;
        }

        void writeNumberField(final String name, final long value)
        {
            name(name);
            NumberConverter.serialize(value, writer);
        }

        void writeNumberField(final String name, final double value)
        {
            name(name);
            NumberConverter.serialize(value, writer);
        }

        void writeStringField(final String name, final String value)
        {
            name(name);
            writer.writeString(value);
        }

        void writeBooleanField(final String name, final boolean value)
        {
            name(name);
            writer.writeAscii(value ? "true" : "false");
        }

        void writeNullField(final String name)
        {
            name(name);
            writer.writeNull();
        }

        private void name(final String name)
        {
            separate();
            writer.writeString(name);
            writer.writeByte(JsonWriter.SEMI); // the value follows at once: first stays false
        }

        private void separate()
        {
            if (!first)
            {
                writer.writeByte(JsonWriter.COMMA);
            }
            first = false;
        }

        public String toString()
        {
            return writer.toString();
        }
    }
}
