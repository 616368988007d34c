package io.herz.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompilerThreadsTest
{
    @TempDir
    Path tasks;

    @Test
    void shouldSumTheCompilerThreadsOnly() throws IOException
    {
        thread("101", "main\n", "5000000000 10 3\n");
        thread("102", "C2 CompilerThre\n", "1200000000 400 90\n");
        thread("103", "C1 CompilerThre\n", "300000000 20 40\n");
        thread("104", "GC Thread#0\n", "700000000 1 2\n");

        assertEquals(1_500_000_000L, CompilerThreads.cpuNs(tasks));
    }

    @Test
    void shouldSkipAThreadWhoseStatisticsCannotBeReadOrParsed() throws IOException
    {
        thread("102", "C2 CompilerThre\n", "1200000000 400 90\n");
        thread("103", "C1 CompilerThre\n", "not-a-number 20 40\n");
        Files.createDirectories(tasks.resolve("104")); // the thread ended while the directory was listed
        Files.write(tasks.resolve("104").resolve("comm"), "C2 CompilerThre\n".getBytes());

        assertEquals(1_200_000_000L, CompilerThreads.cpuNs(tasks));
    }

    @Test
    void shouldSayUnknownWithoutACompilerThreadOrWithoutTheDirectory() throws IOException
    {
        thread("101", "main\n", "5000000000 10 3\n");

        assertEquals(-1, CompilerThreads.cpuNs(tasks));
        assertEquals(-1, CompilerThreads.cpuNs(tasks.resolve("missing")));
    }

    @Test
    void shouldReadThisJvmsCompilersOnLinux()
    {
        assumeTrue(Files.isDirectory(Paths.get("/proc/self/task")), "Linux only");

        final long ns = CompilerThreads.cpuNs();

        assertTrue(ns > 0, "the test JVM has compiled methods by now: " + ns);
    }

    private void thread(final String tid, final String comm, final String schedstat) throws IOException
    {
        final Path dir = Files.createDirectories(tasks.resolve(tid));
        Files.write(dir.resolve("comm"), comm.getBytes());
        Files.write(dir.resolve("schedstat"), schedstat.getBytes());
    }
}
