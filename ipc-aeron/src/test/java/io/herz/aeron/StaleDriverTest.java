package io.herz.aeron;

import io.aeron.driver.MediaDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stale embedded-driver directories: deleted only when their pid is gone and their driver's heartbeat is stale.
 */
class StaleDriverTest
{
    /** Above Linux's largest pid_max (2^22): never a live process. */
    private static final long DEAD_PID = 5_000_000_000L;

    @TempDir
    Path base;

    @Test
    void shouldDeleteDirectoryOfDeadProcessWithoutLiveDriver() throws Exception
    {
        final Path stale = base.resolve("aeron-" + DEAD_PID);
        Files.createDirectories(stale);
        final Path cnc = stale.resolve("cnc.dat");
        Files.write(cnc, new byte[8192]); // never initialised (version 0), as after a SIGKILL during start
        Files.setLastModifiedTime(cnc, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertEquals(List.of(stale), AeronRuntime.cleanStaleDrivers(base, ProcessHandle.current().pid()));
        assertFalse(Files.exists(stale));
    }

    @Test
    void shouldKeepDirectoryOfLiveProcessAndOwnAndForeignNames() throws Exception
    {
        final Path live = base.resolve("aeron-1");
        final Path own = base.resolve("aeron-" + ProcessHandle.current().pid());
        final Path foreign = base.resolve("aeron-notapid");
        for (final Path dir : List.of(live, own, foreign))
        {
            Files.createDirectories(dir);
        }
        assertEquals(List.of(), AeronRuntime.cleanStaleDrivers(base, ProcessHandle.current().pid()));
        assertTrue(Files.isDirectory(live) && Files.isDirectory(own) && Files.isDirectory(foreign));
    }

    @Test
    void shouldNeverDeleteDirectoryWhoseDriverIsAliveEvenWhenPidLooksDead()
    {
        final Path dir = base.resolve("aeron-" + DEAD_PID);
        try (MediaDriver driver = MediaDriver.launch(AeronDriverConfig.driverContext(dir.toFile())))
        {
            assertEquals(List.of(), AeronRuntime.cleanStaleDrivers(base, ProcessHandle.current().pid()));
            assertTrue(Files.exists(dir.resolve("cnc.dat")), "a live driver's directory was touched");
        }
    }
}
