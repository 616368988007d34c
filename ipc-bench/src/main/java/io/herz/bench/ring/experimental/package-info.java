/**
 * EXPERIMENTAL prototypes of ring changes, measured against the real ipc-core ring and Agrona in the same
 * benchmarks. Not production code and not part of ipc-core's API: a proposal is only adopted by changing ipc-core
 * itself (owned by the lead), with its jcstress proofs.
 */
package io.herz.bench.ring.experimental;
