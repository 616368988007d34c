/**
 * The Herz ring buffer, layout version 2: many producers in many processes (or one exclusive producer), up to 16
 * named consumers, in a memory-mapped segment. Producers clean ahead of the tail in bulk ({@code RingCleaner}), so
 * consumers only read; commits go by CAS from the claimed word, so a claim unblocked meanwhile is reported lost.
 * <p>
 * Fence ids. Every acquire, release and CAS in this package and in {@code io.herz.ipc.segment} names its id and the
 * id it pairs with; {@code docs/LAYOUT.md} holds the same table and the jcstress suites name the ids they exercise.
 * <pre>
 * id    where                                   access                                       publishes / observes                           pairs with
 * F0    Segment.create                          putIntRelease layoutVersion                  the whole header                               F1
 * F1    Segment.open                            getIntAcquire layoutVersion                  the whole header                               F0
 * F2    RingProducer.claim                      getLongAcquire tail                          newest tail (validated by F5)                  F5, F5x
 * F3    RingCleaner.oldestPosition              getLongAcquire consumer position             every read below it is done                    F9
 * F4    RingProducer.claim                      putLongRelease claimPosition                 claim intent (and claimLength before it)       F11
 * F5    RingProducer.claim                      compareAndSetLong tail                       exclusive claim of [tail, tail + required)     F5, F2, F10
 * F5x   RingProducer.claim (exclusive)          putLongRelease tail                          claim by the only producer, no CAS             F2, F10
 * F6    RingProducer.claim                      compareAndSetLong header word 0 to claimed   -recordLength and claim stamp                  F7, F8, F12
 * F7    RingProducer.commit/abort/commitBatch   compareAndSetLong claimed to committed       header and payload; fails if unblocked         F8, F12
 * F8    RingConsumer.read                       getIntAcquire length                         a committed record, whole                      F7, F12
 * F9    RingConsumer.release                    putLongRelease consumer position             batch delivered; space below is free           F3
 * F10   RingUnblocker.onEmpty                   getLongAcquire tail                          the position has been claimed                  F5, F5x
 * F11   RingUnblocker.analyse                   getLongAcquire claimPosition                 which producer slot holds a stalled position   F4
 * F12   RingUnblocker.analyse                   getLongAcquire / CAS header                  stalled header; padding replaces it            F6, F7, F8
 * F13   (layout v1 only)                        -                                            v1 pendingHeadPosition, gone in v2             -
 * F14   (layout v1 only)                        -                                            v1 finishPendingRelease, gone in v2            -
 * F15   RingConsumers.attach/detach             compareAndSetLong consumer ownerToken        one process per consumer name                  F15
 * F16   ProducerRegistry.register/release       compareAndSetLong ownerToken                 one owner per producer slot                    F16, F11
 * F17   RingProducer.heartbeat, register        putLongRelease heartbeatMs                   liveness for monitors, slot fields             monitor acquire
 * F18   RingConsumers.attach/remove             putIntRelease consumer state                 name, settings, position of a consumer         F18, F3
 * F19   RingConsumer.refreshClean               getLongAcquire cleanPosition                 zeroing of this lap below it                   F21
 * F20   RingProducer.refreshClean               getLongAcquire cleanPosition                 zeroing of the space it claims                 F21
 * F21   RingCleaner.clean                       putLongRelease cleanPosition                 zeroed chunk, free for claims                  F19, F20
 * F22   RingLock.tryLock/unlock                 compareAndSetLong / putLongRelease lock      cleaning and consumer table changes            F22
 * F23   ProducerRegistry.checkExclusive         compareAndSetLong exclusive word             one exclusive producer; Dekker with F16        F16
 * F24   RingProducer.claim                      putLongRelease claimedPosition               this intent won the tail                       F25
 * F25   RingUnblocker.analyse                   getLongAcquire claimedPosition               a dead winner vs a stale loser intent          F24
 * </pre>
 * Plain stores published by a later release say so at the store. The Java Memory Model does not cover two JVMs
 * sharing a file. Herz relies on these accesses acting on the same physical pages of a {@code MAP_SHARED} mapping
 * with the same hardware ordering they have within one JVM. {@code Unsafe.setMemory} (the cleaner's zeroing) may use
 * non-temporal stores on x86; a release store does not order those, so the cleaner ends its zeroing with a full
 * fence before F21.
 */
package io.herz.ipc.ring;
