package io.herz.ipc.ring;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.test.ChildJvm;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, item 1, with a real JVM in another pid namespace ({@code unshare -p -f --mount-proc}, which needs root or
 * user namespaces; skipped with a message where it is not allowed). The child holds a claim open; from our namespace
 * its pid is some other process (or none), so without the recorded namespace it would be judged dead and its record
 * unblocked. It must be waited for, its slot must not be taken, and its record must be delivered once it commits.
 */
@Timeout(90)
class PidNamespaceMultiProcessTest
{
    private static final List<String> UNSHARE = List.of("unshare", "-p", "-f", "--mount-proc", "--kill-child");

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldWaitForAClaimHeldByAJvmInAnotherPidNamespaceAndDeliverItOnceCommitted() throws Exception
    {
        assumeUnshareWorks();
        final Path ring = dir.resolve("foreign.seg");
        final Path go = dir.resolve("go");
        try (Segment segment = Segment.create(ring, new SegmentConfig().capacity(4096).producerSlotCount(1));
            RingConsumer consumer = new RingConsumer(segment, TimeUnit.MILLISECONDS.toNanos(200),
                SystemNanoClock.INSTANCE))
        {
            final ChildJvm child = ChildJvm.start("foreign-ns-holder", UNSHARE, LivenessChild.class, List.of(),
                "hold", ring.toString(), "5", "10", "3", go.toString());
            children.add(child);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!child.log().contains("HOLDING"))
            {
                assertTrue(child.process().isAlive() && System.nanoTime() < deadline, child::logTail);
                Thread.sleep(10);
            }
            final int slot = SegmentDescriptor.producerSlotOffset(0);
            final long token = segment.buffer().getLongVolatile(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET);
            final long namespace = ProcessIdentity.namespaceFromField(
                segment.buffer().getInt(slot + ProducerSlotDescriptor.PID_NAMESPACE_OFFSET));
            assertNotEquals(ProcessIdentity.current().pidNamespace(), namespace, "the child recorded its namespace");
            assertTrue(ProcessIdentity.liveness(token, ProcessIdentity.UNKNOWN_NAMESPACE).isDead(),
                "without its namespace the holder (pid " + ProcessIdentity.pidOf(token) + " there) looks dead here");

            final List<Long> seen = new ArrayList<>();
            final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < waitUntil)
            {
                consumer.read((type, buffer, offset, length) -> seen.add(buffer.getLong(offset + 8)));
                Thread.sleep(1);
            }

            assertEquals(List.of(0L, 1L, 2L), seen, "the consumer waits at the held claim");
            assertEquals(0, consumer.unblockedRecords(), "a claim of a live process in another namespace");
            final SegmentException refused = assertThrows(SegmentException.class, () -> new RingProducer(segment, 9));
            assertTrue(refused.getMessage().contains("producer slot 0 held by a process in another pid namespace: " +
                "pid " + ProcessIdentity.pidOf(token) + " in pid:[" + namespace + "]"), refused.getMessage());

            Files.createFile(go);
            child.awaitSuccess(30_000);
            final long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 10 && System.nanoTime() < drainUntil)
            {
                consumer.read((type, buffer, offset, length) -> seen.add(buffer.getLong(offset + 8)));
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seen);
            assertEquals(0, consumer.unblockedRecords());
        }
    }

    private static void assumeUnshareWorks() throws Exception
    {
        String why;
        try
        {
            final List<String> command = new ArrayList<>(UNSHARE);
            command.add("true");
            final Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS))
            {
                probe.destroyForcibly();
                why = "timed out";
            }
            else
            {
                final String output = new String(probe.getInputStream().readAllBytes()).trim();
                why = probe.exitValue() == 0 ? null : "exit " + probe.exitValue() + ": " + output;
            }
        }
        catch (final java.io.IOException ex)
        {
            why = ex.getMessage();
        }
        Assumptions.assumeTrue(why == null,
            "skipped: a pid namespace cannot be created here (" + String.join(" ", UNSHARE) + " true: " + why + ")");
    }
}
