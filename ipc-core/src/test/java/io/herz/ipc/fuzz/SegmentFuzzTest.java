package io.herz.ipc.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Fuzzes segment files: mutates valid segments built by the library ({@link SegmentTemplates}) with
 * {@link Mutation}s chosen by jqwik, then has two child JVMs ({@link FuzzChild}: Agrona bounds checks on, and off
 * as benchmarks and tuned deployments run) open, monitor, consume and produce into each. Every case must end in
 * a {@code SegmentException} or correct data, in both children: another exception type, a JVM crash or a hang
 * (the watchdog) fails the property, and jqwik reports the seed and a shrunk case. Failures listed in
 * {@link ExpectedFailures} are counted and reported instead.
 * <p>
 * CI runs {@value #CI_CASES} cases (each in both children); the soak run is tagged "soak":
 * {@code mvn -B -pl ipc-core -am test -Dtest=SegmentFuzzTest -Dherz.test.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}
 * runs both (the soak {@value #SOAK_CASES} cases). The summary goes to {@code ipc-core/target/fuzz/summary.txt}.
 */
class SegmentFuzzTest
{
    static final int CI_CASES = 10_000;
    static final int SOAK_CASES = 1_000_000;
    private static final long WATCHDOG_MS = 15_000;
    /**
     * {@code -Dherz.fuzz.collect=true}: survey mode. Unexpected failures are tallied (with one example each) in the
     * summary instead of failing the property, to see every kind of failure of a code base in one run.
     */
    private static final boolean COLLECT = Boolean.getBoolean("herz.fuzz.collect");

    @Property(tries = CI_CASES, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void everyCorruptSegmentEndsInASegmentExceptionOrData(@ForAll("cases") final FuzzCase fuzzCase) throws Exception
    {
        Harness.get().check(fuzzCase);
    }

    @Property(tries = SOAK_CASES, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    @Tag("soak")
    void soakEveryCorruptSegmentEndsInASegmentExceptionOrData(@ForAll("cases") final FuzzCase fuzzCase)
        throws Exception
    {
        Harness.get().check(fuzzCase);
    }

    @Provide
    Arbitrary<FuzzCase> cases()
    {
        final Arbitrary<Integer> selector = Arbitraries.integers().greaterOrEqual(0);
        final Arbitrary<Mutation> setWord = Combinators.combine(Arbitraries.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3), selector,
            Arbitraries.of(4, 8), Arbitraries.integers().between(0, Mutation.VALUE_KINDS - 1), Arbitraries.longs())
            .as(Mutation.SetWord::new);
        final Arbitrary<Mutation> flip = Combinators.combine(selector, Arbitraries.integers().between(1, 255))
            .as(Mutation.FlipByte::new);
        final Arbitrary<Mutation> truncate = selector.map(Mutation.Truncate::new);
        final Arbitrary<Mutation> extend = Combinators.combine(selector, Arbitraries.of(true, false))
            .as(Mutation.Extend::new);
        final Arbitrary<Mutation> copy = Combinators.combine(selector, selector).as(Mutation.CopyWord::new);
        final Arbitrary<Mutation> fill = Combinators.combine(selector, selector, Arbitraries.bytes())
            .as(Mutation.Fill::new);
        @SuppressWarnings("unchecked")
        final Arbitrary<Mutation> mutation = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, setWord),
            net.jqwik.api.Tuple.of(4, flip),
            net.jqwik.api.Tuple.of(1, truncate),
            net.jqwik.api.Tuple.of(1, extend),
            net.jqwik.api.Tuple.of(2, copy),
            net.jqwik.api.Tuple.of(1, fill));
        return Combinators.combine(selector, mutation.list().ofMinSize(1).ofMaxSize(4)).as(FuzzCase::new);
    }

    @AfterContainer
    static void report() throws IOException
    {
        Harness.closeAndReport();
    }

    /** Templates, the two children and the tallies, shared by every try of a run. */
    static final class Harness
    {
        private static Harness instance;

        private final Path work;
        private final Path file;
        private final List<SegmentTemplates.Template> templates;
        private final FuzzChildProcess[] children;
        private final AtomicLong cases = new AtomicLong();
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final Map<String, Long> expected = new TreeMap<>();
        private final Map<String, Long> unexpected = new TreeMap<>();
        private final Map<String, String> examples = new TreeMap<>();
        private final long startNs = System.nanoTime();

        private Harness() throws IOException
        {
            final Path shm = Path.of("/dev/shm");
            final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of("target");
            work = Files.createDirectories(base.resolve("herz-test-fuzz-" + ProcessHandle.current().pid()));
            file = work.resolve("case.seg");
            templates = SegmentTemplates.build(work.resolve("templates"));
            final Path errors = Path.of("target", "fuzz").toAbsolutePath();
            children = new FuzzChildProcess[]{
                new FuzzChildProcess("bounds-on", List.of(), errors, WATCHDOG_MS),
                new FuzzChildProcess("bounds-off", List.of("-Dagrona.disable.bounds.checks=true"), errors,
                    WATCHDOG_MS)};
        }

        static synchronized Harness get() throws IOException
        {
            if (instance == null)
            {
                instance = new Harness();
            }
            return instance;
        }

        void check(final FuzzCase fuzzCase) throws IOException, InterruptedException
        {
            final long id = cases.incrementAndGet();
            final byte[] bytes = fuzzCase.apply(templates);
            final SegmentTemplates.Template template = fuzzCase.template(templates);
            for (final FuzzChildProcess child : children)
            {
                Files.write(file, bytes); // afresh for each child: the previous one may have produced into it
                final FuzzChildProcess.Answer answer = child.run(id, file);
                if (!answer.isFailure())
                {
                    tally(answer.outcomes());
                    continue;
                }
                final String entry = ExpectedFailures.match(name(child) + ": " + answer.signature());
                if (entry != null)
                {
                    synchronized (this)
                    {
                        expected.merge(name(child) + ": " + answer.signature(), 1L, Long::sum);
                    }
                    continue;
                }
                final String report = answer.kind() + " in " + name(child) + ": " + answer.signature() +
                    "\n  template " + template.name() + ", mutations " + fuzzCase.mutations() +
                    "\n  " + answer.details().replace(" \\n ", "\n  ");
                if (COLLECT)
                {
                    synchronized (this)
                    {
                        unexpected.merge(name(child) + ": " + answer.signature(), 1L, Long::sum);
                        examples.putIfAbsent(name(child) + ": " + answer.signature(), report);
                    }
                    continue;
                }
                throw new AssertionError(report);
            }
        }

        private String name(final FuzzChildProcess child)
        {
            return child == children[0] ? "bounds-on child" : "bounds-off child";
        }

        private synchronized void tally(final String line)
        {
            for (final String step : line.split("\\|"))
            {
                if (!step.isEmpty())
                {
                    outcomes.merge(step, 1L, Long::sum);
                }
            }
        }

        static synchronized void closeAndReport() throws IOException
        {
            if (instance == null)
            {
                return;
            }
            final Harness harness = instance;
            instance = null;
            for (final FuzzChildProcess child : harness.children)
            {
                child.close();
            }
            final StringBuilder sb = new StringBuilder();
            sb.append(String.format("segment fuzzer: %,d cases x 2 children (bounds checks on, off) in %.1f s; " +
                    "child JVM starts: %d, %d%n", harness.cases.get(), (System.nanoTime() - harness.startNs) / 1e9,
                harness.children[0].starts(), harness.children[1].starts()));
            sb.append("outcomes by step (ok, or the SegmentException message with numbers as N):\n");
            harness.outcomes.forEach((k, v) -> sb.append(String.format("  %,10d  %s%n", v, k)));
            sb.append("expected failures (ExpectedFailures.RING_V1):\n");
            harness.expected.forEach((k, v) -> sb.append(String.format("  %,10d  %s%n", v, k)));
            if (!harness.unexpected.isEmpty())
            {
                sb.append("UNEXPECTED failures (survey mode, -Dherz.fuzz.collect=true):\n");
                harness.unexpected.forEach((k, v) -> sb.append(String.format("  %,10d  %s%n", v, k)));
                sb.append("one example of each:\n");
                harness.examples.values().forEach(e -> sb.append(e).append("\n\n"));
            }
            final List<String> stale = new ArrayList<>();
            for (final String entry : ExpectedFailures.RING_V1)
            {
                if (harness.expected.keySet().stream().noneMatch(k -> k.contains(entry)))
                {
                    stale.add(entry);
                }
            }
            sb.append("expected-failure entries that matched nothing (remove them?): ").append(stale).append('\n');
            final Path out = Files.createDirectories(Path.of("target", "fuzz")).resolve("summary.txt");
            Files.writeString(out, sb.toString());
            System.out.print(sb);
            try (Stream<Path> files = Files.walk(harness.work))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
