package io.herz.ipc.process;

import io.herz.ipc.test.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessIdentityTest
{
    private static final long SELF = 4242;
    private static final long OTHER = 777;
    private static final long OUR_NS = 4026531836L;
    private static final long FOREIGN_NS = 4026532999L;

    @TempDir
    Path proc;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void stopChildren()
    {
        children.forEach(ChildJvm::destroyForcibly);
    }

    private void writeStat(final String dir, final long pid, final String comm, final char state,
        final long startTicks) throws Exception
    {
        final Path d = Files.createDirectories(proc.resolve(dir));
        // Fields 3..52 of a real stat line; field 22 is the start time in clock ticks since boot.
        final StringBuilder line = new StringBuilder().append(pid).append(" (").append(comm).append(") ").append(state);
        for (int field = 4; field <= 52; field++)
        {
            line.append(' ').append(field == 22 ? startTicks : field);
        }
        Files.writeString(d.resolve("stat"), line.append('\n').toString());
    }

    private void writeNamespace(final String dir, final long inode) throws Exception
    {
        final Path ns = Files.createDirectories(proc.resolve(dir).resolve("ns"));
        Files.deleteIfExists(ns.resolve("pid"));
        Files.createSymbolicLink(ns.resolve("pid"), Path.of("pid:[" + inode + "]"));
    }

    private void writeBootTime(final long btime) throws Exception
    {
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3 4\nbtime " + btime + "\nprocesses 99\n");
    }

    private ProcessTable fakeSystem() throws Exception
    {
        writeBootTime(1_700_000_000L);
        writeStat("self", SELF, "java", 'S', 5000);
        writeStat(Long.toString(SELF), SELF, "java", 'S', 5000);
        writeNamespace("self", OUR_NS);
        writeNamespace(Long.toString(SELF), OUR_NS);
        return new ProcessTable(proc, SELF);
    }

    @Test
    void identityOfALiveProcessDoesNotDependOnTheWallClock() throws Exception
    {
        final ProcessTable before = fakeSystem();
        writeStat(Long.toString(OTHER), OTHER, "producer", 'R', 123_456);
        writeNamespace(Long.toString(OTHER), OUR_NS);
        final ProcessIdentity first = before.identityOf(OTHER).orElseThrow();

        // The wall clock is stepped by an hour: the kernel's boot time as wall clock moves, the tick count does not.
        writeBootTime(1_700_003_600L);
        final ProcessTable after = new ProcessTable(proc, SELF);
        final ProcessIdentity second = after.identityOf(OTHER).orElseThrow();

        assertEquals(first, second);
        assertEquals(first.token(), second.token());
        assertEquals(ProcessIdentity.token(OTHER, 123_456), first.token());
        assertEquals(ProcessIdentity.Liveness.ALIVE, after.liveness(first.token(), OUR_NS));
        assertEquals(before.self(), after.self());
    }

    @Test
    void selfIsReadFromTheSameSourceAsOthers() throws Exception
    {
        final ProcessTable table = fakeSystem();
        assertTrue(table.isProcAvailable());
        assertEquals(ProcessIdentity.token(SELF, 5000), table.self().token());
        assertEquals(OUR_NS, table.self().pidNamespace());
        assertEquals(table.self(), table.identityOf(SELF).orElseThrow());
        assertEquals(ProcessIdentity.Liveness.ALIVE, table.liveness(table.self().token(), OUR_NS));
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(ProcessIdentity.token(SELF, 4999), OUR_NS));
    }

    @Test
    void commWithSpacesAndParenthesesParses() throws Exception
    {
        final ProcessTable table = fakeSystem();
        writeStat(Long.toString(OTHER), OTHER, "a) b (c) Z 1 2 ) x", 'S', 987_654);
        assertEquals(ProcessIdentity.token(OTHER, 987_654), table.identityOf(OTHER).orElseThrow().token());
        assertEquals(ProcessIdentity.Liveness.ALIVE,
            table.liveness(ProcessIdentity.token(OTHER, 987_654), OUR_NS));

        final ProcessTable.Stat stat = ProcessTable.parseStat("12 (x) y) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 " +
            "17 18 31337 20 21");
        assertEquals(12, stat.pid());
        assertEquals('R', stat.state());
        assertEquals(31337, stat.startTime());
    }

    @Test
    void zombiesDeadAndReusedPidsCountAsDead() throws Exception
    {
        final ProcessTable table = fakeSystem();
        writeStat(Long.toString(OTHER), OTHER, "zombie", 'Z', 1000);
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(ProcessIdentity.token(OTHER, 1000), OUR_NS));
        assertTrue(table.identityOf(OTHER).isEmpty());

        writeStat(Long.toString(OTHER), OTHER, "reused", 'S', 2000);
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(ProcessIdentity.token(OTHER, 1000), OUR_NS));

        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(ProcessIdentity.token(31_000, 1000), OUR_NS));
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(0, OUR_NS));
        // No namespace recorded (older layout): taken to be ours, so a missing pid is dead.
        assertEquals(ProcessIdentity.Liveness.DEAD,
            table.liveness(ProcessIdentity.token(31_000, 1000), ProcessIdentity.UNKNOWN_NAMESPACE));
    }

    @Test
    void holderInAnotherNamespaceIsNeverDead() throws Exception
    {
        final ProcessTable table = fakeSystem();
        // Invisible here, zombie here, another process here under that pid, or our own pid: never dead.
        assertEquals(ProcessIdentity.Liveness.FOREIGN_NAMESPACE,
            table.liveness(ProcessIdentity.token(31_000, 1000), FOREIGN_NS));
        writeStat(Long.toString(OTHER), OTHER, "zombie", 'Z', 1000);
        assertEquals(ProcessIdentity.Liveness.FOREIGN_NAMESPACE,
            table.liveness(ProcessIdentity.token(OTHER, 1000), FOREIGN_NS));
        writeStat(Long.toString(OTHER), OTHER, "someone", 'S', 2000);
        assertEquals(ProcessIdentity.Liveness.FOREIGN_NAMESPACE,
            table.liveness(ProcessIdentity.token(OTHER, 1000), FOREIGN_NS));
        assertEquals(ProcessIdentity.Liveness.FOREIGN_NAMESPACE,
            table.liveness(ProcessIdentity.token(SELF, 1), FOREIGN_NS));
        assertFalse(ProcessIdentity.Liveness.FOREIGN_NAMESPACE.isDead());
        assertFalse(ProcessIdentity.Liveness.UNKNOWN.isDead());
    }

    @Test
    void unparsableEntryIsUnknownNotDead() throws Exception
    {
        final ProcessTable table = fakeSystem();
        Files.createDirectories(proc.resolve(Long.toString(OTHER)));
        Files.writeString(proc.resolve(Long.toString(OTHER)).resolve("stat"), "garbage");
        assertEquals(ProcessIdentity.Liveness.UNKNOWN, table.liveness(ProcessIdentity.token(OTHER, 1), OUR_NS));
    }

    @Test
    void commThatLooksLikeFieldsIsSkippedWholeByTheProbe() throws Exception
    {
        final ProcessTable table = fakeSystem();
        // A comm that holds ") S" and 25 numbers: counting fields from the first ')' would read 31 as the start time.
        final StringBuilder comm = new StringBuilder("evil) S");
        for (int field = 4; field <= 28; field++)
        {
            comm.append(' ').append(field == 22 ? 31 : field);
        }
        writeStat(Long.toString(OTHER), OTHER, comm.append(" (x").toString(), 'S', 424_242);
        assertEquals(ProcessIdentity.Liveness.ALIVE, table.liveness(ProcessIdentity.token(OTHER, 424_242), OUR_NS));
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(ProcessIdentity.token(OTHER, 31), OUR_NS));
        writeStat(Long.toString(OTHER), OTHER, "tab\tand\nnewline ) )", 'R', 55);
        assertEquals(ProcessIdentity.Liveness.ALIVE, table.liveness(ProcessIdentity.token(OTHER, 55), OUR_NS));
    }

    @Test
    void truncatedStatFileIsUnknownNeverDeadNorAnException() throws Exception
    {
        final ProcessTable table = fakeSystem();
        writeStat(Long.toString(OTHER), OTHER, "a (b) c", 'S', 123_456_789);
        final Path file = proc.resolve(Long.toString(OTHER)).resolve("stat");
        final byte[] line = Files.readAllBytes(file);
        final long token = ProcessIdentity.token(OTHER, 123_456_789);
        final String text = new String(line, java.nio.charset.StandardCharsets.ISO_8859_1);
        // The first cut that keeps the start time whole and a blank after it.
        final int whole = text.indexOf(" 123456789 ") + " 123456789 ".length();
        for (int cut = 0; cut <= line.length; cut++)
        {
            // Rewritten in place, as the kernel's /proc never deletes a live process's entry (see StatProbe).
            Files.write(file, java.util.Arrays.copyOf(line, cut));
            final ProcessIdentity.Liveness expected =
                cut < whole ? ProcessIdentity.Liveness.UNKNOWN : ProcessIdentity.Liveness.ALIVE;
            assertEquals(expected, table.liveness(token, OUR_NS), "stat cut after " + cut + " bytes");
            if (cut < whole)
            {
                assertTrue(table.identityOf(OTHER).isEmpty(), "identity of a stat cut after " + cut + " bytes");
            }
        }
        // Longer than any stat line: not one (and not read past the probe's buffer).
        Files.writeString(file, OTHER + " (" + "x".repeat(StatProbe.BUFFER_BYTES) + ") S 1");
        assertEquals(ProcessIdentity.Liveness.UNKNOWN, table.liveness(token, OUR_NS));
        // A start time beyond 64 bits is not a number.
        Files.writeString(file, text.replace(" 123456789 ", " 99999999999999999999 "));
        assertEquals(ProcessIdentity.Liveness.UNKNOWN, table.liveness(token, OUR_NS));
        Files.writeString(file, text.replace(" 123456789 ", " 18446744073709551615 "));
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(token, OUR_NS));
        assertEquals(-1L, ProcessTable.parseStat(text.replace(" 123456789 ", " 18446744073709551615 ")).startTime());
    }

    @Test
    void probeKeepsLiveProcessesOpenAndDropsGoneOnes() throws Exception
    {
        final ProcessTable table = fakeSystem();
        for (int pid = 1000; pid < 1000 + StatProbe.CACHED + 2; pid++)
        {
            writeStat(Integer.toString(pid), pid, "p" + pid, 'S', pid * 10L);
            assertEquals(ProcessIdentity.Liveness.ALIVE, table.liveness(ProcessIdentity.token(pid, pid * 10L), OUR_NS));
        }
        assertEquals(StatProbe.CACHED, table.openStatChannels(), "at most CACHED open stat files per thread");

        writeStat(Long.toString(OTHER), OTHER, "producer", 'S', 700);
        final long token = ProcessIdentity.token(OTHER, 700);
        assertEquals(ProcessIdentity.Liveness.ALIVE, table.liveness(token, OUR_NS));
        assertEquals(ProcessIdentity.Liveness.ALIVE, table.liveness(token, OUR_NS));
        // The cached channel reads what the file says now: a zombie, then the pid taken by another process.
        writeStat(Long.toString(OTHER), OTHER, "producer", 'Z', 700);
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(token, OUR_NS));
        writeStat(Long.toString(OTHER), OTHER, "producer", 'S', 701);
        assertEquals(ProcessIdentity.Liveness.DEAD, table.liveness(token, OUR_NS));
        assertEquals(ProcessIdentity.Liveness.ALIVE, table.liveness(ProcessIdentity.token(OTHER, 701), OUR_NS));
        // Another thread has its own probe.
        final ProcessIdentity.Liveness[] seen = new ProcessIdentity.Liveness[1];
        final Thread other = new Thread(() -> seen[0] = table.liveness(ProcessIdentity.token(OTHER, 701), OUR_NS));
        other.start();
        other.join();
        assertEquals(ProcessIdentity.Liveness.ALIVE, seen[0]);
    }

    @Test
    void cachedProbeOfAReapedProcessIsDead() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
        final Process sleeper = new ProcessBuilder("sleep", "60").start();
        try
        {
            final ProcessIdentity identity = ProcessIdentity.of(sleeper.pid()).orElseThrow();
            final long namespace = ProcessIdentity.current().pidNamespace();
            assertEquals(ProcessIdentity.Liveness.ALIVE, ProcessIdentity.liveness(identity.token(), namespace));
            assertEquals(ProcessIdentity.Liveness.ALIVE, ProcessIdentity.liveness(identity.token(), namespace));
            sleeper.destroyForcibly();
            assertTrue(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            // Reaped: the open stat file now fails with ESRCH, and the path is gone.
            assertEquals(ProcessIdentity.Liveness.DEAD, ProcessIdentity.liveness(identity.token(), namespace));
            assertFalse(ProcessIdentity.isAlive(identity.token()));
        }
        finally
        {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void livenessProbeOfALiveProcessAllocatesNothing() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final Process sleeper = new ProcessBuilder("sleep", "60").start();
        try
        {
            final long token = ProcessIdentity.of(sleeper.pid()).orElseThrow().token();
            final long namespace = ProcessIdentity.current().pidNamespace();
            final int calls = 20_000;
            int alive = 0;
            for (int i = 0; i < calls; i++)
            {
                alive += ProcessIdentity.liveness(token, namespace) == ProcessIdentity.Liveness.ALIVE ? 1 : 0;
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++)
            {
                alive += ProcessIdentity.liveness(token, namespace) == ProcessIdentity.Liveness.ALIVE ? 1 : 0;
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(2 * calls, alive);
            // Files.readAllBytes + String.split allocated about 15 KB per call; allow the measurement's own bytes.
            assertTrue(allocated < calls, allocated + " bytes allocated by " + calls + " probes");
        }
        finally
        {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void procOfAnotherNamespaceFallsBack() throws Exception
    {
        writeStat("self", 1, "java", 'S', 5000); // /proc mounted from another namespace: self is pid 1 there
        final ProcessTable table = new ProcessTable(proc, SELF);
        assertFalse(table.isProcAvailable());
        assertEquals(SELF, table.self().pid());
        assertNotEquals(0, table.self().token());
    }

    @Test
    void realProcessIdentity()
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
        final ProcessIdentity self = ProcessIdentity.current();
        assertTrue(ProcessIdentity.isProcAvailable());
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertNotEquals(ProcessIdentity.UNKNOWN_NAMESPACE, self.pidNamespace());
        assertTrue(ProcessIdentity.isAlive(self.token()));
        assertEquals(ProcessIdentity.Liveness.ALIVE, ProcessIdentity.liveness(self.token(), self.pidNamespace()));
        assertEquals(ProcessIdentity.Liveness.FOREIGN_NAMESPACE,
            ProcessIdentity.liveness(ProcessIdentity.token(self.pid(), self.startTime() + 1), self.pidNamespace() + 1));
        assertFalse(ProcessIdentity.isAlive(ProcessIdentity.token(self.pid(), self.startTime() + 1)));
    }

    @Test
    void twoJvmsComputeTheSameIdentity() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
        final Path out = proc.resolve("child-view.txt");
        final ChildJvm child = ChildJvm.start("identity-child", IdentityChild.class,
            Long.toString(ProcessHandle.current().pid()), out.toString());
        children.add(child);
        child.awaitSuccess(30_000);
        final String[] seen = Files.readString(out).trim().split(" ");
        final ProcessIdentity self = ProcessIdentity.current();
        assertEquals(Long.toString(self.token()), seen[0], "the child's view of this JVM");
        assertEquals(Long.toString(self.pidNamespace()), seen[1]);
        assertEquals("ALIVE", seen[2]);
        final long childToken = Long.parseLong(seen[3]);
        assertEquals(child.process().pid(), ProcessIdentity.pidOf(childToken));
        // The child has exited and been reaped by waitFor: its token is dead now.
        assertFalse(ProcessIdentity.isAlive(childToken));
    }

    @Test
    void holderInARealForeignNamespaceIsNotTakenForDead() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
        assumeTrue("root".equals(System.getProperty("user.name")), "unshare --pid needs root");
        final Path out = proc.resolve("foreign-view.txt");
        final String javaCommand = ProcessHandle.current().info().command().orElse("java");
        final Process process = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", javaCommand,
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            IdentityChild.class.getName(), "1", out.toString())
            .redirectErrorStream(true).start();
        final String log = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "unshare child did not finish");
        assumeTrue(process.exitValue() == 0, "cannot run a JVM in a new pid namespace here: " + log);
        final String[] seen = Files.readString(out).trim().split(" ");
        final long foreignToken = Long.parseLong(seen[3]);
        final long foreignNamespace = Long.parseLong(seen[1]);
        // The child was pid 1 of its namespace; here pid 1 is our init, with another start time.
        assertEquals(1, ProcessIdentity.pidOf(foreignToken));
        assertNotEquals(ProcessIdentity.current().pidNamespace(), foreignNamespace);
        assertEquals(ProcessIdentity.Liveness.FOREIGN_NAMESPACE,
            ProcessIdentity.liveness(foreignToken, foreignNamespace));
        assertTrue(ProcessIdentity.describeForeignHolder("ring x", foreignToken, foreignNamespace)
            .startsWith("ring x held by a process in another pid namespace: pid 1 in pid:[" + foreignNamespace));
        // Without the recorded namespace the same token would be judged by our pid 1: the false death.
        assertEquals(ProcessIdentity.Liveness.DEAD,
            ProcessIdentity.liveness(foreignToken, ProcessIdentity.UNKNOWN_NAMESPACE));
    }

    /** Prints the identity it computes for the parent, the parent's liveness, and its own token. */
    public static final class IdentityChild
    {
        public static void main(final String[] args) throws Exception
        {
            final long parent = Long.parseLong(args[0]);
            final ProcessIdentity seen = ProcessIdentity.of(parent).orElseThrow();
            Files.writeString(Path.of(args[1]), seen.token() + " " + seen.pidNamespace() + " " +
                ProcessIdentity.liveness(seen.token(), ProcessIdentity.current().pidNamespace()) + " " +
                ProcessIdentity.current().token() + "\n");
        }
    }
}
