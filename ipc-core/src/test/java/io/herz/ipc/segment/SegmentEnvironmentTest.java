package io.herz.ipc.segment;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input that needs the environment arranged: a segment owned by another user, and a file system too full to
 * hold a new segment. Skipped (with the reason) where the environment cannot be arranged: changing a file's owner
 * and mounting a small tmpfs both need root.
 */
@Timeout(60)
class SegmentEnvironmentTest
{
    private static final String OTHER_USER = "nobody";

    @TempDir
    Path dir;

    private Path mountPoint;

    @AfterEach
    void unmount() throws Exception
    {
        if (mountPoint != null)
        {
            final Path mounted = mountPoint;
            mountPoint = null;
            final Result result = run("umount", mounted.toString());
            assertEquals(0, result.exitCode, "umount " + mounted + ": " + result.output);
        }
    }

    @Test
    void shouldRefuseASegmentOwnedByAnotherUser() throws IOException
    {
        final String me = System.getProperty("user.name");
        Assumptions.assumeFalse(OTHER_USER.equals(me), "running as " + OTHER_USER + ": no other user to chown to");
        final Path file = dir.resolve("foreign.seg");
        Segment.create(file, config()).close();
        chown(file, OTHER_USER);

        final SegmentException open = assertThrows(SegmentException.class,
            () -> Segment.open(file, new SegmentConfig().openTimeoutMs(0)));
        final SegmentException openOrCreate = assertThrows(SegmentException.class,
            () -> Segment.openOrCreate(file, config()));

        final int myUid = (Integer)Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        final int otherUid = (Integer)Files.getAttribute(file, "unix:uid");
        final String expected = file + ": segment is owned by another user: expected uid " + myUid +
            " (this process), found uid " + otherUid + " (" + OTHER_USER + "); open it as that user or allow a " +
            "foreign owner";
        assertEquals(expected, open.getMessage());
        assertEquals(expected, openOrCreate.getMessage());
        try (Segment segment = Segment.open(file, new SegmentConfig().openTimeoutMs(0).allowForeignOwner(true)))
        {
            assertEquals(4096, segment.capacity(), "allowForeignOwner opens it");
        }
    }

