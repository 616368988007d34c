/**
 * JSON-lines ingestion: {@link io.herz.codec.json.JsonEventProjector} reads one JSON object per line from a file or
 * a stream, projects three configured top-level fields ({@link io.herz.codec.json.JsonProjectionConfig}: event time
 * in ms, us or ns, key, value) into an {@link io.herz.codec.json.EventSink} such as
 * {@link io.herz.codec.json.PublishingEventSink}, and counts every bad line by
 * {@link io.herz.codec.json.BadLineReason}, describing the first few with their line numbers, without stopping.
 * Two parsers are supported: Herz's own single-pass SWAR parser (the default; a good line of the common shape is read
 * by its fast path {@code SwarFastPath} straight from the read buffer, any other line by {@code SwarLineParser}) and
 * DSL-JSON's {@code JsonReader}; neither builds a tree. Jackson is only a test oracle and a benchmark peer, never on
 * the run-time class path.
 */
package io.herz.codec.json;
