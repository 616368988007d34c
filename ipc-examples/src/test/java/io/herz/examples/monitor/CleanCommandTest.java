package io.herz.examples.monitor;

import io.herz.examples.HerzCli;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.test.Await;
import io.herz.ipc.test.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code herz clean} in its own JVM removes only leftovers: a ring whose consumer and producer JVMs were killed,
 * and a half-created file of a dead pid; it leaves a live consumer's ring, a ring this (live) JVM maps, a
 * half-created file of a live pid, a symbolic link, a file that is not a segment, and another user's ring, each
 * with a message naming why.
 */
@Timeout(180)
class CleanCommandTest
{
    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    @Test
    void shouldRemoveOnlyDeadSegmentsWhenClean() throws Exception
    {
        final Path dead = dir.resolve("run-1").resolve("dead.seg");
        final ChildJvm deadConsumer = herz("dead-consume", "consume", "--ring", dead.toString(), "--producers", "2",
            "--capacity", "64k");
        final ChildJvm deadProducer = herz("dead-produce", "produce", "--ring", dead.toString(), "--producer-id", "1",
            "--synthetic", "--count", "1000000000", "--rate", "5k");
        final Path live = dir.resolve("live.seg");
        final ChildJvm liveConsumer = herz("live-consume", "consume", "--ring", live.toString(), "--capacity", "64k");
        try (SegmentWatcher watcher = new SegmentWatcher(List.of(dead, live)))
        {
            Await.await(() -> attached(watcher.sample().rings()), 60_000,
                () -> "consumers and producer attached: " + deadConsumer.logTail() + deadProducer.logTail() +
                    liveConsumer.logTail());
        }
        deadConsumer.destroyForcibly();
        deadProducer.destroyForcibly();
        deadConsumer.process().waitFor();
        deadProducer.process().waitFor();

        final Path mapped = dir.resolve("mapped.seg");
        final Path link = dir.resolve("link.seg");
        final Path bad = dir.resolve("bad.seg");
        final Path notes = dir.resolve("notes.txt");
        final Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        final Path creatingDead = dir.resolve(".gone.seg.creating-" + exited.pid() + "-42");
        final long self = ProcessHandle.current().pid();
        final Path creatingLive = dir.resolve(".busy.seg.creating-" + self + "-43");
        Files.createSymbolicLink(link, dead);
        Files.writeString(bad, "garbage, not a segment");
        Files.writeString(notes, "someone else's notes");
        Files.write(creatingDead, new byte[4096]);
        Files.write(creatingLive, new byte[4096]);
        try (Segment held = Segment.create(mapped, new SegmentConfig().capacity(4096)))
        {
            final ChildJvm dryRun = herz("clean-dry-run", "clean", "--dry-run", dir.toString());
            dryRun.awaitSuccess(60_000);
            final String dryLog = dryRun.log();
            assertTrue(dryLog.contains("would remove: " + dead + ": every owner is dead: consumer default pid " +
                deadConsumer.pid() + ", producer 1 pid " + deadProducer.pid()), dryLog);
            assertTrue(dryLog.contains("would remove: " + creatingDead + ": half-created by pid " + exited.pid() +
                ", which is dead (a create killed midway)"), dryLog);
            assertTrue(dryLog.contains("would remove 2, left alone 5"), dryLog);
            assertTrue(Files.exists(dead) && Files.exists(creatingDead), "dry run removes nothing");

            final ChildJvm clean = herz("clean", "clean", dir.toString());
            clean.awaitSuccess(60_000);

            final String log = clean.log();
            assertTrue(log.contains("removed: " + dead + ": every owner is dead"), log);
            assertTrue(log.contains("removed: " + dead.getParent() + "/: empty run directory"), log);
            assertTrue(log.contains("removed: " + creatingDead + ": half-created by pid " + exited.pid()), log);
            assertTrue(log.contains("left alone: " + live + ": in use by live consumer default pid " +
                liveConsumer.pid() + ": stop it first"), log);
            assertTrue(log.contains("left alone: " + mapped + ": mapped or open by live pid " + self +
                ": stop that process first"), log);
            assertTrue(log.contains("left alone: " + creatingLive + ": being created by live pid " + self), log);
            assertTrue(log.contains("left alone: " + link + ": symbolic link to " + dead +
                ", never followed: remove the link yourself if it is stale"), log);
            assertTrue(log.contains("left alone: " + bad + ": not a segment this version can read (file too small " +
                "to be a segment"), log);
            assertFalse(log.contains(notes.toString()), log);
            assertTrue(log.contains("removed 2, left alone 5"), log);

            assertFalse(Files.exists(dead.getParent()));
            assertFalse(Files.exists(creatingDead));
            for (final Path kept : List.of(live, mapped, creatingLive, bad, notes))
            {
                assertTrue(Files.exists(kept, LinkOption.NOFOLLOW_LINKS), kept + " kept");
            }
            assertTrue(Files.isSymbolicLink(link), "link kept");
            assertFalse(held.isClosed());
        }
    }

    @Test
    void shouldLeaveAnotherUsersSegmentWhenClean() throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file to user nobody");
        final Path foreign = dir.resolve("foreign.seg");
        Segment.create(foreign, new SegmentConfig().capacity(4096)).close();
        final UserPrincipal nobody = foreign.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByName("nobody");
        Files.setOwner(foreign, nobody);

        final StringWriter out = new StringWriter();
        final int exit = HerzCli.commandLine().setOut(new PrintWriter(out)).execute("clean", dir.toString());
        final StringWriter listing = new StringWriter();
        HerzCli.commandLine().setOut(new PrintWriter(listing)).execute("ls", dir.toString());

        assertEquals(0, exit, out::toString);
        assertTrue(out.toString().contains("left alone: " + foreign + ": owned by user nobody, not by root: only " +
            "its owner removes it (run herz clean as nobody)"), out::toString);
        assertTrue(Files.exists(foreign));
        assertTrue(listing.toString().contains("owner nobody  capacity 4.0 KiB  lag 0 B  unused: every owner is dead " +
            "(owned by nobody: herz clean run by nobody removes it)"),
            listing::toString);
    }

    private static boolean attached(final List<RingView> rings)
    {
        if (rings.size() != 2)
        {
            return false;
        }
        for (final RingView ring : rings)
        {
            if (ring.consumers().isEmpty() || !ring.consumers().get(0).alive() || ring.consumers().get(0).pid() == 0)
            {
                return false;
            }
        }
        final RingView dead = rings.get(1); // sorted by path: live.seg, then run-1/dead.seg
        return dead.producers().size() == 1 && !dead.consumers().isEmpty() &&
            dead.consumers().get(0).recordsConsumed() > 0;
    }

    private ChildJvm herz(final String name, final String... args) throws Exception
    {
        final ChildJvm child = ChildJvm.start(name, HerzCli.class, args);
        children.add(child);
        return child;
    }
}
