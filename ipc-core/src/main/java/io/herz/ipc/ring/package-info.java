/**
 * The Herz MPSC ring buffer: many producers in many processes, one consumer, in a memory-mapped segment.
 * <p>
 * Fence ids. Every acquire, release and CAS in this package and in {@code io.herz.ipc.segment} names its id and the
 * id it pairs with; {@code docs/LAYOUT.md} holds the same table and the jcstress suites name the ids they exercise.
 * <pre>
 * id   where                              access                          publishes / observes                         pairs with
 * F0   Segment.create                     putIntRelease layoutVersion     the whole header                             F1
 * F1   Segment.open                       getIntAcquire layoutVersion     the whole header                             F0
 * F2   RingProducer.tryClaim              getLongAcquire tail             newest tail (validated by F5)                F5
 * F3   RingProducer.tryClaim              getLongAcquire head             consumer's zeroing of released space         F9
 * F4   RingProducer.tryClaim              putLongRelease claimPosition    claim intent (and claimLength before it)     F11
 * F5   RingProducer.tryClaim              compareAndSetLong tail          exclusive claim of [tail, tail + required)   F5, F2, F10
 * F6   RingProducer.tryClaim              putLongRelease header word      -recordLength and type: taken, uncommitted   F8, F12
 * F7   RingProducer.commit/abort/padding  putIntRelease / putLongRelease  header and payload, then positive length     F8
 * F8   RingConsumer.read                  getIntAcquire length            a committed record, whole                    F7, F12
 * F9   RingConsumer.release               putLongRelease head             zeroed space is free for producers           F3
 * F10  RingUnblocker.onEmpty              getLongAcquire tail             the head position has been claimed           F5
 * F11  RingUnblocker.analyse              getLongAcquire claimPosition    which producer slot holds a stalled position F4
 * F12  RingUnblocker.analyse              getLongAcquire / CAS header     stalled header; padding replaces it          F6, F7, F8
 * F13  RingConsumer.release               putLongRelease pendingHead      this batch was delivered                     F14
 * F14  RingConsumer.finishPendingRelease  getLongAcquire pendingHead      predecessor's delivered batch                F13
 * F15  RingConsumer.claimSlot/close       compareAndSetLong consumerToken one consumer at a time                       F15
 * F16  ProducerRegistry.register/release  compareAndSetLong ownerToken    one owner per producer slot                  F16, F11
 * F17  RingProducer.heartbeat, register   putLongRelease heartbeatMs      liveness for monitors, slot fields           monitor acquire
 * </pre>
 * The Java Memory Model does not cover two JVMs sharing a file. Herz relies on these accesses acting on the same
 * physical pages of a {@code MAP_SHARED} mapping with the same hardware ordering they have within one JVM.
 */
package io.herz.ipc.ring;
