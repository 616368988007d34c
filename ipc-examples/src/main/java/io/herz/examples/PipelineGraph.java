package io.herz.examples;

import io.herz.ipc.transport.TransportUri;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link PipelineSpec} makes: which stage instance writes and reads which ring partition, under which
 * consumer name, how many ends of stream each reader gets, the order to start the stages in, and whether it can run.
 * <p>
 * Stages are understood by their subcommand: {@code produce} writes {@code --ring} (all partitions, by key, with
 * {@code --partitions N}); {@code consume} reads {@code --ring}; {@code sink} reads every {@code --ring};
 * {@code aggregate} reads every {@code --in} and writes {@code --out} and {@code --late-out}. Readers name themselves
 * with {@code --consumer-name} (default {@code default}). Other subcommands are started but take no part in the graph.
 * <p>
 * Checks (errors stop the pipeline before anything starts):
 * <ul>
 *     <li>every partition of every ring has a writer and a reader;</li>
 *     <li>a reader takes one partition (a parallel stage with as many instances as partitions, or
 *     {@code ${R[i]}}); only {@code produce --partitions N} writes a partitioned ring as a whole, with N its
 *     partition count;</li>
 *     <li>two readers of one partition have different consumer names (fan-out);</li>
 *     <li>no reader waits for more ends of stream than its inputs' writers send: a reader without
 *     {@code --producers} is given the right number (one per writer instance of each partition it reads); one with
 *     fewer is a warning (it stops early);</li>
 *     <li>no cycle; placement ({@code cpus=}) possible on this machine ({@link Placement#check}).</li>
 * </ul>
 * An aggregator that is the only writer of its results ring is given {@code --exclusive-output}.
 * Producers start only once every reader of a ring that several stages read (fan-out) is registered
 * ({@code --ready-file} / {@code --start-after}, {@link #gateFanOut}).
 * Stages start in dependency order, readers before their writers (the consumer of a ring creates it).
 */
final class PipelineGraph
{
    private static final String DEFAULT_CONSUMER = io.herz.ipc.transport.SubscriptionOptions.DEFAULT_CONSUMER_NAME;

    /** One partition of one ring. */
    private record Partition(PipelineSpec.Ring ring, int index)
    {
        String label()
        {
            return ring.partitions() > 1 ? ring.name() + "[" + index + "]" : ring.name();
        }
    }

    private final PipelineSpec spec;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Partition> byUri = new HashMap<>();
    private final Map<String, PipelineSpec.Ring> wholeByUri = new HashMap<>();
    private final Map<Partition, List<String>> writers = new LinkedHashMap<>();
    private final Map<Partition, List<String>> readers = new LinkedHashMap<>();
    private final Map<Partition, List<PipelineSpec.Instance>> readerInstances = new LinkedHashMap<>();
    private final Map<PipelineSpec.Instance, List<Partition>> inputs = new LinkedHashMap<>();
    private final Map<PipelineSpec.Instance, Set<Partition>> outputs = new LinkedHashMap<>();
    private final Map<PipelineSpec.Instance, Set<Partition>> resultOutputs = new LinkedHashMap<>();
    private final List<PipelineSpec.Instance> startOrder = new ArrayList<>();
    private final Map<String, String> streamsOutsideSpec = new LinkedHashMap<>();

    private PipelineGraph(final PipelineSpec spec)
    {
        this.spec = spec;
    }

    /**
     * Build and check the graph of a spec.
     *
     * @param spec the parsed spec.
     * @return the graph, with its errors and warnings.
     */
    static PipelineGraph of(final PipelineSpec spec)
    {
        final PipelineGraph graph = new PipelineGraph(spec);
        graph.build();
        return graph;
    }

    private void build()
    {
        for (final PipelineSpec.Ring ring : spec.rings().values())
        {
            for (int i = 0; i < ring.partitions(); i++)
            {
                final Partition partition = new Partition(ring, i);
                byUri.put(key(ring.partition(i)), partition);
                writers.put(partition, new ArrayList<>());
                readers.put(partition, new ArrayList<>());
                readerInstances.put(partition, new ArrayList<>());
            }
            if (ring.partitions() > 1)
            {
                wholeByUri.put(key(ring.uri()), ring);
            }
        }
        for (final PipelineSpec.Instance instance : spec.instances())
        {
            connect(instance);
            final String placement = Placement.check(instance);
            if (null != placement)
            {
                errors.add(placement);
            }
        }
        checkPartitions();
        final Map<PipelineSpec.Instance, PipelineSpec.Instance> told = tellProducers();
        told.replaceAll((original, instance) -> exclusiveResults(original, instance));
        gateFanOut(told);
        order(told);
    }

    private void connect(final PipelineSpec.Instance instance)
    {
        final List<Partition> in = new ArrayList<>();
        final Set<Partition> out = new LinkedHashSet<>();
        final List<String> args = instance.args();
        switch (instance.command())
        {
            case "produce":
                for (final String uri : values(args, "--ring"))
                {
                    writeRouted(instance, uri, out);
                }
                break;
            case "consume":
            case "sink":
                for (final String uri : values(args, "--ring"))
                {
                    read(instance, uri, in);
                }
                break;
            case "aggregate":
                for (final String uri : values(args, "--in"))
                {
                    read(instance, uri, in);
                }
                final Set<Partition> results = new LinkedHashSet<>();
                for (final String uri : values(args, "--out"))
                {
                    write(instance, uri, results);
                }
                resultOutputs.put(instance, results);
                out.addAll(results);
                for (final String uri : values(args, "--late-out"))
                {
                    write(instance, uri, out);
                }
                break;
            default:
                break;
        }
        inputs.put(instance, in);
        outputs.put(instance, out);
        final String consumer = consumerName(instance);
        for (final Partition partition : in)
        {
            readers.get(partition).add(instance.label() + " (consumer " + consumer + ")");
            readerInstances.get(partition).add(instance);
        }
        for (final Partition partition : out)
        {
            writers.get(partition).add(instance.label());
        }
    }

    private void writeRouted(final PipelineSpec.Instance instance, final String uri, final Set<Partition> out)
    {
        final String partitionsText = last(instance.args(), "--partitions");
        final int count = null == partitionsText ? 1 : parseInt(partitionsText, -1);
        final PipelineSpec.Ring whole = wholeByUri.get(key(uri));
        if (null != whole)
        {
            if (count != whole.partitions())
            {
                errors.add("stage " + instance.label() + " writes ring " + whole.label() + " as a whole with " +
                    "--partitions " + (null == partitionsText ? "absent" : partitionsText) +
                    ": expected --partitions " +
                    whole.partitions() + " (${" + whole.name() + ".partitions}) to route each event by key");
                return;
            }
            for (int i = 0; i < whole.partitions(); i++)
            {
                out.add(byUri.get(key(whole.partition(i))));
            }
            return;
        }
        if (count > 1)
        {
            errors.add("stage " + instance.label() + " writes " + uri + " with --partitions " + count + ": expected " +
                "a ring declared with partitions=" + count + ", found " + describeStream(uri));
            return;
        }
        write(instance, uri, out);
    }

    private void write(final PipelineSpec.Instance instance, final String uri, final Set<Partition> out)
    {
        final Partition partition = byUri.get(key(uri));
        if (null != partition)
        {
            out.add(partition);
        }
        else if (wholeByUri.containsKey(key(uri)))
        {
            errors.add("stage " + instance.label() + " writes partitioned ring " + wholeByUri.get(key(uri)).label() +
                " as a whole: expected one partition (${R[i]}, or a stage with as many instances), or produce " +
                "--partitions to route by key");
        }
        else
        {
            outside(instance, uri);
        }
    }

    private void read(final PipelineSpec.Instance instance, final String uri, final List<Partition> in)
    {
        final Partition partition = byUri.get(key(uri));
        if (null != partition)
        {
            in.add(partition);
        }
        else if (wholeByUri.containsKey(key(uri)))
        {
            final PipelineSpec.Ring ring = wholeByUri.get(key(uri));
            errors.add("stage " + instance.label() + " reads partitioned ring " + ring.label() + " as a whole: " +
                "expected stage " + instance.stage() + "[" + ring.partitions() + "] (instance i reads partition i) " +
                "or one partition, ${" + ring.name() + "[i]}");
        }
        else
        {
            outside(instance, uri);
        }
    }

    private void outside(final PipelineSpec.Instance instance, final String uri)
    {
        if (null == streamsOutsideSpec.putIfAbsent(uri, instance.label()))
        {
            warnings.add("stage " + instance.label() + " uses " + uri + ", which is no ring of the spec: not " +
                "checked, created or removed by the launcher");
        }
    }

    private void checkPartitions()
    {
        for (final Map.Entry<Partition, List<String>> entry : writers.entrySet())
        {
            final Partition partition = entry.getKey();
            if (entry.getValue().isEmpty())
            {
                errors.add("ring " + partition.label() + " has no writer: expected a stage that writes " +
                    partition.ring().partition(partition.index()));
            }
            if (readers.get(partition).isEmpty())
            {
                errors.add("ring " + partition.label() + " has no reader: expected a stage that reads " +
                    partition.ring().partition(partition.index()));
            }
        }
        for (final Map.Entry<Partition, List<String>> entry : readers.entrySet())
        {
            final Map<String, String> byName = new HashMap<>();
            for (final PipelineSpec.Instance instance : spec.instances())
            {
                if (inputs.get(instance).contains(entry.getKey()))
                {
                    final String other = byName.put(consumerName(instance), instance.label());
                    if (null != other)
                    {
                        errors.add("ring " + entry.getKey().label() + " has two readers named '" +
                            consumerName(instance) + "' (" + other + ", " + instance.label() + "): expected a " +
                            "different --consumer-name for each reading stage (fan-out)");
                    }
                }
            }
        }
    }

    /**
     * Give readers without {@code --producers} the number of ends of stream their inputs get, and check the others.
     */
    private Map<PipelineSpec.Instance, PipelineSpec.Instance> tellProducers()
    {
        final Map<PipelineSpec.Instance, PipelineSpec.Instance> told = new LinkedHashMap<>();
        for (final PipelineSpec.Instance instance : spec.instances())
        {
            final List<Partition> in = inputs.get(instance);
            PipelineSpec.Instance result = instance;
            if (!in.isEmpty())
            {
                int ends = 0;
                for (final Partition partition : in)
                {
                    ends += writers.get(partition).size();
                }
                final String explicit = last(instance.args(), "--producers");
                if (null == explicit)
                {
                    if (ends > 0)
                    {
                        final List<String> args = new ArrayList<>(instance.args());
                        args.add("--producers");
                        args.add(Integer.toString(ends));
                        result = instance.withArgs(args);
                    }
                }
                else
                {
                    checkProducers(instance, explicit, ends, in);
                }
            }
            told.put(instance, result);
        }
        return told;
    }

    /**
     * An aggregator that is the only writer of its results ring (every partition its {@code --out} names) publishes
     * as that ring's exclusive producer ({@code --exclusive-output}: no locked instruction per record); one of
     * several aggregators writing one results ring (fan-in) stays a shared producer.
     */
    private PipelineSpec.Instance exclusiveResults(
        final PipelineSpec.Instance original, final PipelineSpec.Instance instance)
    {
        final Set<Partition> results = resultOutputs.get(original);
        if (null == results || results.isEmpty() || instance.args().contains(AggregateCommand.EXCLUSIVE_OUTPUT))
        {
            return instance;
        }
        for (final Partition partition : results)
        {
            if (writers.get(partition).size() != 1)
            {
                return instance;
            }
        }
        final List<String> args = new ArrayList<>(instance.args());
        args.add(AggregateCommand.EXCLUSIVE_OUTPUT);
        return instance.withArgs(args);
    }

    /**
     * The {@code produce} stages start publishing only once every reader of every Herz ring partition that two or
     * more stages read (fan-out, each under its own consumer name) has registered: a consumer name joins at the
     * oldest record still held, so a reader that registered after another had read and released the first records
     * would never see them (a fan-out test lost 552 of 4,000 events to one reader that way). Every producer waits for
     * all of them, not only for the readers of the ring it writes: the sources gate the whole pipeline, so a results
     * ring that two sinks read downstream of an aggregator gets nothing before both are registered either. Each such
     * reader gets a {@code --ready-file} (its own, if it names one; else {@code .NAME.ready-PID} beside the ring,
     * PID the launcher's), each producer a {@code --start-after} per reader, unless it names that file already.
     */
    private void gateFanOut(final Map<PipelineSpec.Instance, PipelineSpec.Instance> told)
    {
        final Map<PipelineSpec.Instance, String> readyFiles = new LinkedHashMap<>();
        for (final Map.Entry<Partition, List<PipelineSpec.Instance>> entry : readerInstances.entrySet())
        {
            final Partition partition = entry.getKey();
            if (entry.getValue().size() < 2 || !partition.ring().isShm())
            {
                continue;
            }
            final java.nio.file.Path ring = TransportUri.parse(partition.ring().partition(partition.index())).path();
            for (final PipelineSpec.Instance reader : entry.getValue())
            {
                readyFiles.computeIfAbsent(reader, r ->
                {
                    final String own = last(told.get(r).args(), "--ready-file");
                    return null != own ? own : ring.resolveSibling("." + r.label() + ".ready-" +
                        ProcessHandle.current().pid()).toString();
                });
            }
        }
        for (final Map.Entry<PipelineSpec.Instance, String> ready : readyFiles.entrySet())
        {
            final PipelineSpec.Instance reader = told.get(ready.getKey());
            if (null == last(reader.args(), "--ready-file"))
            {
                final List<String> args = new ArrayList<>(reader.args());
                args.add("--ready-file");
                args.add(ready.getValue());
                told.put(ready.getKey(), reader.withArgs(args));
            }
        }
        if (readyFiles.isEmpty())
        {
            return;
        }
        for (final PipelineSpec.Instance original : spec.instances())
        {
            if ("produce".equals(original.command()))
            {
                final PipelineSpec.Instance producer = told.get(original);
                final List<String> named = values(producer.args(), "--start-after");
                final List<String> args = new ArrayList<>(producer.args());
                for (final String file : new LinkedHashSet<>(readyFiles.values()))
                {
                    if (!named.contains(file))
                    {
                        args.add("--start-after");
                        args.add(file);
                    }
                }
                told.put(original, producer.withArgs(args));
            }
        }
    }

    private void checkProducers(
        final PipelineSpec.Instance instance, final String explicit, final int ends, final List<Partition> in)
    {
        final int expected = parseInt(explicit, -1);
        final boolean everyPublisher = "aggregate".equals(instance.command()) && 0 == expected;
        if (everyPublisher)
        {
            return;
        }
        final List<String> labels = new ArrayList<>();
        in.forEach(partition -> labels.add(partition.label()));
        if (expected > ends || expected < 0)
        {
            errors.add("stage " + instance.label() + " waits for " + explicit + " ends of stream on " + labels +
                " but only " + ends + " can come: expected --producers " + ends + " (one per writer instance; " +
                "or leave --producers out and the launcher sets it)");
        }
        else if (expected < ends)
        {
            warnings.add("stage " + instance.label() + " ends after " + expected + " of the " + ends + " ends of " +
                "stream on " + labels + ": what the other writers send after that is not read");
        }
    }

    private void order(final Map<PipelineSpec.Instance, PipelineSpec.Instance> told)
    {
        final List<String> names = new ArrayList<>(spec.stages().keySet());
        final Map<String, Set<String>> mustStartFirst = new HashMap<>(); // stage -> readers of what it writes
        for (final String name : names)
        {
            mustStartFirst.put(name, new LinkedHashSet<>());
        }
        for (final PipelineSpec.Instance writer : spec.instances())
        {
            for (final PipelineSpec.Instance reader : spec.instances())
            {
                if (!reader.stage().equals(writer.stage()) &&
                    !java.util.Collections.disjoint(outputs.get(writer), inputs.get(reader)))
                {
                    mustStartFirst.get(writer.stage()).add(reader.stage());
                }
            }
        }
        final Set<String> started = new LinkedHashSet<>();
        while (started.size() < names.size())
        {
            String next = null;
            for (final String name : names)
            {
                if (!started.contains(name) && started.containsAll(mustStartFirst.get(name)))
                {
                    next = name;
                    break;
                }
            }
            if (null == next)
            {
                final List<String> rest = new ArrayList<>(names);
                rest.removeAll(started);
                errors.add("stages " + rest + " form a cycle: expected a pipeline without loops");
                rest.forEach(started::add);
                for (final String name : rest)
                {
                    spec.stages().get(name).instances().forEach(instance -> startOrder.add(told.get(instance)));
                }
                break;
            }
            started.add(next);
            spec.stages().get(next).instances().forEach(instance -> startOrder.add(told.get(instance)));
        }
    }

    /**
     * @return what stops the pipeline from running; empty when it can.
     */
    List<String> errors()
    {
        return errors;
    }

    /**
     * @return what may not be meant.
     */
    List<String> warnings()
    {
        return warnings;
    }

    /**
     * @return every instance in the order to start them (readers first), {@code --producers} filled in.
     */
    List<PipelineSpec.Instance> startOrder()
    {
        return startOrder;
    }

    /**
     * @throws IllegalArgumentException naming every error, when there is one.
     */
    void check()
    {
        if (!errors.isEmpty())
        {
            throw new IllegalArgumentException(spec.source() + ": pipeline cannot run:\n  " +
                String.join("\n  ", errors));
        }
    }

    /**
     * What {@code herz pipeline --dry-run} prints: rings with partitions, writers and readers (consumers), the edges,
     * the stages in start order with their command lines and placement, and the checks.
     *
     * @param jvmArgs the launcher's JVM flags for every stage.
     * @return the text, lines ending in '\n'.
     */
    String describe(final List<String> jvmArgs)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("pipeline ").append(spec.source()).append('\n');
        sb.append("rings:\n");
        for (final PipelineSpec.Ring ring : spec.rings().values())
        {
            sb.append("  ").append(ring.label()).append(" = ").append(ring.uri())
                .append(ring.partitions() > 1 ? " partitions=" + ring.partitions() : "")
                .append(ring.isShm() ? " (shm: created by its reader, removed by the launcher)" :
                    " (passed through: the transport owns it)").append('\n');
            for (int i = 0; i < ring.partitions(); i++)
            {
                final Partition partition = new Partition(ring, i);
                sb.append("    ").append(partition.label()).append(' ')
                    .append(ring.partitions() > 1 ? ring.partition(i) + " " : "")
                    .append("writers ").append(writers.get(partition))
                    .append(" readers ").append(readers.get(partition)).append('\n');
            }
        }
        sb.append("edges:\n");
        for (final PipelineSpec.Instance instance : startOrder)
        {
            for (final Partition partition : outputs.getOrDefault(original(instance), Set.of()))
            {
                for (final String reader : readers.get(partition))
                {
                    sb.append("  ").append(instance.label()).append(" -> ").append(partition.label()).append(" -> ")
                        .append(reader).append('\n');
                }
            }
        }
        sb.append("stages (start order):\n");
        for (final PipelineSpec.Instance instance : startOrder)
        {
            sb.append("  ").append(instance.label()).append(": herz ").append(String.join(" ", instance.args()))
                .append('\n');
            if (null != instance.cpus() || !instance.jvmFlags().isEmpty())
            {
                sb.append("    placement:").append(null == instance.cpus() ? "" : " cpus=" + instance.cpus() +
                    " (taskset -c " + instance.cpus() + ")")
                    .append(instance.jvmFlags().isEmpty() ? "" : " jvm=\"" + String.join(" ", instance.jvmFlags()) +
                    "\"").append('\n');
            }
        }
        if (!jvmArgs.isEmpty())
        {
            sb.append("  every stage's JVM also gets: ").append(String.join(" ", jvmArgs)).append('\n');
        }
        sb.append("checks: ").append(errors.isEmpty() ? "ok" : errors.size() + " error(s)")
            .append(warnings.isEmpty() ? "" : ", " + warnings.size() + " warning(s)").append('\n');
        errors.forEach(error -> sb.append("  error: ").append(error).append('\n'));
        warnings.forEach(warning -> sb.append("  warning: ").append(warning).append('\n'));
        return sb.toString();
    }

    private PipelineSpec.Instance original(final PipelineSpec.Instance instance)
    {
        return spec.stages().get(instance.stage()).instances().get(instance.index());
    }

    private static String consumerName(final PipelineSpec.Instance instance)
    {
        final String name = last(instance.args(), "--consumer-name");
        return null == name ? DEFAULT_CONSUMER : name;
    }

    private String describeStream(final String uri)
    {
        final PipelineSpec.Ring ring = null == byUri.get(key(uri)) ? null : byUri.get(key(uri)).ring();
        return null == ring ? "no ring of the spec" : "ring " + ring.label();
    }

    /** Every value of an option, as {@code --opt VALUE} or {@code --opt=VALUE}. */
    static List<String> values(final List<String> args, final String option)
    {
        final List<String> values = new ArrayList<>();
        for (int i = 1; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.equals(option) && i + 1 < args.size())
            {
                values.add(args.get(++i));
            }
            else if (arg.startsWith(option + "="))
            {
                values.add(arg.substring(option.length() + 1));
            }
        }
        return values;
    }

    private static String last(final List<String> args, final String option)
    {
        final List<String> values = values(args, option);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static int parseInt(final String text, final int otherwise)
    {
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            return otherwise;
        }
    }

    /** Streams compare by path for rings (shm:PATH and PATH are the same ring), by text otherwise. */
    private static String key(final String uri)
    {
        try
        {
            final TransportUri parsed = TransportUri.parse(uri);
            return parsed.isShm() ? "shm:" + parsed.path().toAbsolutePath().normalize() : uri;
        }
        catch (final IllegalArgumentException ex)
        {
            return uri; // not a stream: the stage itself will say so
        }
    }
}
