package io.herz.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags the pipeline launcher gives a stage by its kind, before the launcher's own flags and the stage's
 * {@code jvm="..."} (which therefore override them): a heap that fits the stage, the serial collector, and a
 * smaller inlining cut for C2.
 * <p>
 * Why: a JVM left to its ergonomics on this kind of machine reserves a quarter of the RAM as heap, starts with a
 * 1/64 of it, and picks G1 with its concurrent threads and remembered sets; a stage whose hot path allocates nothing
 * uses a few MB of it. So producers, consumers and sinks get {@code -Xms8m -Xmx128m} (JSON lines are projected in
 * place, results decoded in place and formatted into a reused buffer), the aggregator {@code -Xms16m -Xmx1g} (its
 * window state grows with keys times open windows; the serial collector grows the heap only as the state does),
 * and all of them {@code -XX:+UseSerialGC} (no GC threads competing with the stages for the cores, the smallest
 * native footprint, and nothing to collect concurrently on an allocation-free hot path). And every stage
 * {@value #FREQ_INLINE_SIZE}: C2 inlines a hot callee only up to 100 bytecodes instead of HotSpot's 325 (x86). A
 * stage's hot loop (parse, claim, encode, commit; poll, window update, result publish) is a few small methods
 * calling a few large ones; with the default cut C2 inlines the large ones into every caller and compiles each
 * loop into one unit of 15-30 KB of code, compiled again after each uncommon trap, which on a 2-core machine is CPU
 * the stages do not get. With the cut the units are smaller and compile in about 40% less compiler CPU, and the
 * measured jobs run faster, not slower (docs/PERFORMANCE.md, "The inlining cut as a stage default"). A stage
 * whose flags already set a heap size ({@code -Xmx}, {@code -Xms} and their {@code -XX} forms, or a RAM
 * percentage) gets neither heap default; one that names a collector gets no collector default; one that sets
 * {@code -XX:FreqInlineSize} keeps its own. The system property
 * {@value #DEFAULTS_PROPERTY}{@code =off} (e.g. {@code HERZ_JAVA_OPTS=-Dherz.stage.defaults=off bin/herz pipeline
 * ...}) turns them all off.
 */
final class StageJvm
{
    /** System property: "off" turns the stage defaults off. */
    static final String DEFAULTS_PROPERTY = "herz.stage.defaults";

    private static final List<String> SMALL_HEAP = List.of("-Xms8m", "-Xmx128m");
    private static final List<String> AGGREGATOR_HEAP = List.of("-Xms16m", "-Xmx1g");
    private static final String SERIAL_GC = "-XX:+UseSerialGC";
    /** C2's size limit for inlining a frequently called method, in bytecodes (HotSpot's default on x86: 325). */
    static final String FREQ_INLINE_SIZE = "-XX:FreqInlineSize=100";

    private StageJvm()
    {
    }

    /**
     * @param command   the stage's command, e.g. "aggregate".
     * @param jvmArgs   the launcher's flags for every stage.
     * @param jvmFlags  the stage's own {@code jvm="..."} flags.
     * @return the default flags for it, empty where none apply.
     */
    static List<String> defaults(final String command, final List<String> jvmArgs, final List<String> jvmFlags)
    {
        if ("off".equals(System.getProperty(DEFAULTS_PROPERTY)))
        {
            return List.of();
        }
        final List<String> heap;
        switch (command)
        {
            case "aggregate":
                heap = AGGREGATOR_HEAP;
                break;
            case "produce":
            case "consume":
            case "sink":
                heap = SMALL_HEAP;
                break;
            default:
                return List.of();
        }
        final List<String> given = new ArrayList<>(jvmArgs);
        given.addAll(jvmFlags);
        final List<String> defaults = new ArrayList<>();
        if (given.stream().noneMatch(StageJvm::isHeapSize))
        {
            defaults.addAll(heap);
        }
        if (given.stream().noneMatch(StageJvm::isCollector))
        {
            defaults.add(SERIAL_GC);
        }
        if (given.stream().noneMatch(flag -> flag.startsWith("-XX:FreqInlineSize=")))
        {
            defaults.add(FREQ_INLINE_SIZE);
        }
        return defaults;
    }

    private static boolean isHeapSize(final String flag)
    {
        return flag.startsWith("-Xmx") || flag.startsWith("-Xms") || flag.startsWith("-XX:MaxHeapSize=") ||
            flag.startsWith("-XX:InitialHeapSize=") || flag.startsWith("-XX:MinHeapSize=") ||
            flag.contains("RAMPercentage=") || flag.startsWith("-XX:MaxRAM=");
    }

    private static boolean isCollector(final String flag)
    {
        return flag.startsWith("-XX:+Use") && flag.endsWith("GC");
    }
}
