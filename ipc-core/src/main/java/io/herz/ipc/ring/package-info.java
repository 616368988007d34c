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
 * F4    RingProducer.claim, claimExclusive      putLongRelease claimPosition                 claim intent (and claimLength before it)       F11, F29
 * F5    RingProducer.claim                      compareAndSetLong tail                       exclusive claim of [tail, tail + required)     F5, F2, F10
 * F5x   RingProducer.finishExclusive            putLongRelease tail                          tail of the only producer, after its gate F28   F2, F10
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
 * F26   ProducerRegistry.isResolved             getLongAcquire header word                   a dead owner's claim committed or padded       F7, F12
 * F27   ProducerRegistry.padDeadClaim           getLongAcquire / CAS header                  a dead winner's claim becomes padding          F6, F8, F12
 * F28   RingProducer.finishExclusive            putLongRelease claim's first word (gate)     exclusive commit, no CAS: record(s) whole      F8, F29
 * F29   ProducerRegistry.resolveDeadExclusive   getLongAcquire gate / CAS tail               dead exclusive claim rolled forward or zeroed  F28, F4, F2
 * </pre>
 * <b>Locked instructions per record.</b> A single-record claim in shared mode pays three: F5 (tail), F6 (claimed
 * header) and F7 (commit); a batch the same per batch; an exclusive one none (F4, F28 and F5x are release stores,
 * plain {@code mov}s on x86), as Agrona's {@code OneToOneRingBuffer}. Agrona's {@code ManyToOneRingBuffer} pays one
 * CAS and two ordered stores. F4, F24 and the counters are plain stores to the producer's own slot, and F6 and F7 act
 * on a data line the producer owns already, so what F6 and F7 add is the full fence of a lock-prefixed instruction
 * each, not a line transfer; but a consumer that keeps up spins on that very line, so each of them also waits for the
 * line to come back from the consumer's core (a plain store would leave that wait to the store buffer). None of the
 * three can go under this layout for shared producers, given guarantees 1 and 7 and the jcstress suites:
 * <ul>
 * <li>F5 is the claim itself (guarantee 1, {@code ExclusiveClaimStress}).</li>
 * <li>F7 is guarantee 7 itself: a commit that finds its claim unblocked must fail ({@code
 * AbortUnblockStress.LateCommitRacesUnblock}, {@code RingV2Stress.LateCommitAfterWrap}).</li>
 * <li>F6 is what keeps a producer whose claim was unblocked before it wrote its header (a live producer taken for
 * dead and stopped between F5 and F6) from writing over the unblocker's padding. As a release store it would: once a
 * consumer has skipped that padding, the producer's F7 would then succeed for a record no consumer receives
 * (guarantee 7 says it is reported lost), and a lap later it would overwrite another producer's claimed header at
 * the same offset, whose commit would then fail.</li>
 * </ul>
 * An exclusive producer needs none of them: its tail moves only after its gate (F28 then F5x), so no consumer ever
 * finds one of its claims stalled and nothing of it is ever unblocked (guarantee 7 has nothing to report), and its
 * dead claim is resolved by the next registrant under the ring lock (F29). The price: a consumer may read a record,
 * and release past it, before the tail covers it; every check of consumer positions bounds them by the committed end
 * ({@code ProducerRegistry.committedEnd}: the tail, or the end of the exclusive intent at the tail) instead of the
 * tail.
 * What would remove F6: clean space holding a lap-stamped clean word ({@code length 0}, type = lap number) instead
 * of zeros, written by the cleaner; a claim then writes no header and F7 goes from that word to the committed word.
 * F7 would still fail after an unblock (padding) and on any later lap (other lap number), and F6's lap collision
 * below would be gone. It changes what clean space holds (the cleaner's fill, the file format, the unblocker's scan,
 * every tool that reads a segment), so it is a layout change of its own, not done.
 * <p>
 * <b>Lap collisions</b> (what the CASes do not cover). Both need a producer whose claim was unblocked while its
 * process lives; a correct liveness check never unblocks a live producer, so with one neither F6 nor F7 ever fails.
 * <ul>
 * <li>F6 expects 0, and 0 is the clean word of every lap. A producer taken for dead and stopped between F5 and F6
 * until its padded claim has been consumed and its offset cleaned again (at least {@code capacity} bytes of traffic
 * later) succeeds its F6 on the new lap: on clean space ahead of the tail (the next producer to claim there finds
 * a header that is neither clean nor padding and throws {@code SegmentException} "corrupt record header"), or on a
 * claim another producer won but has not written yet (that producer's F6 fails: same exception; the late producer's
 * F7 then commits a record of its own length and type over the other's claim).</li>
 * <li>F7 expects the claimed word with its claim stamp {@code (int)(position >>> 3)}: two claims at the same offset
 * carry the same stamp only when their positions are a multiple of 2<sup>35</sup> bytes (32 GiB) apart, i.e. every
 * 2<sup>35</sup>/capacity laps (2048 laps of a 16 MiB ring, 32 of a 1 GiB one). A late commit succeeds on another
 * claim only if it lands while that claim, exactly that far ahead and of the same record length, is outstanding; it
 * then commits it with the late producer's type.</li>
 * </ul>
 * Zero-copy payload stores of such a producer after its claim was unblocked are not covered by any CAS either: they
 * land in whatever record holds that space then. A live producer is taken for dead only when its slot's token names
 * a process that the consumer's {@code /proc} does not show with that start time although the slot's pid namespace
 * is the consumer's (a holder in another namespace is never taken for dead): the jcstress suites forge that.
 * <p>
 * Plain stores published by a later release say so at the store. The Java Memory Model does not cover two JVMs
 * sharing a file. Herz relies on these accesses acting on the same physical pages of a {@code MAP_SHARED} mapping
 * with the same hardware ordering they have within one JVM. {@code Unsafe.setMemory} (the cleaner's zeroing) may use
 * non-temporal stores on x86; a release store does not order those, so the cleaner ends its zeroing with a full
 * fence before F21.
 */
package io.herz.ipc.ring;
