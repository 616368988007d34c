/**
 * The Herz ring buffer, layout version 3: many producers in many processes (or one exclusive producer), up to 16
 * named consumers, in a memory-mapped segment. Producers clean ahead of the tail in bulk ({@code RingCleaner}),
 * writing each lap's clean word, so consumers only read; a shared claim writes no header, and its commit goes by CAS
 * from the clean word of its lap, so a claim unblocked meanwhile is reported lost.
 * <p>
 * Fence ids. Every acquire, release and CAS in this package and in {@code io.herz.ipc.segment} names its id and the
 * id it pairs with; {@code docs/LAYOUT.md} holds the same table and the jcstress suites name the ids they exercise.
 * <pre>
 * id    where                                   access                                       publishes / observes                           pairs with
 * F0    Segment.create                          putIntRelease layoutVersion                  the whole header                               F1
 * F1    Segment.open                            getIntAcquire layoutVersion                  the whole header                               F0
 * F2    RingProducer.claim                      getLongAcquire tail                          newest tail (validated by F5)                  F5, F5x
 * F3    RingCleaner.oldestPosition              getLongAcquire consumer position             every read below it is done                    F9
 * F4    RingProducer.claim, claimExclusive      putLongRelease claimPosition                 claim intent (and claimLength before it)       F11, F29
 * F5    RingProducer.claim                      compareAndSetLong tail                       exclusive claim of [tail, tail + required)     F5, F2, F10
 * F5x   RingProducer.finishExclusive            putLongRelease tail                          tail of the only producer, after its gate F28   F2, F10
 * F6    RingProducer.claim (wrap only)          compareAndSetLong clean word to padding      padding to the end of the data area            F8, F12
 * F7    RingProducer.commit/abort/commitBatch   compareAndSetLong clean word to committed    header and payload; fails if unblocked         F8, F12
 * F8    RingConsumer.read                       getIntAcquire length                         a committed record, whole                      F7, F12
 * F9    RingConsumer.release                    putLongRelease consumer position             batch delivered; space below is free           F3
 * F10   RingUnblocker.onEmpty                   getLongAcquire tail                          the position has been claimed                  F5, F5x
 * F11   RingUnblocker.analyse                   getLongAcquire claimPosition                 which producer slot holds a stalled position   F4
 * F12   RingUnblocker.analyse                   getLongAcquire / CAS clean word to padding   stalled header; padding replaces it            F7, F8
 * F13   (layout v1 only)                        -                                            v1 pendingHeadPosition, gone in v2             -
 * F14   (layout v1 only)                        -                                            v1 finishPendingRelease, gone in v2            -
 * F15   RingConsumers.attach/detach             compareAndSetLong consumer ownerToken        one process per consumer name                  F15
 * F16   ProducerRegistry.register/release       compareAndSetLong ownerToken                 one owner per producer slot                    F16, F11
 * F17   RingProducer.heartbeat, register        putLongRelease heartbeatMs                   liveness for monitors, slot fields             monitor acquire
 * F18   RingConsumers.attach/remove             putIntRelease consumer state                 name, settings, position of a consumer         F18, F3
 * F19   RingConsumer.refreshClean               getLongAcquire cleanPosition                 cleaning of this lap below it                  F21
 * F20   RingProducer.refreshClean               getLongAcquire cleanPosition                 cleaning of the space it claims                F21
 * F21   RingCleaner.clean                       putLongRelease cleanPosition                 cleaned chunk, free for claims                 F19, F20
 * F22   RingLock.tryLock/unlock                 compareAndSetLong / putLongRelease lock      cleaning and consumer table changes            F22
 * F23   ProducerRegistry.checkExclusive         compareAndSetLong exclusive word             one exclusive producer; Dekker with F16        F16
 * F24   RingProducer.claim                      putLongRelease claimedPosition               this intent won the tail                       F25
 * F25   RingUnblocker.analyse                   getLongAcquire claimedPosition               a dead winner vs a stale loser intent          F24
 * F26   ProducerRegistry.isResolved             getLongAcquire header word                   a dead owner's claim committed or padded       F7, F12
 * F27   ProducerRegistry.padDeadClaim           getLongAcquire / CAS clean word to padding   a dead winner's claim becomes padding          F7, F8, F12
 * F28   RingProducer.finishExclusive            putLongRelease claim's first word (gate)     exclusive commit, no CAS: record(s) whole      F8, F29
 * F29   ProducerRegistry.resolveDeadExclusive   getLongAcquire gate / CAS tail               dead exclusive claim rolled forward or cleaned F28, F4, F2
 * </pre>
 * <b>Locked instructions per record.</b> A single-record claim in shared mode pays two: F5 (tail) and F7 (commit,
 * from the clean word); a batch the same per batch; an exclusive one none (F4, F28 and F5x are release stores, plain
 * {@code mov}s on x86), as Agrona's {@code OneToOneRingBuffer}. Agrona's {@code ManyToOneRingBuffer} pays one CAS and
 * two ordered stores (a negative length after its claim, the positive one at commit). F4, F24 and the counters are
 * plain stores to the producer's own slot. Neither CAS can go, given guarantees 1 and 7 and the jcstress suites:
 * <ul>
 * <li>F5 is the claim itself (guarantee 1, {@code ExclusiveClaimStress}).</li>
 * <li>F7 is guarantee 7 itself: a commit that finds its claim unblocked must fail ({@code
 * AbortUnblockStress.LateCommitRacesUnblock}, {@code RingV2Stress.LateCommitAfterWrap}).</li>
 * </ul>
 * What layout version 3 removed: version 2's F6, a CAS from 0 to a claimed word ({@code -length} and a claim stamp)
 * at every shared claim. It cost a full fence, and, worse, one more round trip of the header's line: a consumer that
 * keeps up spins on that very line, so the claim's store took the line from it and the commit's took it back again
 * (paced one-way latency p50 1.19-1.49x Agrona's {@code ManyToOneRingBuffer}; with the store left out, in an unsafe
 * experiment, 1.01-1.05x). Its job, keeping a producer whose claim was unblocked from writing over the unblocker's
 * padding, is now F7's: the clean word carries the lap number, so a commit from it fails on padding and on any later
 * lap's clean word or record at that offset.
 * <p>
 * An exclusive producer needs no CAS: its tail moves only after its gate (F28 then F5x), so no consumer ever
 * finds one of its claims stalled and nothing of it is ever unblocked (guarantee 7 has nothing to report), and its
 * dead claim is resolved by the next registrant under the ring lock (F29). The price: a consumer may read a record,
 * and release past it, before the tail covers it; every check of consumer positions bounds them by the committed end
 * ({@code ProducerRegistry.committedEnd}: the tail, or the end of the exclusive intent at the tail) instead of the
 * tail.
 * <p>
 * <b>Lap collisions</b> (what the CASes do not cover). They need a producer whose claim was unblocked while its
 * process lives; a correct liveness check never unblocks a live producer, so with one F7 never fails.
 * <ul>
 * <li>F7 (and the wrap padding's F6) expect the clean word of the claim's lap, {@code (int)(position / capacity)}
 * in its type half: two laps at the same offset have the same clean word only when they are 2<sup>32</sup> laps apart
 * (4 TiB of traffic through a 1 KiB ring, 4 EiB through a 1 GiB one). A late commit succeeds on another claim only
 * if it lands while a claim exactly that far ahead is outstanding at that offset; it then commits it with the late
 * producer's length and type.</li>
 * <li>Zero-copy payload stores of such a producer after its claim was unblocked are not covered by any CAS: they
 * land in whatever record holds that space then (in version 2 as well, after its F6).</li>
 * </ul>
 * A live producer is taken for dead only when its slot's token names a process that the consumer's {@code /proc}
 * does not show with that start time although the slot's pid namespace is the consumer's (a holder in another
 * namespace is never taken for dead): the jcstress suites forge that.
 * <p>
 * Plain stores published by a later release say so at the store. The Java Memory Model does not cover two JVMs
 * sharing a file. Herz relies on these accesses acting on the same physical pages of a {@code MAP_SHARED} mapping
 * with the same hardware ordering they have within one JVM. {@code Unsafe.setMemory} and {@code copyMemory} (the
 * cleaner's fill) may use non-temporal stores on x86; a release store does not order those, so the cleaner ends its
 * fill with a full fence before F21.
 */
package io.herz.ipc.ring;
