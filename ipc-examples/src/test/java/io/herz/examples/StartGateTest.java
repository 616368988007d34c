package io.herz.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class StartGateTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReleaseWaiterWhenReadyFileAppearsAndDeleteItOnClose() throws Exception
    {
        final Path ready = dir.resolve("aggregate.ready");
        final Thread signaller = new Thread(() ->
        {
            try
            {
                Thread.sleep(100);
            }
            catch (final InterruptedException ignore)
            {
                return;
            }
            StartGate.signal(ready);
        });
        signaller.start();

        final long waitedNs = StartGate.await(List.of(ready), TimeUnit.SECONDS.toNanos(5), () -> false);
        signaller.join();

        assertTrue(waitedNs >= TimeUnit.MILLISECONDS.toNanos(50), "waited " + waitedNs);
        assertTrue(Files.exists(ready));
        StartGate.signal(ready).close();
        assertFalse(Files.exists(ready));
    }

    @Test
    void shouldCountStartUpFromJvmStartAndSayWhetherClassesAreShared()
    {
        assertEquals("start-up: ready 1,412 ms after JVM start (class-data sharing: archive)",
            StartGate.startupLine("ready", 1_412, -1, "archive"));
        assertEquals("start-up: publishing 2,230 ms after JVM start, 820 ms of it waiting for ready files " +
            "(class-data sharing: off)", StartGate.startupLine("publishing", 2_230, 820, "off"));
        assertEquals("start-up: ready n/a after JVM start (class-data sharing: JDK default)",
            StartGate.startupLine("ready", -1, -1, "JDK default"));
        assertTrue(List.of("AOT cache", "archive", "JDK default", "off").contains(StartGate.sharing()), StartGate.sharing());
    }

    @Test
    void shouldNameTheMissingFileWhenTimeIsUp()
    {
        final Path missing = dir.resolve("sink.ready");

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> StartGate.await(List.of(missing), TimeUnit.MILLISECONDS.toNanos(50), () -> false));

        assertEquals("ready file did not appear: expected " + missing.toAbsolutePath() + " within 50 ms",
            ex.getMessage());
    }
}
