/**
 * Herz codecs over the ring: {@link io.herz.codec.EventPublisher} encodes SBE messages straight into claimed ring
 * space, {@link io.herz.codec.EventDispatcher} decodes ring records in place and calls an
 * {@link io.herz.codec.EventHandler} by template id, counting foreign or incompatible records by
 * {@link io.herz.codec.RejectReason}. The generated SBE codecs live in {@code io.herz.codec.sbe}, generated from
 * {@code schemas/herz-events.xml} at build time; {@code io.herz.codec.json} projects JSON lines into events.
 */
package io.herz.codec;
