/**
 * JMH benchmarks of the windowing engine ({@code io.herz.window}).
 */
package io.herz.bench.window;
