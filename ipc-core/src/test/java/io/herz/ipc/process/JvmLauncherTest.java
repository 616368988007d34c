package io.herz.ipc.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Class-data sharing for child JVMs: which archive a child gets, and that a JVM given the launcher's flags runs
 * whether the archive is fresh (classes then come from it), stale, corrupt or missing (the JVM starts without it).
 * Real JVMs over a jar built here and an archive dumped from it.
 */
@Timeout(120)
class JvmLauncherTest
{

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void buildJar() throws IOException
    {
        jar = dir.resolve("hello.jar");
        HelloJar.write(jar);
    }

    @Test
    void shouldFindArchiveNextToSingleJarOfClassPath() throws IOException
    {
        final Path archive = Files.write(dir.resolve("hello.jsa"), new byte[]{ 1 });
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1_000));

        assertEquals(archive, JvmLauncher.sharedArchive(null, jar.toString()));
        assertNull(JvmLauncher.sharedArchive(JvmLauncher.NO_ARCHIVE, jar.toString()));
        assertNull(JvmLauncher.sharedArchive(null, jar + java.io.File.pathSeparator + dir.resolve("other.jar")));
        assertNull(JvmLauncher.sharedArchive(null, dir.toString()));
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-Xshare:auto"),
            JvmLauncher.sharedArchiveFlags(archive));
    }

    @Test
    void shouldPassNoArchiveWhenNoneIsNextToJar()
    {
        assertNull(JvmLauncher.sharedArchive(null, jar.toString()));
        assertNull(JvmLauncher.sharedArchive(dir.resolve("missing.jsa").toString(), jar.toString()));
    }

    @Test
    void shouldSkipArchiveOlderThanItsJarWithOneWarning() throws IOException
    {
        final Path archive = Files.write(dir.resolve("hello.jsa"), new byte[]{ 1 });
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream original = System.err;

        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        final Path found;
        try
        {
            found = JvmLauncher.sharedArchive(null, jar.toString());
        }
        finally
        {
            System.setErr(original);
        }

        assertNull(found);
        final String warning = err.toString(StandardCharsets.UTF_8);
        assertTrue(warning.isEmpty() || warning.equals("herz: class-data sharing archive is older than its jar, " +
            "not used: expected " + archive.toAbsolutePath() + " to be newer than " + jar.toAbsolutePath() +
            " (bin/herz rebuilds it; JVMs start without it meanwhile)" + System.lineSeparator()), warning);
    }

    @Test
    void shouldLoadClassesFromFreshArchiveAndRunWithoutItWhenStaleCorruptOrMissing() throws Exception
    {
        final Path archive = dir.resolve("hello.jsa");
        final HelloJar.Run dump = java(List.of("-XX:ArchiveClassesAtExit=" + archive));
        assertEquals(0, dump.exitCode, dump.output);
        assertTrue(Files.isRegularFile(archive), dump.output);

        final HelloJar.Run fresh = java(JvmLauncher.sharedArchiveFlags(archive));
        assertEquals(0, fresh.exitCode, fresh.output);
        assertTrue(fresh.output.contains("hello from the jar"), fresh.output);
        assertTrue(HelloJar.helloLine(fresh.output).contains(HelloJar.SHARED), fresh.output);

        final Path corrupt = Files.write(dir.resolve("corrupt.jsa"), "not an archive".getBytes(StandardCharsets.UTF_8));
        final HelloJar.Run corrupted = java(JvmLauncher.sharedArchiveFlags(corrupt));
        assertEquals(0, corrupted.exitCode, corrupted.output);
        assertTrue(corrupted.output.contains("hello from the jar"), corrupted.output);
        assertFalse(HelloJar.helloLine(corrupted.output).contains(HelloJar.SHARED), corrupted.output);

        final HelloJar.Run missing = java(JvmLauncher.sharedArchiveFlags(dir.resolve("missing.jsa")));
        assertEquals(0, missing.exitCode, missing.output);
        assertTrue(missing.output.contains("hello from the jar"), missing.output);

        buildJar(); // the jar changes after the dump: the archive no longer matches it
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 2_000));
        final HelloJar.Run stale = java(JvmLauncher.sharedArchiveFlags(archive));
        assertEquals(0, stale.exitCode, stale.output);
        assertTrue(stale.output.contains("hello from the jar"), stale.output);
        assertFalse(HelloJar.helloLine(stale.output).contains(HelloJar.SHARED), stale.output);
    }

    private HelloJar.Run java(final List<String> flags) throws IOException, InterruptedException
    {
        final List<String> all = new ArrayList<>();
        all.add("-Xshare:auto");
        all.addAll(flags);
        return HelloJar.run(JvmLauncher.javaBinary(), all, jar, 60);
    }
}
