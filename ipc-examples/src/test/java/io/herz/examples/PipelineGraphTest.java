package io.herz.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PipelineGraphTest
{
    private static final Path DIR = Path.of("/dev/shm/herz/g");

    private static PipelineGraph graph(final String... lines)
    {
        return PipelineGraph.of(PipelineSpec.parse("spec", List.of(lines), DIR));
    }

    @Test
    void shouldStartReadersFirstAndTellThemHowManyEndsOfStreamComeWhenPartitioned()
    {
        final PipelineGraph graph = graph(
            "ring events = ${dir}/events.seg partitions=2",
            "ring windows = ${dir}/windows.seg",
            "stage p1 = produce --ring ${events} --partitions 2 --producer-id 1 --synthetic",
            "stage p2 = produce --ring ${events} --partitions ${events.partitions} --producer-id 2 --synthetic",
            "stage agg[2] = aggregate --in ${events} --out ${windows} --window tumbling:1s --stage-id ${instance}",
            "stage sink = sink --ring ${windows}");

        assertEquals(List.of(), graph.errors());
        assertEquals(List.of(), graph.warnings());
        final List<String> order = new ArrayList<>();
        graph.startOrder().forEach(instance -> order.add(instance.label()));
        assertEquals(List.of("sink", "agg[0]", "agg[1]", "p1", "p2"), order);
        assertEquals(List.of("sink", "--ring", "/dev/shm/herz/g/windows.seg", "--producers", "2"),
            graph.startOrder().get(0).args(), "two aggregator instances write windows");
        assertEquals(List.of("aggregate", "--in", "/dev/shm/herz/g/events-1.seg", "--out",
            "/dev/shm/herz/g/windows.seg", "--window", "tumbling:1s", "--stage-id", "1", "--producers", "2"),
            graph.startOrder().get(2).args(), "both producers write every partition");
    }

    @Test
    void shouldMakeTheOnlyWriterOfAResultsRingItsExclusiveProducerAndLeaveFanInShared()
    {
        final PipelineGraph single = graph(
            "ring events = ${dir}/events.seg",
            "ring windows = ${dir}/windows.seg",
            "ring late = ${dir}/late.seg",
            "stage p1 = produce --ring ${events} --producer-id 1 --synthetic",
            "stage agg = aggregate --in ${events} --out ${windows} --late-out ${late} --window tumbling:1s",
            "stage sink = sink --ring ${windows}",
            "stage lateReader = consume --ring ${late}");
        assertEquals(List.of(), single.errors());
        final List<String> aggregator = single.startOrder().stream()
            .filter(instance -> instance.label().equals("agg")).findFirst().orElseThrow().args();
        assertEquals(1, aggregator.stream().filter("--exclusive-output"::equals).count(), aggregator.toString());

        final PipelineGraph fanIn = graph(
            "ring events = ${dir}/events.seg partitions=2",
            "ring windows = ${dir}/windows.seg",
            "stage p1 = produce --ring ${events} --partitions 2 --producer-id 1 --synthetic",
            "stage agg[2] = aggregate --in ${events} --out ${windows} --window tumbling:1s --stage-id ${instance}",
            "stage sink = sink --ring ${windows}");
        fanIn.startOrder().forEach(instance -> assertTrue(!instance.args().contains("--exclusive-output"),
            instance.label() + " shares windows with another aggregator: " + instance.args()));

        final PipelineGraph explicit = graph(
            "ring events = ${dir}/events.seg",
            "ring windows = ${dir}/windows.seg",
            "stage p1 = produce --ring ${events} --producer-id 1 --synthetic",
            "stage agg = aggregate --in ${events} --out ${windows} --window tumbling:1s --exclusive-output",
            "stage sink = sink --ring ${windows}");
        final List<String> given = explicit.startOrder().stream()
            .filter(instance -> instance.label().equals("agg")).findFirst().orElseThrow().args();
        assertEquals(1, given.stream().filter("--exclusive-output"::equals).count(), "not added twice: " + given);
    }

    @Test
    void shouldPrintRingsPartitionsConsumersEdgesAndPlacementWhenDryRun()
    {
        final String cpu = Placement.allowedCpuList().split("[,-]")[0];
        final PipelineGraph graph = graph(
            "ring events = ${dir}/events.seg partitions=2",
            "ring windows = ${dir}/windows.seg",
            "stage p1 cpus=" + cpu + " = produce --ring ${events} --partitions 2 --producer-id 1 --synthetic",
            "stage agg[2] jvm=\"-Xmx64m\" = aggregate --in ${events} --out ${windows} --window tumbling:1s " +
                "--stage-id ${instance} --consumer-name agg",
            "stage sink = sink --ring ${windows}");

        final String text = graph.describe(List.of("-XX:+UseSerialGC"));

        assertEquals(String.join("\n",
            "pipeline spec",
            "rings:",
            "  events[2] = /dev/shm/herz/g/events.seg partitions=2 (shm: created by its reader, removed by the " +
                "launcher)",
            "    events[0] /dev/shm/herz/g/events-0.seg writers [p1] readers [agg[0] (consumer agg)]",
            "    events[1] /dev/shm/herz/g/events-1.seg writers [p1] readers [agg[1] (consumer agg)]",
            "  windows = /dev/shm/herz/g/windows.seg (shm: created by its reader, removed by the launcher)",
            "    windows writers [agg[0], agg[1]] readers [sink (consumer default)]",
            "edges:",
            "  agg[0] -> windows -> sink (consumer default)",
            "  agg[1] -> windows -> sink (consumer default)",
            "  p1 -> events[0] -> agg[0] (consumer agg)",
            "  p1 -> events[1] -> agg[1] (consumer agg)",
            "stages (start order):",
            "  sink: herz sink --ring /dev/shm/herz/g/windows.seg --producers 2",
            "  agg[0]: herz aggregate --in /dev/shm/herz/g/events-0.seg --out /dev/shm/herz/g/windows.seg " +
                "--window tumbling:1s --stage-id 0 --consumer-name agg --producers 1",
            "    placement: jvm=\"-Xmx64m\"",
            "  agg[1]: herz aggregate --in /dev/shm/herz/g/events-1.seg --out /dev/shm/herz/g/windows.seg " +
                "--window tumbling:1s --stage-id 1 --consumer-name agg --producers 1",
            "    placement: jvm=\"-Xmx64m\"",
            "  p1: herz produce --ring /dev/shm/herz/g/events.seg --partitions 2 --producer-id 1 --synthetic",
            "    placement: cpus=" + cpu + " (taskset -c " + cpu + ")",
            "  every stage's JVM also gets: -XX:+UseSerialGC",
            "checks: ok",
            ""), text);
    }

    @Test
    void shouldReportRingsWithoutWriterOrReaderAndWholeReadsOfPartitionedRings()
    {
        final PipelineGraph graph = graph(
            "ring events = ${dir}/events.seg partitions=2",
            "ring lonely = ${dir}/lonely.seg",
            "stage agg = aggregate --in ${events} --out ${dir}/elsewhere.seg --window tumbling:1s",
            "stage p = produce --ring ${events} --producer-id 1 --synthetic");

        assertEquals(List.of(
            "stage agg reads partitioned ring events[2] as a whole: expected stage agg[2] (instance i reads " +
                "partition i) or one partition, ${events[i]}",
            "stage p writes ring events[2] as a whole with --partitions absent: expected --partitions 2 " +
                "(${events.partitions}) to route each event by key",
            "ring events[0] has no writer: expected a stage that writes /dev/shm/herz/g/events-0.seg",
            "ring events[0] has no reader: expected a stage that reads /dev/shm/herz/g/events-0.seg",
            "ring events[1] has no writer: expected a stage that writes /dev/shm/herz/g/events-1.seg",
            "ring events[1] has no reader: expected a stage that reads /dev/shm/herz/g/events-1.seg",
            "ring lonely has no writer: expected a stage that writes /dev/shm/herz/g/lonely.seg",
            "ring lonely has no reader: expected a stage that reads /dev/shm/herz/g/lonely.seg"), graph.errors());
        assertEquals(List.of("stage agg uses /dev/shm/herz/g/elsewhere.seg, which is no ring of the spec: not " +
            "checked, created or removed by the launcher"), graph.warnings());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, graph::check);
        assertTrue(ex.getMessage().startsWith("spec: pipeline cannot run:\n  stage agg reads"), ex.getMessage());
    }

    @Test
    void shouldRejectEndsOfStreamThatCannotComeAndSameConsumerNameTwice()
    {
        final PipelineGraph graph = graph(
            "ring events = ${dir}/events.seg",
            "ring windows = ${dir}/windows.seg",
            "stage p = produce --ring ${events} --producer-id 1 --synthetic",
            "stage tumbling = aggregate --in ${events} --out ${windows} --window tumbling:1s --producers 2",
            "stage sliding = aggregate --in ${events} --out ${windows} --window sliding:2s,1s --stage-id 1",
            "stage sink = sink --ring ${windows} --producers 1");

        assertEquals(List.of(
            "ring events has two readers named 'default' (tumbling, sliding): expected a different " +
                "--consumer-name for each reading stage (fan-out)",
            "stage tumbling waits for 2 ends of stream on [events] but only 1 can come: expected --producers 1 " +
                "(one per writer instance; or leave --producers out and the launcher sets it)"), graph.errors());
        assertEquals(List.of("stage sink ends after 1 of the 2 ends of stream on [windows]: what the other writers " +
            "send after that is not read"), graph.warnings());
    }

    @Test
    void shouldAcceptFanOutWithConsumerNamesAndMergeOfTwoInputs()
    {
        final PipelineGraph graph = graph(
            "ring a = ${dir}/a.seg",
            "ring b = ${dir}/b.seg",
            "ring windows = ${dir}/windows.seg",
            "ring sessions = ${dir}/sessions.seg",
            "stage pa = produce --ring ${a} --producer-id 1 --synthetic",
            "stage pb = produce --ring ${b} --producer-id 2 --synthetic",
            "stage merge = aggregate --in ${a} --in ${b} --out ${windows} --window tumbling:1s --consumer-name t",
            "stage fan = aggregate --in ${a} --out ${sessions} --window session:1s --consumer-name s",
            "stage sink = sink --ring ${windows} --ring ${sessions}");

        assertEquals(List.of(), graph.errors());
        final List<String> order = new ArrayList<>();
        graph.startOrder().forEach(instance -> order.add(instance.label()));
        assertEquals(List.of("sink", "merge", "pb", "fan", "pa"), order, "readers first, then spec order");
        assertEquals("--producers 2", String.join(" ", graph.startOrder().get(1).args().subList(11, 13)));
        assertEquals(List.of("sink", "--ring", "/dev/shm/herz/g/windows.seg", "--ring",
            "/dev/shm/herz/g/sessions.seg", "--producers", "2"), graph.startOrder().get(0).args());
    }

    @Test
    void shouldStartProducersOfAFanOutRingOnlyOnceEveryReaderIsRegistered()
    {
        final PipelineGraph graph = graph(
            "ring events = ${dir}/events.seg",
            "ring tumbling = ${dir}/tumbling.seg",
            "ring sliding = ${dir}/sliding.seg",
            "stage tsink = sink --ring ${tumbling}",
            "stage ssink = sink --ring ${sliding}",
            "stage tagg = aggregate --in ${events} --out ${tumbling} --window tumbling:1s --consumer-name t",
            "stage sagg = aggregate --in ${events} --out ${sliding} --window sliding:1s,250ms --consumer-name s " +
                "--ready-file /tmp/sagg.ready",
            "stage p1 = produce --ring ${events} --producer-id 1 --synthetic",
            "stage p2 = produce --ring ${events} --producer-id 2 --synthetic --start-after /tmp/sagg.ready");

        assertEquals(List.of(), graph.errors());
        final String taggReady = "/dev/shm/herz/g/.tagg.ready-" + ProcessHandle.current().pid();
        assertEquals(List.of(taggReady), PipelineGraph.values(args(graph, "tagg"), "--ready-file"),
            "a reader of the fan-out ring without a ready file gets one beside the ring");
        assertEquals(List.of("/tmp/sagg.ready"), PipelineGraph.values(args(graph, "sagg"), "--ready-file"),
            "its own ready file is kept");
        assertEquals(List.of(taggReady, "/tmp/sagg.ready"), PipelineGraph.values(args(graph, "p1"), "--start-after"));
        assertEquals(List.of("/tmp/sagg.ready", taggReady), PipelineGraph.values(args(graph, "p2"), "--start-after"),
            "a gate the producer names already is not repeated");
        assertEquals(List.of(), PipelineGraph.values(args(graph, "tsink"), "--ready-file"),
            "one reader per ring: no gate");

        // Downstream: two readers of one results ring; the sources wait for them too, and a consume stage can be one.
        final PipelineGraph results = graph(
            "ring events = ${dir}/events.seg",
            "ring windows = ${dir}/windows.seg",
            "stage csv = sink --ring ${windows} --consumer-name csv",
            "stage check = consume --ring ${windows} --consumer-name check",
            "stage agg = aggregate --in ${events} --out ${windows} --window tumbling:1s",
            "stage p1 = produce --ring ${events} --producer-id 1 --synthetic");
        assertEquals(List.of(), results.errors());
        final String pid = Long.toString(ProcessHandle.current().pid());
        assertEquals(List.of("/dev/shm/herz/g/.csv.ready-" + pid, "/dev/shm/herz/g/.check.ready-" + pid),
            PipelineGraph.values(args(results, "p1"), "--start-after"));
        assertEquals(List.of("/dev/shm/herz/g/.check.ready-" + pid),
            PipelineGraph.values(args(results, "check"), "--ready-file"));
        assertEquals(List.of(), PipelineGraph.values(args(results, "agg"), "--ready-file"),
            "the only reader of events: no gate");
    }

    private static List<String> args(final PipelineGraph graph, final String label)
    {
        return graph.startOrder().stream().filter(instance -> instance.label().equals(label)).findFirst()
            .orElseThrow().args();
    }

    @Test
    void shouldReportCycleAndPlacementThisMachineCannotGive()
    {
        final PipelineGraph graph = graph(
            "ring a = ${dir}/a.seg",
            "ring b = ${dir}/b.seg",
            "stage x cpus=4096 = aggregate --in ${a} --out ${b} --window tumbling:1s --producers 1",
            "stage y cpus=1-x = aggregate --in ${b} --out ${a} --window tumbling:1s --producers 1");

        assertEquals(List.of(
            "stage x: cpus=4096 not allowed on this machine: expected CPUs within " + Placement.allowedCpuList() +
                " (Cpus_allowed_list of this process), found 4096 outside",
            "stage y: cpus=1-x is not a CPU list: expected e.g. 3, 2-3 or 0,2-3",
            "stages [x, y] form a cycle: expected a pipeline without loops"), graph.errors());
    }
}
