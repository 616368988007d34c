package io.herz.ipc.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows how to start a child JVM for Herz: which {@code java}, which flags every JVM that uses
 * Agrona needs, and which class path. Tests, the benchmark harness and the pipeline launcher all build their command
 * lines here, so a flag changes in one place.
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
     * The command line of a child JVM running {@code mainClass} on this JVM's class path.
     *
     * @param jvmArgs   flags after the required ones (heap, GC, system properties).
     * @param mainClass the class whose {@code main} runs.
     * @param args      program arguments.
     * @return the command, ready for a {@link ProcessBuilder}.
     */
    public static List<String> command(final List<String> jvmArgs, final String mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(REQUIRED_FLAGS);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
