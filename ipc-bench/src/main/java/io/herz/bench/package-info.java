/**
 * Herz benchmarks: JMH micro-benchmarks (packages alongside the code under test) and the multi-process harness
 * that measures rings between JVMs against their peers in the same run.
 */
package io.herz.bench;
