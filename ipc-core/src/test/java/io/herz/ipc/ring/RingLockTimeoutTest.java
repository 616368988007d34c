package io.herz.ipc.ring;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Attaching a consumer waits for a ring lock held by a live process as long as the segment was opened to wait
 * ({@link SegmentConfig#lockTimeoutMs(long)}), then fails naming the holder.
 */
class RingLockTimeoutTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWaitForALiveLockHolderOnlyAsLongAsTheOpenAsked() throws Exception
    {
        final Path file = dir.resolve("locked.seg");
        final Process holder = new ProcessBuilder("sleep", "30").start();
        try (Segment created = Segment.create(file, new SegmentConfig().capacity(4096));
            Segment opened = Segment.open(file, new SegmentConfig().openTimeoutMs(0).lockTimeoutMs(50)))
        {
            final long token = ProcessIdentity.of(holder.pid()).orElseThrow().token();
            created.buffer().putLongVolatile(SegmentDescriptor.RING_LOCK_TOKEN_OFFSET, token);

            final long startNs = System.nanoTime();
            final SegmentException ex = assertThrows(SegmentException.class,
                () -> new RingConsumer(opened, "late", RingConsumers.StartPosition.TAIL));
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

            assertTrue(ex.getMessage().contains("expected it free within 50 ms, found it held by pid=" + holder.pid()),
                ex.getMessage());
            assertTrue(waitedMs >= 50, "gave up before the timeout: " + waitedMs + " ms");
            assertTrue(waitedMs < SegmentConfig.DEFAULT_LOCK_TIMEOUT_MS,
                "waited the default instead of the configured 50 ms: " + waitedMs + " ms");
        }
        finally
        {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldRefuseANegativeLockTimeout()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new SegmentConfig().lockTimeoutMs(-1).conclude());
        assertEquals("lockTimeoutMs must not be negative: found -1", ex.getMessage());
    }
}
