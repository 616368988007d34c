package io.herz.examples;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code herz --help} lists every subcommand: each top-level picocli {@code @Command} class of the command line is
 * registered in {@link HerzCli} and named in the usage text, {@code bench} included (issue 15).
 */
class HelpListsEveryCommandTest
{
    @Test
    void shouldListEveryCommandClassInHelp()
    {
        final Set<String> declared = new TreeSet<>();
        for (final JavaClass type : new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.herz.examples"))
        {
            if (type.isAnnotatedWith(CommandLine.Command.class) && !type.isEquivalentTo(HerzCli.class) &&
                type.getPackageName().equals("io.herz.examples"))
            {
                declared.add(type.getAnnotationOfType(CommandLine.Command.class).name());
            }
        }
        final String help = help("--help");
        final Set<String> listed = new TreeSet<>();
        final Matcher matcher = Pattern.compile("(?m)^  (\\w[\\w-]*)\\s{2,}").matcher(help);
        while (matcher.find())
        {
            listed.add(matcher.group(1));
        }

        assertTrue(declared.containsAll(Set.of("bench", "consumers", "stat", "pipeline", "demo")), declared::toString);
        declared.add("help");
        assertEquals(declared, listed, help);
        assertEquals(declared, HerzCli.commandLine().getSubcommands().keySet().stream()
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void shouldSayWhereBenchmarksJarIsExpectedWhenItIsMissing()
    {
        final String missing = Path.of("target", "no-such-benchmarks.jar").toAbsolutePath().toString();
        System.setProperty(BenchCommand.JAR_PROPERTY, missing);
        try
        {
            final StringWriter err = new StringWriter();
            final int exit = HerzCli.commandLine().setErr(new PrintWriter(err)).execute("bench", "--quick");

            assertEquals(1, exit);
            assertEquals("herz bench: benchmarks.jar not found: expected " + missing + " (build it with 'mvn -B -pl " +
                "ipc-bench -am package -DskipTests', or run bin/herz bench, which builds it; or name it with " +
                "-Dherz.bench.jar=PATH or HERZ_BENCH_JAR=PATH)", err.toString().trim());
        }
        finally
        {
            System.clearProperty(BenchCommand.JAR_PROPERTY);
        }
    }

    private static String help(final String... args)
    {
        final StringWriter out = new StringWriter();
        assertEquals(0, HerzCli.commandLine().setOut(new PrintWriter(out)).execute(args));
        return out.toString();
    }
}
