package io.herz.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The boundaries of DESIGN.md ("Modules") for {@code ipc-bench}, which the {@code ArchitectureTest} of
 * {@code ipc-examples} cannot see (ipc-bench is on no other module's class path): benchmarks and peers reach Herz's
 * rings only through the transport seam ({@code io.herz.ipc.transport}), never through {@code io.herz.ipc.ring} or
 * Herz's layout descriptors, so the wire protocol has one writer, ipc-core. One package is outside these rules by
 * name: {@code io.herz.bench.internal} holds white-box microbenchmarks of ipc-core's own pieces (the cost of a slot
 * store, a liveness probe, a stall check: {@code ConsumerDutyCycleBenchmark}), which compare no transports and need
 * the ring's classes to measure them.
 */
class BenchBoundariesTest
{
    /** White-box microbenchmarks of ipc-core's pieces; see the class comment. */
    private static final String INTERNAL = "io.herz.bench.internal..";

    private static JavaClasses bench;

    @BeforeAll
    static void importClasses()
    {
        bench = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.herz.bench");
    }

    @Test
    void benchUsesTheSeamNotTheRing()
    {
        noClasses().that().resideInAPackage("io.herz.bench..").and().resideOutsideOfPackage(INTERNAL)
            .should().dependOnClassesThat().resideInAPackage("io.herz.ipc.ring..")
            .because("benchmarks and peers implement and drive the transport seam; ipc-bench writes no wire " +
                "protocol of its own (DESIGN.md, Modules)")
            .check(bench);
    }

    @Test
    void benchReadsNoHerzLayoutDescriptor()
    {
        noClasses().that().resideInAPackage("io.herz.bench..").and().resideOutsideOfPackage(INTERNAL)
            .should().dependOnClassesThat(
                com.tngtech.archunit.base.DescribedPredicate.describe("Herz layout descriptors", javaClass ->
                    javaClass.getPackageName().startsWith("io.herz.ipc") && javaClass.getSimpleName()
                        .endsWith("Descriptor")))
            .because("ring headers and slots are ipc-core's")
            .check(bench);
    }

    @Test
    void benchClassesWereImported()
    {
        // a rule over an empty import passes vacuously: make sure the product classes are there
        if (bench.stream().noneMatch(javaClass -> javaClass.getName().equals("io.herz.bench.ring.RingBenchmark")))
        {
            throw new AssertionError("io.herz.bench.ring.RingBenchmark not imported: expected the compiled " +
                "ipc-bench classes, found " + bench.size() + " classes");
        }
    }
}
