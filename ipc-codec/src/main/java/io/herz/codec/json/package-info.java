/**
 * JSON-lines ingestion: {@link io.herz.codec.json.JsonEventProjector} reads one JSON object per line from a file or
 * a stream, projects three configured top-level fields ({@link io.herz.codec.json.JsonProjectionConfig}: event time
 * in ms, us or ns, key, value) into an {@link io.herz.codec.json.EventSink} such as
 * {@link io.herz.codec.json.PublishingEventSink}, and counts every bad line by
 * {@link io.herz.codec.json.BadLineReason}, describing the first few with their line numbers, without stopping.
 * Two streaming parsers are supported (Jackson's {@code JsonParser} and DSL-JSON's {@code JsonReader}); neither
 * builds a tree.
 */
package io.herz.codec.json;
