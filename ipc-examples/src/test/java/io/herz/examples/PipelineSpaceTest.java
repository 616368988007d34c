package io.herz.examples;

import io.herz.ipc.test.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container case: a ring directory on a file system too small for the pipeline's rings (a real 4 MiB tmpfs,
 * as Docker's small /dev/shm would be) is refused by {@code herz pipeline} before any stage JVM starts, with a
 * message naming the space asked, the space free and the fix. Needs root to mount; skipped otherwise.
 */
@Timeout(60)
class PipelineSpaceTest
{
    @TempDir
    Path dir;

    private Path mountPoint;

    @AfterEach
    void unmount() throws Exception
    {
        if (mountPoint != null)
        {
            assertEquals(0, run("umount", mountPoint.toString()), "umount " + mountPoint);
        }
    }

    @Test
    void shouldRefuseToStartWhenTheRingsDoNotFit() throws Exception
    {
        final Path shm = Files.createDirectories(dir.resolve("small-shm"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", shm.toString()) == 0,
            "cannot mount a tmpfs here (needs root)");
        mountPoint = shm;
        final Path spec = dir.resolve("pipeline.spec");
        Files.writeString(spec, String.join("\n",
            "ring events  = ${dir}/events.seg",
            "ring windows = ${dir}/windows.seg",
            "stage sink      = sink --ring ${windows} --capacity 2m",
            "stage aggregate = aggregate --in ${events} --out ${windows} --window tumbling:1s --capacity 2m",
            "stage p1        = produce --ring ${events} --producer-id 1 --synthetic --count 10"));

        final ChildJvm child = ChildJvm.start("space", HerzCli.class, "pipeline", "--spec", spec.toString(),
            "--dir", shm.resolve("run").toString());

        assertEquals(1, child.waitFor(30_000), child::logTail);
        final String log = child.log();
        assertTrue(log.contains("not enough space for the 2 ring(s) of pipeline " + spec), log);
        assertTrue(log.contains("asked 4,"), log);
        assertTrue(log.contains("use a smaller ring (e.g. --capacity 4m) or give"), log);
        assertTrue(log.contains("docker run --shm-size="), log);
        assertFalse(log.contains("[pipeline] started"), "no stage may start: " + log);
        assertFalse(Files.exists(shm.resolve("run").resolve("events.seg")), "no ring was created");
    }

    private static int run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
