package io.herz.examples;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module and package boundaries of DESIGN.md ("Modules"), checked on the compiled product classes of every
 * module on this class path (ipc-core, ipc-codec, ipc-window, ipc-aeron, ipc-examples: class directories or jars,
 * whichever the build resolved), without their tests. A rule
 * broken here fails the build.
 */
class ArchitectureTest
{
    private static JavaClasses product;

    @BeforeAll
    static void importClasses()
    {
        product = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // test-jars of other modules
            .importPackages("io.herz");
    }

    @Test
    void coreImportsNoCodecWindowCommandLineOrJson()
    {
        noClasses().that().resideInAPackage("io.herz.ipc..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "io.herz.codec..", "io.herz.window..", "io.herz.examples..", "io.herz.aeron..",
                "uk.co.real_logic.sbe..", "picocli..", "com.dslplatform..", "com.fasterxml..", "io.aeron..",
                "org.HdrHistogram..")
            .because("ipc-core is segments, rings and the transport seam only (DESIGN.md, Modules)")
            .check(product);
    }

    @Test
    void windowEngineImportsNoRingTransportOrCodec()
    {
        noClasses().that().resideInAPackage("io.herz.window")
            .should().dependOnClassesThat().resideInAnyPackage("io.herz.ipc..", "io.herz.codec..", "io.herz.window.stage..")
            .because("the windowing engine knows windows, watermarks and state, not how events travel")
            .check(product);
    }

    @Test
    void codecUsesTheSeamNotTheRing()
    {
        noClasses().that().resideInAnyPackage("io.herz.codec..", "io.herz.window..", "io.herz.examples..")
            .should().dependOnClassesThat().resideInAnyPackage("io.herz.ipc.ring..")
            .because("everything above ipc-core publishes and subscribes through io.herz.ipc.transport")
            .check(product);
    }

    @Test
    void nothingOutsideCoreWritesRingHeadersOrSlots()
    {
        noClasses().that().resideOutsideOfPackage("io.herz.ipc..")
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Descriptor")
            .andShould().dependOnClassesThat().resideInAPackage("io.herz.ipc.ring..")
            .because("the wire protocol has one writer: ipc-core")
            .check(product);
    }

    @Test
    void jacksonIsNoRunTimeDependency()
    {
        noClasses().that().resideInAPackage("io.herz..")
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml..")
            .because("Jackson is a test oracle and a benchmark peer, never on herz's run-time class path")
            .check(product);
    }

    @Test
    void corePackagesAreFreeOfCycles()
    {
        slices().matching("io.herz.ipc.(*)..").should().beFreeOfCycles().check(product);
    }

    @Test
    void modulesAreFreeOfCycles()
    {
        slices().matching("io.herz.(*)..").should().beFreeOfCycles().check(product);
    }
}
