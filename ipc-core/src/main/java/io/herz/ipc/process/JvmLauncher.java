package io.herz.ipc.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        else
        {
            final Path archive = sharedArchive(System.getProperty(CDS_ARCHIVE_PROPERTY), classPath);
            if (null != archive)
            {
                command.addAll(sharedArchiveFlags(archive));
            }
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
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
            final String name = jar.getFileName().toString();
            archive = jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".jsa");
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
