/**
 * The transport seam: everything above the ring (the codec's publish and dispatch, the windowing stage, the sink,
 * every command) speaks to a {@link io.herz.ipc.transport.Publication} and a
 * {@link io.herz.ipc.transport.Subscription}, chosen by URI with {@link io.herz.ipc.transport.Transports}: a plain
 * path or {@code shm:PATH} is a Herz ring ({@link io.herz.ipc.transport.shm}), {@code aeron:} an Aeron stream
 * (module {@code ipc-aeron}). SBE messages are byte for byte the same on every transport.
 */
package io.herz.ipc.transport;
