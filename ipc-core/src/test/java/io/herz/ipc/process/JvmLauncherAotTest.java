package io.herz.ipc.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AOT caches for child JVMs (JDK 25+): which cache a child gets by its kind, that a JDK before 25 gets the
 * class-data sharing archive exactly as before, and that a JDK 25 JVM given the launcher's flags runs whether the
 * cache is fresh (classes then come from it), stale, corrupt or missing. The real-JVM part needs a JDK 25+ (this
 * JVM, or one under /usr/lib/jvm, or the system property herz.test.jdk25=PATH/bin/java) and is skipped without one.
 */
@Timeout(180)
class JvmLauncherAotTest
{
    private static final String JDK = "/opt/jdk-25 25.0.3+9-LTS";

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
    void shouldPickCacheOfStageKindElseJarCacheOnlyOnJdk25WithMatchingStamp() throws IOException
    {
        final Path own = fresh(dir.resolve("hello-aggregate.aot"));
        final Path general = fresh(dir.resolve("hello.aot"));
        final Path stamp = fresh(
            Files.writeString(dir.resolve("hello.aot.jdk"), JvmLauncher.aotStamp(JDK, jar) + "\n"));
        final String cp = jar.toString();

        assertEquals(own, JvmLauncher.aotCache(null, cp, "aggregate", 25, JDK));
        assertEquals(own, JvmLauncher.aotCache(null, cp, "aggregate", 26, JDK));
        assertEquals(general, JvmLauncher.aotCache(null, cp, "sink", 25, JDK));
        assertEquals(general, JvmLauncher.aotCache(null, cp, null, 25, JDK));
        assertEquals(general, JvmLauncher.aotCache(null, cp, "../aggregate", 25, JDK));
        assertEquals(general, JvmLauncher.aotCache(general.toString(), cp, "aggregate", 25, JDK));

        assertNull(JvmLauncher.aotCache(null, cp, "aggregate", 17, JDK));
        assertNull(JvmLauncher.aotCache(null, cp, "aggregate", 24, JDK));
        assertNull(JvmLauncher.aotCache(JvmLauncher.NO_ARCHIVE, cp, "aggregate", 25, JDK));
        assertNull(JvmLauncher.aotCache(null, cp, "aggregate", 25, "/opt/jdk-25 25.0.4+7-LTS"));
        assertNull(JvmLauncher.aotCache(null, cp + java.io.File.pathSeparator + dir.resolve("b.jar"), "aggregate",
            25, JDK));
        assertNull(JvmLauncher.aotCache(null, dir.toString(), "aggregate", 25, JDK));
        assertNull(JvmLauncher.aotCache(dir.resolve("missing.aot").toString(), cp, "aggregate", 25, JDK));

        HelloJar.write(jar, "another jar"); // rebuilt at the same path: the stamp names the old one
        fresh(own);
        assertNull(JvmLauncher.aotCache(null, cp, "aggregate", 25, JDK));
        Files.writeString(stamp, JvmLauncher.aotStamp(JDK, jar));
        assertEquals(own, JvmLauncher.aotCache(null, cp, "aggregate", 25, JDK));

        Files.delete(stamp);
        assertNull(JvmLauncher.aotCache(null, cp, "aggregate", 25, JDK));

        assertEquals(List.of("-XX:AOTCache=" + own.toAbsolutePath(), "-XX:AOTMode=auto"),
            JvmLauncher.aotCacheFlags(own));
    }

