/**
 * Delivery checks shared by the command line ({@code herz consume --verify}), the tests and the benchmark harness:
 * one per-producer sequence checker for the whole project.
 */
package io.herz.ipc.check;
