package io.herz.examples;

import io.herz.ipc.process.JvmLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code herz bench}: the multi-process transport benchmark (every peer in one run; HTML and Markdown report). It
 * lives in ipc-bench, which depends on every module and on the peers (Agrona, Aeron, Chronicle Queue), so it is not
 * part of herz.jar: this command runs {@value #MAIN_CLASS} from ipc-bench's {@code benchmarks.jar} in a child JVM
 * with the flags {@code bin/herz bench} gives it (which runs that jar directly), and passes every argument on
 * ({@code herz bench --help} prints the benchmark's own options). The jar is {@code -D}{@value #JAR_PROPERTY}, else
 * {@code $}{@value #JAR_ENV}, else {@code ipc-bench/target/benchmarks.jar} of the checkout herz.jar was built in.
 */
@Command(name = "bench",
    description = "Run the multi-process transport benchmark (Herz rings, Agrona, Aeron IPC/UDP, Unix sockets, " +
        "Chronicle Queue; throughput and latency, HTML and Markdown report) from ipc-bench's benchmarks.jar. " +
        "'herz bench --help' lists its options, e.g. --quick.")
public final class BenchCommand implements Callable<Integer>
{
    /** The benchmark's entry point in benchmarks.jar. */
    static final String MAIN_CLASS = "io.herz.bench.ipc.BenchMain";
    /** System property naming benchmarks.jar. */
    static final String JAR_PROPERTY = "herz.bench.jar";
    /** Environment variable naming benchmarks.jar. */
    static final String JAR_ENV = "HERZ_BENCH_JAR";

    private static final String JAR_IN_CHECKOUT = "ipc-bench/target/benchmarks.jar";
    private static final int CHECKOUT_LEVELS = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    private List<String> args = new ArrayList<>();

    public Integer call() throws Exception
    {
        final Path jar = locate();
        if (jar == null || !Files.isRegularFile(jar))
        {
            throw new IllegalStateException("benchmarks.jar not found: expected " +
                (jar == null ? JAR_IN_CHECKOUT + " in the checkout of herz.jar" : jar.toString()) +
                " (build it with 'mvn -B -pl ipc-bench -am package -DskipTests', or run bin/herz bench, which " +
                "builds it; or name it with -D" + JAR_PROPERTY + "=PATH or " + JAR_ENV + "=PATH)");
        }
        final List<String> command = new ArrayList<>();
        command.add(JvmLauncher.javaBinary());
        command.addAll(JvmLauncher.REQUIRED_FLAGS);
        command.add(JvmLauncher.NO_BOUNDS_CHECKS);
        command.add("-cp");
        command.add(jar.toString());
        command.add(MAIN_CLASS);
        command.addAll(args);
        final Process process = new ProcessBuilder(command).inheritIO().start();
        try
        {
            return process.waitFor();
        }
        finally
        {
            process.destroy(); // interrupted: do not leave the benchmark running
        }
    }

    /** @return the configured jar, else the one in the checkout this class was loaded from, else null. */
    static Path locate() throws URISyntaxException
    {
        final String property = System.getProperty(JAR_PROPERTY);
        if (property != null && !property.isEmpty())
        {
            return Path.of(property).toAbsolutePath();
        }
        final String env = System.getenv(JAR_ENV);
        if (env != null && !env.isEmpty())
        {
            return Path.of(env).toAbsolutePath();
        }
        final java.security.CodeSource source = BenchCommand.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null)
        {
            return null;
        }
        // herz.jar is ipc-examples/target/herz.jar; the classes are ipc-examples/target/classes
        Path dir = Path.of(source.getLocation().toURI()).toAbsolutePath().getParent();
        for (int level = 0; dir != null && level < CHECKOUT_LEVELS; level++, dir = dir.getParent())
        {
            final Path candidate = dir.resolve(JAR_IN_CHECKOUT);
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
