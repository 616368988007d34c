package io.herz.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class PipelineSpecTest
{
    private static final Path DIR = Path.of("/dev/shm/herz/test");

    @Test
    void shouldExpandRingsAndDirectoryWhenParsingStages()
    {
        final PipelineSpec spec = PipelineSpec.parse("spec", List.of(
            "# a comment",
            "ring events = ${dir}/events.seg",
            "",
            "stage sink = consume --ring ${events} --print",
            "stage p1 = produce --ring ${events} --json 'my file.json'"), DIR);

        assertEquals(new PipelineSpec.Ring("events", "/dev/shm/herz/test/events.seg", 1), spec.rings().get("events"));
        assertEquals(List.of("consume", "--ring", "/dev/shm/herz/test/events.seg", "--print"),
            spec.stages().get("sink").instances().get(0).args());
        assertEquals(List.of("produce", "--ring", "/dev/shm/herz/test/events.seg", "--json", "my file.json"),
            spec.stages().get("p1").instances().get(0).args());
        assertEquals(List.of(Path.of("/dev/shm/herz/test/events.seg")), spec.rings().get("events").files());
    }

    @Test
    void shouldGiveInstanceIItsPartitionWhenInstancesMatchPartitions()
    {
        final PipelineSpec spec = PipelineSpec.parse("spec", List.of(
            "ring events = ${dir}/events.seg partitions=4",
            "ring out = aeron:udp?endpoint=localhost:40123|stream-id=10 partitions=2",
            "stage agg[4] cpus=${instance} jvm=\"-Xmx64m -Dherz.i=${instance}\" = aggregate --in ${events} " +
                "--out ${out[1]} --stage-id ${instance} --note ${instance}/${instances}",
            "stage p = produce --ring ${events} --partitions ${events.partitions}"), DIR);

        final PipelineSpec.Ring events = spec.rings().get("events");
        assertEquals(4, events.partitions());
        assertEquals(List.of(Path.of("/dev/shm/herz/test/events-0.seg"), Path.of("/dev/shm/herz/test/events-1.seg"),
            Path.of("/dev/shm/herz/test/events-2.seg"), Path.of("/dev/shm/herz/test/events-3.seg")), events.files());
        assertEquals(List.of(), spec.rings().get("out").files(), "aeron streams pass through");
        final List<PipelineSpec.Instance> agg = spec.stages().get("agg").instances();
        assertEquals(4, agg.size());
        assertEquals("agg[2]", agg.get(2).label());
        assertEquals(List.of("aggregate", "--in", "/dev/shm/herz/test/events-2.seg",
            "--out", "aeron:udp?endpoint=localhost:40123|stream-id=11", "--stage-id", "2", "--note", "2/4"),
            agg.get(2).args());
        assertEquals("2", agg.get(2).cpus());
        assertEquals(List.of("-Xmx64m", "-Dherz.i=2"), agg.get(2).jvmFlags());
        final PipelineSpec.Instance producer = spec.stages().get("p").instances().get(0);
        assertEquals(List.of("produce", "--ring", "/dev/shm/herz/test/events.seg", "--partitions", "4"),
            producer.args());
        assertEquals("p", producer.label());
        assertNull(producer.cpus());
    }

    @Test
    void shouldNameLineWhenDirectiveIsUnknown()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PipelineSpec.parse("spec", List.of("ring a = x", "stag b = consume"), DIR));

        assertEquals("spec:2: line not understood: expected 'ring NAME = URI [partitions=N]' or " +
            "'stage NAME[N] [cpus=LIST] [jvm=\"FLAGS\"] = SUBCOMMAND ARGS...', found 'stag b = consume'",
            ex.getMessage());
    }

    @Test
    void shouldNameVariableWhenItIsUnknown()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PipelineSpec.parse("spec", List.of("stage b = consume --ring ${nope}"), DIR));

        assertEquals("spec:1: unknown variable: expected ${dir}, ${instance}, ${instances} or a ring defined " +
            "above, found ${nope}", ex.getMessage());
    }

    @Test
    void shouldRejectBadAttributesPartitionsAndInstances()
    {
        assertEquals("spec:1: ring 'a' partitions out of range: expected 1..1024, found '0'", message(
            "ring a = /x.seg partitions=0", "stage s = consume"));
        assertEquals("spec:1: ring 'a': unknown attribute: expected partitions=N, found 'parts=2'", message(
            "ring a = /x.seg parts=2", "stage s = consume"));
        assertEquals("spec:1: ring 'a': stream 'aeron:ipc': a partitioned aeron stream needs a stream-id: " +
            "expected aeron:...|stream-id=N (partition i uses N + i), found none", message(
            "ring a = aeron:ipc partitions=2", "stage s = consume"));
        assertEquals("spec:1: stage 's': unknown attribute: expected cpus=LIST or jvm=\"FLAGS\", found 'cpu=1'",
            message("stage s cpu=1 = consume"));
        assertEquals("spec:1: stage 's' instances out of range: expected 1..1024, found '0'",
            message("stage s[0] = consume"));
        assertEquals("spec:2: partition out of range: expected ${a[0..1]}, found ${a[2]}",
            message("ring a = /x.seg partitions=2", "stage s = consume --ring ${a[2]}"));
        assertEquals("spec:1: ring 'a': expected 'ring NAME = URI [partitions=N]', found 'ring a[2] = /x.seg'",
            message("ring a[2] = /x.seg", "stage s = consume"));
    }

    @Test
    void shouldRejectDuplicateNamesUnterminatedQuotesAndEmptySpecs()
    {
        assertEquals("spec:2: duplicate name: expected a new name, found 'a'",
            message("ring a = x", "stage a = consume"));
        assertEquals("spec:1: unterminated quote: expected a closing '", message("stage a = consume 'x"));
        assertEquals("spec: no stages: expected at least one 'stage NAME = ...' line", message("ring a = x"));
    }

    private static String message(final String... lines)
    {
        return assertThrows(IllegalArgumentException.class, () -> PipelineSpec.parse("spec", List.of(lines), DIR))
            .getMessage();
    }
}
