package io.herz.ipc.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

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
    private static final String HELLO = CdsHello.class.getName();
    private static final String SHARED = "source: shared objects file";

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void buildJar() throws IOException
    {
        jar = dir.resolve("hello.jar");
        final String entry = HELLO.replace('.', '/') + ".class";
        try (InputStream in = CdsHello.class.getClassLoader().getResourceAsStream(entry);
            JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)))
        {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
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
        final Run dump = java(List.of("-XX:ArchiveClassesAtExit=" + archive));
        assertEquals(0, dump.exitCode, dump.output);
        assertTrue(Files.isRegularFile(archive), dump.output);

        final Run fresh = java(JvmLauncher.sharedArchiveFlags(archive));
        assertEquals(0, fresh.exitCode, fresh.output);
        assertTrue(fresh.output.contains("hello from the jar"), fresh.output);
        assertTrue(helloLine(fresh.output).contains(SHARED), fresh.output);

        final Path corrupt = Files.write(dir.resolve("corrupt.jsa"), "not an archive".getBytes(StandardCharsets.UTF_8));
        final Run corrupted = java(JvmLauncher.sharedArchiveFlags(corrupt));
        assertEquals(0, corrupted.exitCode, corrupted.output);
        assertTrue(corrupted.output.contains("hello from the jar"), corrupted.output);
        assertFalse(helloLine(corrupted.output).contains(SHARED), corrupted.output);

        final Run missing = java(JvmLauncher.sharedArchiveFlags(dir.resolve("missing.jsa")));
        assertEquals(0, missing.exitCode, missing.output);
        assertTrue(missing.output.contains("hello from the jar"), missing.output);

        buildJar(); // the jar changes after the dump: the archive no longer matches it
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 2_000));
        final Run stale = java(JvmLauncher.sharedArchiveFlags(archive));
        assertEquals(0, stale.exitCode, stale.output);
        assertTrue(stale.output.contains("hello from the jar"), stale.output);
        assertFalse(helloLine(stale.output).contains(SHARED), stale.output);
    }

    private static String helloLine(final String output)
    {
        for (final String line : output.split("\n"))
        {
            if (line.contains("[class,load]") && line.contains(" " + HELLO + " "))
            {
                return line;
            }
        }
        return "no class-load line for " + HELLO;
    }

    private Run java(final List<String> flags) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(JvmLauncher.javaBinary());
        command.add("-Xlog:class+load=info");
        command.add("-Xshare:auto");
        command.addAll(flags);
        command.add("-cp");
        command.add(jar.toString());
        command.add(HELLO);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final Thread pump = new Thread(() -> copy(process.getInputStream(), output));
        pump.start();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
        pump.join(5_000);
        return new Run(process.isAlive() ? -1 : process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    private static void copy(final InputStream in, final OutputStream out)
    {
        try
        {
            in.transferTo(out);
        }
        catch (final IOException ignore)
        {
            // the process went away: its exit code tells
        }
    }

    private static final class Run
    {
        final int exitCode;
        final String output;

        Run(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