    @Test
    void shouldSkipCacheOlderThanItsJar() throws IOException
    {
        final Path cache = Files.write(dir.resolve("hello-sink.aot"), new byte[]{ 1 });
        Files.setLastModifiedTime(cache, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        fresh(Files.writeString(dir.resolve("hello.aot.jdk"), JvmLauncher.aotStamp(JDK, jar)));

        assertNull(JvmLauncher.aotCache(null, jar.toString(), "sink", 25, JDK));
    }

    @Test
    void shouldGiveArchiveBeforeJdk25AndCacheOrNothingFrom25() throws IOException
    {
        final Path archive = fresh(dir.resolve("hello.jsa"));
        final Path cache = fresh(dir.resolve("hello-produce.aot"));
        fresh(Files.writeString(dir.resolve("hello.aot.jdk"), JvmLauncher.aotStamp(JvmLauncher.thisJdk(), jar)));
        final String cp = jar.toString();
        final String cds = System.getProperty(JvmLauncher.CDS_ARCHIVE_PROPERTY);
        final String aot = System.getProperty(JvmLauncher.AOT_CACHE_PROPERTY);
        try
        {
            System.clearProperty(JvmLauncher.CDS_ARCHIVE_PROPERTY);
            System.clearProperty(JvmLauncher.AOT_CACHE_PROPERTY);

            assertEquals(JvmLauncher.sharedArchiveFlags(archive), JvmLauncher.archiveFlags(cp, "produce", 17));
            assertEquals(JvmLauncher.aotCacheFlags(cache), JvmLauncher.archiveFlags(cp, "produce", 25));
            assertEquals(List.of(), JvmLauncher.archiveFlags(cp, "sink", 25), "no cache of its own, no jar cache");

            System.setProperty(JvmLauncher.AOT_CACHE_PROPERTY, JvmLauncher.NO_ARCHIVE);
            assertEquals(JvmLauncher.sharedArchiveFlags(archive), JvmLauncher.archiveFlags(cp, "produce", 25));
        }
        finally
        {
            restore(JvmLauncher.CDS_ARCHIVE_PROPERTY, cds);
            restore(JvmLauncher.AOT_CACHE_PROPERTY, aot);
        }
    }

    @Test
    void shouldAddNoLauncherArchiveWhenChildFlagsNameOne()
    {
        for (final String flag : List.of("-XX:SharedArchiveFile=a.jsa", "-XX:AOTCache=a.aot",
            "-XX:AOTCacheOutput=a.aot", "-XX:AOTMode=off", "-XX:AOTConfiguration=a.conf",
            "-XX:ArchiveClassesAtExit=a.jsa", "-Xshare:off"))
        {
            assertTrue(JvmLauncher.namesArchive(flag), flag);
            final List<String> command = JvmLauncher.command(List.of(flag), HelloJar.HELLO, List.of(), "aggregate");
            assertEquals(1, command.stream().filter(f -> JvmLauncher.namesArchive(f)).count(), command.toString());
        }
        assertFalse(JvmLauncher.namesArchive("-Xmx1g"));
        assertFalse(JvmLauncher.namesArchive("-XX:+UseSerialGC"));
    }

    @Test
    void shouldLoadClassesFromFreshCacheAndRunWithoutItWhenStaleCorruptOrMissing() throws Exception
    {
        final String java25 = jdk25();
        assumeTrue(null != java25, "no JDK 25+ here (this JVM, /usr/lib/jvm/*, -Dherz.test.jdk25): skipped");
        final Path cache = dir.resolve("hello.aot");

        final HelloJar.Run training = java(java25, List.of("-XX:AOTCacheOutput=" + cache));
        assertEquals(0, training.exitCode, training.output);
        assertTrue(Files.isRegularFile(cache), training.output);

        final HelloJar.Run fresh = java(java25, JvmLauncher.aotCacheFlags(cache));
        assertEquals(0, fresh.exitCode, fresh.output);
        assertTrue(HelloJar.helloLine(fresh.output).contains(HelloJar.SHARED), fresh.output);

        final Path corrupt = Files.writeString(dir.resolve("corrupt.aot"), "not a cache");
        final HelloJar.Run corrupted = java(java25, JvmLauncher.aotCacheFlags(corrupt));
        assertEquals(0, corrupted.exitCode, corrupted.output);
        assertTrue(corrupted.output.contains("hello from the jar"), corrupted.output);
        assertFalse(HelloJar.helloLine(corrupted.output).contains(HelloJar.SHARED), corrupted.output);

        final HelloJar.Run missing = java(java25, JvmLauncher.aotCacheFlags(dir.resolve("missing.aot")));
        assertEquals(0, missing.exitCode, missing.output);
        assertTrue(missing.output.contains("hello from the jar"), missing.output);

        // a jar changed since training: JDK 25.0.3 would still map the cache and run the old jar's classes
        // (JDK-8377932), so the launcher passes it only while the stamp names this very jar
        final String stamp = JvmLauncher.aotStamp("jdk", jar);
        HelloJar.write(jar, "a changed jar");
        assertNotEquals(stamp, JvmLauncher.aotStamp("jdk", jar));

        if (Runtime.version().feature() < JvmLauncher.AOT_MIN_FEATURE)
        {
            // why the launcher gates the flags on the JDK: an older JVM refuses to start with them
            final HelloJar.Run old = java(JvmLauncher.javaBinary(), JvmLauncher.aotCacheFlags(cache));
            assertNotEquals(0, old.exitCode, old.output);
        }
    }

    private static String jdk25()
    {
        final String given = System.getProperty("herz.test.jdk25");
        if (null != given && !given.isBlank())
        {
            return given;
        }
        if (Runtime.version().feature() >= JvmLauncher.AOT_MIN_FEATURE)
        {
            return JvmLauncher.javaBinary();
        }
        final Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms))
        {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms))
        {
            return homes.filter(home -> feature(home) >= JvmLauncher.AOT_MIN_FEATURE)
                .map(home -> home.resolve("bin").resolve("java"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .sorted()
                .findFirst()
                .orElse(null);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static int feature(final Path home)
    {
        try
        {
            for (final String line : Files.readAllLines(home.resolve("release")))
            {
                if (line.startsWith("JAVA_VERSION=\""))
                {
                    final String version = line.substring("JAVA_VERSION=\"".length());
                    int end = 0;
                    while (end < version.length() && Character.isDigit(version.charAt(end)))
                    {
                        end++;
                    }
                    return end == 0 ? -1 : Integer.parseInt(version.substring(0, end));
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1; // no release file: not a JDK this test can use
        }
        return -1;
    }

    private Path fresh(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            Files.write(file, new byte[]{ 1 });
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1_000));
        return file;
    }

    private static void restore(final String property, final String value)
    {
        if (null == value)
        {
            System.clearProperty(property);
        }
        else
        {
            System.setProperty(property, value);
        }
    }

    private HelloJar.Run java(final String javaBinary, final List<String> flags) throws IOException, InterruptedException
    {
        return HelloJar.run(javaBinary, flags, jar, 90);
    }
}
