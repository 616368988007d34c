package io.herz.ipc.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place that knows how to start a child JVM for Herz: which {@code java}, which flags every JVM that uses
 * Agrona needs, which class path, and which class-data sharing archive. Tests, the benchmark harness and the
 * pipeline launcher all build their command lines here, so a flag changes in one place.
 * <p>
 * <b>Class-data sharing.</b> {@code bin/herz} keeps an AppCDS archive next to {@code herz.jar} ({@code herz.jsa},
 * dumped from a short training run of every stage kind, rebuilt when the jar changes). A child started here gets
 * {@code -XX:SharedArchiveFile=ARCHIVE -Xshare:auto} when its class path is that one jar and the archive is at least
 * as new as the jar: the classes of the JDK, picocli, Agrona and Herz it loads at start-up then come mapped from the
 * archive instead of being parsed and verified again in every JVM. {@code -Xshare:auto} (never {@code -Xshare:on})
 * means an archive the JVM cannot use (another class path, a jar changed since, a corrupt file) costs only the
 * saving: the JVM starts without it. An archive older than its jar is not passed at all and gets one warning on
 * standard error. The system property {@value #CDS_ARCHIVE_PROPERTY} names another archive, or {@code none} for none.
 * <p>
 * <b>Ahead-of-time cache (JDK 25 and later).</b> On a JDK whose feature release is at least {@value #AOT_MIN_FEATURE}
 * {@code bin/herz} keeps, instead of the archive, one AOT cache per stage kind next to the jar ({@code herz-KIND.aot},
 * e.g. {@code herz-aggregate.aot}, and {@code herz.aot} for the launcher JVM), each written by
 * {@code -XX:AOTCacheOutput} (JEP 514) at the exit of a short training run of that stage, so that it holds the classes
 * loaded and linked (JEP 483) and the method profiles (JEP 515) of the stage's hot loop. A child of kind
 * {@code KIND} ({@link #command(List, String, List, String)}) gets {@code -XX:AOTCache=CACHE -XX:AOTMode=auto} with
 * the cache of its kind, else {@code herz.aot}, only while the cache is at least as new as the jar and the stamp
 * {@code herz.aot.jdk} ({@link #aotStamp}) names this JDK and this very jar (JDK 25.0.3 itself does not reject a
 * cache whose jar changed: JDK-8377932). Otherwise, and on any JDK before {@value #AOT_MIN_FEATURE} (which refuses
 * the flags), a child gets no cache; on JDK {@value #AOT_MIN_FEATURE}+ it then gets no {@code .jsa} archive either
 * (the JDK's default class sharing), unless {@value #AOT_CACHE_PROPERTY}{@code =none}, which restores the archive
 * rules above. {@code -XX:AOTMode=auto} means a cache the JVM cannot use after all (corrupt, another JDK, another
 * class path) costs only the saving: the JVM prints why and runs without it. A child whose own flags name an archive
 * or a cache ({@code -XX:SharedArchiveFile}, {@code -XX:AOTCache*}, {@code -XX:AOTMode}, {@code -XX:AOTConfiguration},
 * {@code -XX:ArchiveClassesAtExit}, {@code -Xshare}) gets neither from the launcher.
 */
public final class JvmLauncher
{
    /** The option Agrona 2.x needs on every JVM that uses it. */
    public static final String ADD_OPENS = "--add-opens";

    /** Its value. Constants, so that annotations (JMH's {@code jvmArgsAppend}) can name them too. */
    public static final String ADD_OPENS_VALUE = "java.base/jdk.internal.misc=ALL-UNNAMED";

    /** Turns Agrona's bounds checks off: benchmarks and tuned deployments; tests keep them on. */
    public static final String NO_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";

    /** The flags every Herz JVM needs, in order. */
    public static final List<String> REQUIRED_FLAGS = List.of(ADD_OPENS, ADD_OPENS_VALUE);

    /**
     * System property: the class-data sharing archive for child JVMs, or {@value #NO_ARCHIVE} for none; unset: the
     * {@code .jsa} next to the class path's jar.
     */
    public static final String CDS_ARCHIVE_PROPERTY = "herz.cds.archive";

    /** The value of {@value #CDS_ARCHIVE_PROPERTY} that turns class-data sharing for child JVMs off. */
    public static final String NO_ARCHIVE = "none";

    /**
     * System property: a directory where every child JVM started here writes the list of classes it loaded
     * ({@code -XX:DumpLoadedClassList}, one file per child), for {@code bin/herz}'s training run of the archive;
     * children of a training run get no archive.
     */
    public static final String CDS_TRAINING_PROPERTY = "herz.cds.training";

    /**
     * System property: the AOT cache for every child JVM, or {@value #NO_ARCHIVE} for none (the {@code .jsa} archive
     * rules then apply on every JDK); unset: the caches next to the class path's jar.
     */
    public static final String AOT_CACHE_PROPERTY = "herz.aot.cache";

    /** The first JDK feature release whose AOT cache holds method profiles and that takes the flags used here. */
    public static final int AOT_MIN_FEATURE = 25;

    /** The file next to the jar that names the JDK the AOT caches were written by. */
    public static final String AOT_STAMP_SUFFIX = ".aot.jdk";

    private static final AtomicBoolean WARNED_STALE = new AtomicBoolean();
    private static final AtomicInteger CHILDREN = new AtomicInteger();

    private JvmLauncher()
    {
    }

    /**
     * @return the {@code java} of this JVM (the same JDK starts the children).
     */
    public static String javaBinary()
    {
        return ProcessHandle.current().info().command().orElse(
            Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The command line of a child JVM running {@code mainClass} on this JVM's class path, with this JVM's class-data
     * sharing archive ({@link #sharedArchive}) when there is one.
     *
     * @param jvmArgs   flags after the required ones (heap, GC, system properties); they override the launcher's.
     * @param mainClass the class whose {@code main} runs.
     * @param args      program arguments.
     * @return the command, ready for a {@link ProcessBuilder}.
     */
    public static List<String> command(final List<String> jvmArgs, final String mainClass, final List<String> args)
    {
        return command(jvmArgs, mainClass, args, null);
    }

    /**
     * The command line of a child JVM running {@code mainClass} on this JVM's class path, with the AOT cache of its
     * kind on JDK {@value #AOT_MIN_FEATURE}+ ({@link #aotCache}), else this JVM's class-data sharing archive
     * ({@link #sharedArchive}), when there is one.
     *
     * @param jvmArgs   flags after the required ones (heap, GC, system properties); they override the launcher's.
     * @param mainClass the class whose {@code main} runs.
     * @param args      program arguments.
     * @param kind      the child's kind, naming its AOT cache ({@code herz-KIND.aot}), e.g. "aggregate"; null for
     *                  the jar's general cache.
     * @return the command, ready for a {@link ProcessBuilder}.
     */
    public static List<String> command(
        final List<String> jvmArgs, final String mainClass, final List<String> args, final String kind)
    {
        final String classPath = System.getProperty("java.class.path");
        final List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(REQUIRED_FLAGS);
        final String training = System.getProperty(CDS_TRAINING_PROPERTY);
        if (null != training && !training.isBlank())
        {
            command.add("-XX:DumpLoadedClassList=" + Path.of(training).toAbsolutePath().resolve(
                "child-" + ProcessHandle.current().pid() + "-" + CHILDREN.incrementAndGet() + ".classlist"));
        }
        else if (jvmArgs.stream().noneMatch(JvmLauncher::namesArchive))
        {
            command.addAll(archiveFlags(classPath, kind, Runtime.version().feature()));
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * The launcher's archive or cache flags for a child (none where its own flags name one).
     *
     * @param classPath the child's class path.
     * @param kind      the child's kind, or null.
     * @param feature   the JDK's feature release ({@code Runtime.version().feature()}).
     * @return the AOT cache flags on JDK {@value #AOT_MIN_FEATURE}+ with a cache, else the archive flags where the
     * archive rules allow one, else none.
     */
    static List<String> archiveFlags(final String classPath, final String kind, final int feature)
    {
        final String aotProperty = System.getProperty(AOT_CACHE_PROPERTY);
        if (feature >= AOT_MIN_FEATURE && !NO_ARCHIVE.equals(aotProperty))
        {
            final Path cache = aotCache(aotProperty, classPath, kind, feature, thisJdk());
            return null == cache ? List.of() : aotCacheFlags(cache);
        }
        final Path archive = sharedArchive(System.getProperty(CDS_ARCHIVE_PROPERTY), classPath);
        return null == archive ? List.of() : sharedArchiveFlags(archive);
    }

    /**
     * @param flag a child's JVM flag.
     * @return whether it names a class-data sharing archive or AOT cache, or the sharing mode.
     */
    static boolean namesArchive(final String flag)
    {
        return flag.startsWith("-XX:SharedArchiveFile=") || flag.startsWith("-XX:AOTCache") ||
            flag.startsWith("-XX:AOTMode=") || flag.startsWith("-XX:AOTConfiguration=") ||
            flag.startsWith("-XX:ArchiveClassesAtExit=") || flag.startsWith("-Xshare:");
    }

    /**
     * The flags that map an AOT cache where the JVM can, and start without it where it cannot.
     *
     * @param cache the cache file.
     * @return {@code -XX:AOTCache=CACHE -XX:AOTMode=auto}.
     */
    public static List<String> aotCacheFlags(final Path cache)
    {
        return List.of("-XX:AOTCache=" + cache.toAbsolutePath(), "-XX:AOTMode=auto");
    }

    /**
     * @return this JDK as an AOT stamp names it: {@code java.home} and {@code java.runtime.version}, one space apart.
     */
    public static String thisJdk()
    {
        return System.getProperty("java.home") + " " + System.getProperty("java.runtime.version");
    }

    /**
     * The AOT cache for a child JVM.
     *
     * @param property  the value of {@value #AOT_CACHE_PROPERTY}: a cache path, {@value #NO_ARCHIVE}, or null for
     *                  the convention (the cache of the child's kind next to the jar, else the jar's general one).
     * @param classPath the child's class path.
     * @param kind      the child's kind ({@code [a-z0-9-]+}), or null.
     * @param feature   the JDK's feature release.
     * @param jdk       this JDK ({@link #thisJdk()}), which the stamp next to the jar must name.
     * @return the cache, or null for none: a JDK before {@value #AOT_MIN_FEATURE}, {@value #NO_ARCHIVE}, a class path
     * that is not one jar, no such file, a stamp ({@link #aotStamp}) that is missing or names another JDK or another
     * jar, or a cache older than that jar (then with a warning, once).
     */
    public static Path aotCache(
        final String property, final String classPath, final String kind, final int feature, final String jdk)
    {
        if (feature < AOT_MIN_FEATURE || NO_ARCHIVE.equals(property))
        {
            return null;
        }
        final Path jar = singleJar(classPath);
        if (null == jar)
        {
            return null;
        }
        final Path cache;
        if (null != property && !property.isBlank())
        {
            cache = Path.of(property);
        }
        else
        {
            final String base = jarBase(jar);
            final Path own = null != kind && kind.matches("[a-z0-9-]+") ?
                jar.resolveSibling(base + "-" + kind + ".aot") : null;
            cache = null != own && Files.isRegularFile(own) ? own : jar.resolveSibling(base + ".aot");
        }
        if (!Files.isRegularFile(cache) ||
            !stampNames(jar.resolveSibling(jarBase(jar) + AOT_STAMP_SUFFIX), aotStamp(jdk, jar)))
        {
            return null;
        }
        if (olderThan(cache, jar))
        {
            if (WARNED_STALE.compareAndSet(false, true))
            {
                System.err.println("herz: AOT cache is older than its jar, not used: expected " +
                    cache.toAbsolutePath() + " to be newer than " + jar.toAbsolutePath() +
                    " (bin/herz rebuilds it; JVMs start without it meanwhile)");
            }
            return null;
        }
        return cache;
    }

    /**
     * The stamp {@code bin/herz} writes next to the jar once its AOT caches are trained:
     * {@code JAVA_HOME RUNTIME_VERSION JAR_SIZE JAR_MTIME_S}. The jar's size and modification time are in it because
     * JDK 25.0.3 does not reject an AOT cache whose jar has changed since training (JDK-8377932, fixed in 25.0.4): it
     * would run the classes of the old jar. A cache is therefore passed only while the jar is the one it was trained
     * on.
     *
     * @param jdk {@link #thisJdk()}.
     * @param jar the jar.
     * @return the stamp's expected content, or a value no stamp holds when the jar cannot be read.
     */
    public static String aotStamp(final String jdk, final Path jar)
    {
        try
        {
            return jdk + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS);
        }
        catch (final IOException ex)
        {
            return "unreadable jar " + jar;
        }
    }

    private static boolean stampNames(final Path stamp, final String jdk)
    {
        try
        {
            return Files.isRegularFile(stamp) &&
                new String(Files.readAllBytes(stamp), java.nio.charset.StandardCharsets.UTF_8).strip().equals(jdk);
        }
        catch (final IOException ex)
        {
            return false; // unreadable: treat as another JDK's
        }
    }

    private static String jarBase(final Path jar)
    {
        final String name = jar.getFileName().toString();
        return name.substring(0, name.length() - ".jar".length());
    }

    /**
     * The flags that map a class-data sharing archive where the JVM can, and start without it where it cannot.
     *
     * @param archive the archive file.
     * @return {@code -XX:SharedArchiveFile=ARCHIVE -Xshare:auto}.
     */
    public static List<String> sharedArchiveFlags(final Path archive)
    {
        return List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-Xshare:auto");
    }

    /**
     * The class-data sharing archive for a child JVM.
     *
     * @param property  the value of {@value #CDS_ARCHIVE_PROPERTY}: an archive path, {@value #NO_ARCHIVE}, or null
     *                  for the convention (the archive next to the jar).
     * @param classPath the child's class path.
     * @return the archive, or null for none: no such file, {@value #NO_ARCHIVE}, a class path that is not one jar,
     * or an archive older than that jar (then with a warning, once).
     */
    public static Path sharedArchive(final String property, final String classPath)
    {
        if (NO_ARCHIVE.equals(property))
        {
            return null;
        }
        final Path jar = singleJar(classPath);
        final Path archive;
        if (null != property && !property.isBlank())
        {
            archive = Path.of(property);
        }
        else if (null != jar)
        {
            archive = jar.resolveSibling(jarBase(jar) + ".jsa");
        }
        else
        {
            return null;
        }
        if (!Files.isRegularFile(archive))
        {
            return null;
        }
        if (null != jar && olderThan(archive, jar))
        {
            if (WARNED_STALE.compareAndSet(false, true))
            {
                System.err.println("herz: class-data sharing archive is older than its jar, not used: expected " +
                    archive.toAbsolutePath() + " to be newer than " + jar.toAbsolutePath() +
                    " (bin/herz rebuilds it; JVMs start without it meanwhile)");
            }
            return null;
        }
        return archive;
    }

    private static Path singleJar(final String classPath)
    {
        if (null == classPath || classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator) ||
            !classPath.endsWith(".jar"))
        {
            return null;
        }
        return Path.of(classPath);
    }

    private static boolean olderThan(final Path archive, final Path jar)
    {
        try
        {
            return Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0;
        }
        catch (final IOException ex)
        {
            return true; // unreadable: treat as unusable
        }
    }
}
