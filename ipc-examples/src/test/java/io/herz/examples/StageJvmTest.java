package io.herz.examples;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageJvmTest
{
    private static final String INLINE = "-XX:FreqInlineSize=100";

    @Test
    void shouldSizeHeapByStageKindAndPickSerialCollector()
    {
        assertEquals(List.of("-Xms8m", "-Xmx128m", "-XX:+UseSerialGC", INLINE),
            StageJvm.defaults("produce", List.of(), List.of()));
        assertEquals(List.of("-Xms8m", "-Xmx128m", "-XX:+UseSerialGC", INLINE),
            StageJvm.defaults("sink", List.of(), List.of()));
        assertEquals(List.of("-Xms8m", "-Xmx128m", "-XX:+UseSerialGC", INLINE),
            StageJvm.defaults("consume", List.of(), List.of()));
        assertEquals(List.of("-Xms16m", "-Xmx1g", "-XX:+UseSerialGC", INLINE),
            StageJvm.defaults("aggregate", List.of(), List.of()));
        assertEquals(List.of(), StageJvm.defaults("stat", List.of(), List.of()));
    }

    @Test
    void shouldLeaveHeapOrCollectorToFlagsThatSetThem()
    {
        assertEquals(List.of("-XX:+UseSerialGC", INLINE), StageJvm.defaults("aggregate", List.of(), List.of("-Xmx4g")));
        assertEquals(List.of("-XX:+UseSerialGC", INLINE), StageJvm.defaults("sink", List.of("-Xms1m"), List.of()));
        assertEquals(List.of("-XX:+UseSerialGC", INLINE),
            StageJvm.defaults("produce", List.of(), List.of("-XX:MaxRAMPercentage=10")));
        assertEquals(List.of("-Xms8m", "-Xmx128m", INLINE),
            StageJvm.defaults("produce", List.of("-XX:+UseParallelGC"), List.of()));
        assertEquals(List.of(INLINE), StageJvm.defaults("produce", List.of(), List.of("-XX:+UseG1GC", "-Xmx1g")));
    }

    @Test
    void shouldLeaveTheInliningCutToFlagsThatSetIt()
    {
        assertEquals(List.of("-Xms8m", "-Xmx128m", "-XX:+UseSerialGC"),
            StageJvm.defaults("sink", List.of(), List.of("-XX:FreqInlineSize=325")));
        assertEquals(List.of("-Xms16m", "-Xmx1g", "-XX:+UseSerialGC"),
            StageJvm.defaults("aggregate", List.of("-XX:FreqInlineSize=200"), List.of()));
    }

    @Test
    void shouldPutDefaultsBeforeLauncherAndStageFlagsSoTheyOverride()
    {
        final PipelineSpec spec = PipelineSpec.parse("test", List.of(
            "ring events = ${dir}/events.seg",
            "stage agg jvm=\"-Xmx2g\" = aggregate --in ${events} --out ${dir}/w.seg --window tumbling:1s"),
            Path.of("/dev/shm/herz-test-stagejvm"));

        final List<String> command = Placement.command(spec.instances().get(0), List.of("-Dherz.x=1"));

        final int gc = command.indexOf("-XX:+UseSerialGC");
        assertTrue(gc > 0 && gc < command.indexOf("-Dherz.x=1") && command.indexOf("-Dherz.x=1") <
            command.indexOf("-Xmx2g"), command.toString());
        assertTrue(!command.contains("-Xmx1g") && !command.contains("-Xms16m"), command.toString());
    }
}
