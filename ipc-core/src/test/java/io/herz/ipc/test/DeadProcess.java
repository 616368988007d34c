package io.herz.ipc.test;

import io.herz.ipc.process.ProcessIdentity;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Owner tokens of processes that are gone, for tests that plant a dead holder in a slot.
 */
public final class DeadProcess
{
    private DeadProcess()
    {
    }

    /**
     * Start a process, wait for it to exit, and build the token it would have had (its pid and start time).
     *
     * @return a token {@link ProcessIdentity#isAlive(long)} answers false for.
     * @throws Exception when the process cannot be started.
     */
    public static long token() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        final long startMs = process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(1L);
        final long pid = process.pid();
        process.waitFor();
        final long token = ProcessIdentity.token(pid, startMs);
        assertFalse(ProcessIdentity.isAlive(token));
        return token;
    }
}