    @Test
    void shouldOpenItsOwnSegmentUnderAUidWithoutAUserName() throws Exception
    {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch uid");
        Assumptions.assumeTrue(run("setpriv", "--version").exitCode == 0, "setpriv is not installed");
        // A uid with no passwd entry, as an OpenShift or `docker run --user 54321` container has. Its class path
        // must be readable by that uid: copy it out of the (root-only) Maven repository.
        final int uid = 54_321;
        final Path world = Files.createDirectories(dir.resolve("world"));
        final List<String> classPath = new java.util.ArrayList<>();
        int n = 0;
        for (final String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        {
            final Path source = Path.of(entry);
            if (entry.contains("agrona") || entry.endsWith("classes"))
            {
                final Path copy = world.resolve("cp" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
                run("cp", "-r", source.toString(), copy.toString());
                classPath.add(copy.toString());
            }
        }
        final Path rings = Files.createDirectories(dir.resolve("rings"));
        run("chmod", "-R", "a+rwX", dir.toString());
        run("chmod", "a+rx", dir.getParent().toString());
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Result result = run("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", java,
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", String.join(":", classPath),
            ArbitraryUidChild.class.getName(), rings.toString());
        assertEquals(0, result.exitCode, result.output);
        assertTrue(result.output.contains("OPENED capacity=4096"), result.output);
        assertEquals(uid, (Integer)Files.getAttribute(rings.resolve("mine.seg"), "unix:uid"));
    }

    @Test
    void shouldFailAtCreateTimeWhenTheFileSystemIsTooFull() throws Exception
    {
        final Path small = mountSmallTmpfs();
        final Path file = small.resolve("big.seg");
        final SegmentConfig config = new SegmentConfig().capacity(1024 * 1024).producerSlotCount(1).counterCount(0);
        final SegmentException ex = assertThrows(SegmentException.class, () -> Segment.create(file, config));

        // Refused before any byte is written, with the size asked, the space free and the fix.
        assertEquals(file + ": not enough space for segment of capacity 1048576 bytes: asked 1,052,672 bytes " +
            "(1.0 MiB), " + small + " has 262,144 bytes free; use a smaller ring (e.g. --capacity 4m) or give " +
            small + " more space (Docker: docker run --shm-size=512m; Kubernetes: an emptyDir with medium: Memory; " +
            "a host: mount -o remount,size=1g /dev/shm)", ex.getMessage());
        try (Stream<Path> left = Files.list(small))
        {
            assertEquals(List.of(), left.toList(), "no segment and no temporary file left behind");
        }

        try (Segment segment = Segment.create(small.resolve("fits.seg"), new SegmentConfig().capacity(64 * 1024));
            RingProducer producer = new RingProducer(segment, 1);
            RingConsumer consumer = new RingConsumer(segment))
        {
            assertTrue(producer.offer(1, new UnsafeBuffer(new byte[64]), 0, 64), "a segment that fits still works");
            assertEquals(1, consumer.read((type, buffer, index, length) -> assertEquals(64, length)));
        }
    }

    @Test
    void shouldReportTheSpaceALauncherNeedsBeforeStarting() throws Exception
    {
        final Path small = mountSmallTmpfs();
        final SegmentConfig ring = new SegmentConfig().capacity(64 * 1024).producerSlotCount(1).counterCount(0);
        final long one = SegmentSpace.fileLength(ring);
        assertEquals(4096 + 64 * 1024, one);
        SegmentSpace.requireSpace(small, 3 * one, "3 rings");
        final SegmentException ex = assertThrows(SegmentException.class,
            () -> SegmentSpace.requireSpace(small, 4 * one, "4 rings"));
        assertTrue(ex.getMessage().startsWith(small + ": not enough space for 4 rings: asked 278,528 bytes, " + small +
            " has 262,144 bytes free; use a smaller ring (e.g. --capacity 4m)"), ex.getMessage());
    }

    @Test
    void shouldRefuseANamedPipe() throws Exception
    {
        final Path fifo = dir.resolve("fifo.seg");
        final Result result = run("mkfifo", fifo.toString());
        Assumptions.assumeTrue(result.exitCode == 0, "mkfifo is not available: " + result.output.strip());

        final SegmentException open = assertThrows(SegmentException.class,
            () -> Segment.open(fifo, new SegmentConfig().openTimeoutMs(0)));
        final SegmentException openOrCreate = assertThrows(SegmentException.class,
            () -> Segment.openOrCreate(fifo, config()));

        assertEquals(fifo + ": segment is not a regular file: expected a regular file", open.getMessage());
        assertEquals(open.getMessage(), openOrCreate.getMessage());
    }

    private Path mountSmallTmpfs() throws Exception
    {
        final Path point = Files.createDirectory(dir.resolve("small-tmpfs"));
        final Result result = run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", point.toString());
        if (result.exitCode != 0)
        {
            Assumptions.abort("cannot mount a 256 KiB tmpfs to fill (needs root or CAP_SYS_ADMIN): mount exited with " +
                result.exitCode + ": " + result.output.strip());
        }
        mountPoint = point;
        return point;
    }

    private static SegmentConfig config()
    {
        return new SegmentConfig().capacity(4096).producerSlotCount(1).counterCount(0).openTimeoutMs(0);
    }

    private static void chown(final Path file, final String user)
    {
        try
        {
            final UserPrincipal principal = file.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(user);
            Files.setOwner(file, principal);
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            Assumptions.abort("cannot give " + file + " to user " + user + " (needs root): " + ex);
        }
    }

    private static Result run(final String... command) throws InterruptedException
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within 30 s");
            }
            return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return new Result(-1, ex.toString());
        }
    }

    private static final class Result
    {
        final int exitCode;
        final String output;

        Result(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
