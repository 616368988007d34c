package io.herz.examples;

import io.herz.codec.Partitions;
import io.herz.ipc.transport.TransportUri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline spec: the rings and the stages of a multi-process pipeline, in a small line-oriented format.
 * <pre>
 * # comment
 * ring events  = ${dir}/events.seg partitions=4
 * ring windows = ${dir}/windows.seg
 * stage sink                 = sink --ring ${windows}
 * stage agg[4] jvm="-Xmx256m" = aggregate --in ${events} --out ${windows} --window tumbling:1s --stage-id ${instance}
 * stage p1 cpus=0            = produce --ring ${events} --partitions ${events.partitions} --producer-id 1 --synthetic
 * </pre>
 * <ul>
 *     <li>{@code ring NAME = URI [partitions=N]}: a ring path (or {@code shm:PATH}) or an {@code aeron:} URI; with
 *     {@code partitions=N} the ring is N streams, named as {@link Partitions#uri(String, int, int)} says
 *     ({@code events-0.seg .. events-3.seg}, or stream-id + i).</li>
 *     <li>{@code stage NAME[N] [cpus=LIST] [jvm="FLAGS"] = SUBCOMMAND ARGS...}: a {@code herz} subcommand started as
 *     its own JVM, N instances of it with {@code [N]} (default 1), each under {@code taskset -c LIST} with
 *     {@code cpus=} and with the JVM flags of {@code jvm=} (see {@link Placement}).</li>
 * </ul>
 * Variables: {@code ${dir}} is the ring directory of the run; {@code ${instance}} and {@code ${instances}} are this
 * instance's index (0-based) and the stage's instance count; {@code ${NAME}} is ring NAME's URI, or, in an instance
 * of a stage with as many instances as the ring has partitions, the URI of partition {@code ${instance}} (instance i
 * reads partition i); {@code ${NAME[i]}} is partition i; {@code ${NAME.partitions}} is the partition count.
 * Variables in {@code cpus=} and {@code jvm=} expand per instance too. Arguments are split on white space; single
 * or double quotes keep spaces. Errors name the file, the line and what was expected. What the stages read and
 * write, and whether that makes a pipeline, is {@link PipelineGraph}'s business.
 */
public final class PipelineSpec
{
    private static final String NAME = "[A-Za-z][A-Za-z0-9_-]*";
    private static final Pattern LINE = Pattern.compile("^(ring|stage)\\s+(" + NAME + ")(?:\\[([0-9]+)])?" +
        "((?:\\s+[a-z]+=(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=]+))*)\\s*=\\s*(.*)$");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z]+)=(\"[^\"]*\"|'[^']*'|[^\\s\"'=]+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(" + NAME + ")(?:\\[([0-9]+)]|\\.([a-z]+))?}");
    private static final int MAX_INSTANCES = Partitions.MAX_PARTITIONS;

    /**
     * A ring of the spec.
     *
     * @param name       its name.
     * @param uri        as written, variables expanded (a plain path made absolute).
     * @param partitions 1 for a plain ring.
     */
    public record Ring(String name, String uri, int partitions)
    {
        /**
         * @param partition 0 to partitions - 1.
         * @return that partition's stream.
         */
        public String partition(final int partition)
        {
            return Partitions.uri(uri, partition, partitions);
        }

        /**
         * @return true for a Herz ring: the launcher creates its directory, watches and removes its files.
         */
        public boolean isShm()
        {
            return TransportUri.parse(uri).isShm();
        }

        /**
         * @return the segment files of a Herz ring, one per partition; empty for other transports.
         */
        public List<Path> files()
        {
            final List<Path> files = new ArrayList<>();
            if (isShm())
            {
                for (int i = 0; i < partitions; i++)
                {
                    files.add(TransportUri.parse(partition(i)).path());
                }
            }
            return files;
        }

        /**
         * @return the name, with {@code [N]} when partitioned.
         */
        public String label()
        {
            return partitions > 1 ? name + "[" + partitions + "]" : name;
        }
    }

    /**
     * One JVM of a stage.
     *
     * @param stage    the stage's name.
     * @param index    0 to the stage's instance count - 1.
     * @param label    {@code NAME} for a single instance, {@code NAME[i]} for one of several.
     * @param args     the {@code herz} arguments, variables expanded.
     * @param cpus     the {@code cpus=} list, or null.
     * @param jvmFlags the {@code jvm=} flags, split; empty if none.
     * @param where    file and line, for messages.
     */
    public record Instance(String stage, int index, String label, List<String> args, String cpus,
        List<String> jvmFlags, String where)
    {
        /**
         * @return the subcommand, e.g. "aggregate": the first argument after the global options (such as
         * {@code --aeron-dir DIR}), or "" if none.
         */
        public String command()
        {
            for (int i = 0; i < args.size(); i++)
            {
                final String arg = args.get(i);
                if (!arg.startsWith("-"))
                {
                    return arg;
                }
                if (!arg.contains("="))
                {
                    i++; // the global option's value
                }
            }
            return "";
        }

        /**
         * @param newArgs replacement arguments.
         * @return this instance with other arguments.
         */
        public Instance withArgs(final List<String> newArgs)
        {
            return new Instance(stage, index, label, List.copyOf(newArgs), cpus, jvmFlags, where);
        }
    }

    /**
     * A stage: one or more instances of one command.
     *
     * @param name      its name.
     * @param instances its instances, in index order.
     */
    public record Stage(String name, List<Instance> instances)
    {
        /**
         * @return the name, with {@code [N]} when parallel.
         */
        public String label()
        {
            return instances.size() > 1 ? name + "[" + instances.size() + "]" : name;
        }
    }

    private final String source;
    private final Map<String, Ring> rings;
    private final Map<String, Stage> stages;

    private PipelineSpec(final String source, final Map<String, Ring> rings, final Map<String, Stage> stages)
    {
        this.source = source;
        this.rings = Collections.unmodifiableMap(rings);
        this.stages = Collections.unmodifiableMap(stages);
    }

    /**
     * Read a spec file.
     *
     * @param file    the spec.
     * @param ringDir what {@code ${dir}} expands to.
     * @return the parsed spec.
     * @throws IllegalArgumentException naming file and line for any error.
     */
    public static PipelineSpec read(final Path file, final Path ringDir)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(file.toAbsolutePath() + ": cannot read pipeline spec: " + ex, ex);
        }
        return parse(file.toAbsolutePath().toString(), lines, ringDir);
    }

    /**
     * Parse spec text.
     *
     * @param source  name for error messages.
     * @param lines   the text.
     * @param ringDir what {@code ${dir}} expands to.
     * @return the parsed spec.
     */
    public static PipelineSpec parse(final String source, final List<String> lines, final Path ringDir)
    {
        final Map<String, Ring> rings = new LinkedHashMap<>();
        final Map<String, Stage> stages = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String where = source + ":" + (i + 1);
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final Matcher matcher = LINE.matcher(line);
            if (!matcher.matches())
            {
                throw new IllegalArgumentException(where + ": line not understood: expected " +
                    "'ring NAME = URI [partitions=N]' or 'stage NAME[N] [cpus=LIST] [jvm=\"FLAGS\"] = SUBCOMMAND " +
                    "ARGS...', found '" + line + "'");
            }
            final String name = matcher.group(2);
            if (rings.containsKey(name) || stages.containsKey(name))
            {
                throw new IllegalArgumentException(where + ": duplicate name: expected a new name, found '" + name +
                    "'");
            }
            final String value = matcher.group(5).strip();
            if (value.isEmpty())
            {
                throw new IllegalArgumentException(where + ": empty " + matcher.group(1) + " '" + name + "'");
            }
            if ("ring".equals(matcher.group(1)))
            {
                if (null != matcher.group(3) || !matcher.group(4).isBlank())
                {
                    throw new IllegalArgumentException(where + ": ring '" + name + "': expected 'ring NAME = URI " +
                        "[partitions=N]', found '" + line + "'");
                }
                rings.put(name, ring(where, name, expand(where, value, rings, ringDir, 0, 1)));
            }
            else
            {
                stages.put(name, stage(where, name, matcher.group(3), matcher.group(4), value, rings, ringDir));
            }
        }
        if (stages.isEmpty())
        {
            throw new IllegalArgumentException(source + ": no stages: expected at least one 'stage NAME = ...' line");
        }
        return new PipelineSpec(source, rings, stages);
    }

    private static Ring ring(final String where, final String name, final String value)
    {
        final List<String> tokens = split(where, value);
        int partitions = 1;
        for (final String attribute : tokens.subList(1, tokens.size()))
        {
            if (!attribute.startsWith("partitions="))
            {
                throw new IllegalArgumentException(where + ": ring '" + name + "': unknown attribute: expected " +
                    "partitions=N, found '" + attribute + "'");
            }
            partitions = number(where, "ring '" + name + "' partitions", attribute.substring("partitions=".length()));
        }
        String uri = tokens.get(0);
        final TransportUri parsed = TransportUri.parse(uri);
        if (parsed.isShm())
        {
            final String path = parsed.path().toAbsolutePath().normalize().toString();
            uri = uri.startsWith(TransportUri.SHM + ":") ? TransportUri.SHM + ":" + path : path;
        }
        try
        {
            Partitions.uri(uri, 0, partitions); // checks the count and that the scheme can be partitioned
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(where + ": ring '" + name + "': " + ex.getMessage(), ex);
        }
        return new Ring(name, uri, partitions);
    }

    private static Stage stage(
        final String where,
        final String name,
        final String count,
        final String attributes,
        final String value,
        final Map<String, Ring> rings,
        final Path ringDir)
    {
        final int instanceCount = null == count ? 1 : number(where, "stage '" + name + "' instances", count);
        String cpus = null;
        String jvm = null;
        final Matcher attribute = ATTRIBUTE.matcher(attributes);
        while (attribute.find())
        {
            final String text = unquote(attribute.group(2));
            switch (attribute.group(1))
            {
                case "cpus":
                    cpus = text;
                    break;
                case "jvm":
                    jvm = text;
                    break;
                default:
                    throw new IllegalArgumentException(where + ": stage '" + name + "': unknown attribute: expected " +
                        "cpus=LIST or jvm=\"FLAGS\", found '" + attribute.group() + "'");
            }
        }
        final List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < instanceCount; i++)
        {
            final String label = instanceCount > 1 ? name + "[" + i + "]" : name;
            final List<String> args = split(where, expand(where, value, rings, ringDir, i, instanceCount));
            final String instanceCpus = null == cpus ? null : expand(where, cpus, rings, ringDir, i, instanceCount);
            final List<String> flags = null == jvm ? List.of() :
                split(where, expand(where, jvm, rings, ringDir, i, instanceCount));
            instances.add(new Instance(name, i, label, List.copyOf(args), instanceCpus, List.copyOf(flags), where));
        }
        return new Stage(name, List.copyOf(instances));
    }

    private static int number(final String where, final String what, final String text)
    {
        try
        {
            final int value = Integer.parseInt(text);
            if (value >= 1 && value <= MAX_INSTANCES)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw new IllegalArgumentException(where + ": " + what + " out of range: expected 1.." + MAX_INSTANCES +
            ", found '" + text + "'");
    }

    private static String unquote(final String text)
    {
        final boolean quoted = text.length() >= 2 && (text.charAt(0) == '"' || text.charAt(0) == '\'');
        return quoted ? text.substring(1, text.length() - 1) : text;
    }

    private static String expand(
        final String where,
        final String value,
        final Map<String, Ring> rings,
        final Path ringDir,
        final int instance,
        final int instances)
    {
        final Matcher matcher = VARIABLE.matcher(value);
        final StringBuilder sb = new StringBuilder();
        while (matcher.find())
        {
            matcher.appendReplacement(sb, Matcher.quoteReplacement(
                resolve(where, matcher, rings, ringDir, instance, instances)));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }

    private static String resolve(
        final String where,
        final Matcher matcher,
        final Map<String, Ring> rings,
        final Path ringDir,
        final int instance,
        final int instances)
    {
        final String name = matcher.group(1);
        final String index = matcher.group(2);
        final String field = matcher.group(3);
        if (null == index && null == field)
        {
            switch (name)
            {
                case "dir":
                    return ringDir.toAbsolutePath().toString();
                case "instance":
                    return Integer.toString(instance);
                case "instances":
                    return Integer.toString(instances);
                default:
                    break;
            }
        }
        final Ring ring = rings.get(name);
        if (null == ring)
        {
            throw new IllegalArgumentException(where + ": unknown variable: expected ${dir}, ${instance}, " +
                "${instances} or a ring defined above, found " + matcher.group());
        }
        if (null != field)
        {
            if (!"partitions".equals(field))
            {
                throw new IllegalArgumentException(where + ": unknown ring field: expected ${" + name +
                    ".partitions}, found " + matcher.group());
            }
            return Integer.toString(ring.partitions());
        }
        if (null != index)
        {
            final int partition = Integer.parseInt(index);
            if (partition >= ring.partitions())
            {
                throw new IllegalArgumentException(where + ": partition out of range: expected ${" + name + "[0.." +
                    (ring.partitions() - 1) + "]}, found " + matcher.group());
            }
            return ring.partition(partition);
        }
        return ring.partitions() > 1 && instances == ring.partitions() ? ring.partition(instance) : ring.uri();
    }

    private static List<String> split(final String where, final String value)
    {
        final List<String> args = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inArg = false;
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (quote != 0)
            {
                if (c == quote)
                {
                    quote = 0;
                }
                else
                {
                    current.append(c);
                }
            }
            else if (c == '\'' || c == '"')
            {
                quote = c;
                inArg = true;
            }
            else if (Character.isWhitespace(c))
            {
                if (inArg)
                {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            }
            else
            {
                current.append(c);
                inArg = true;
            }
        }
        if (quote != 0)
        {
            throw new IllegalArgumentException(where + ": unterminated quote: expected a closing " + quote);
        }
        if (inArg)
        {
            args.add(current.toString());
        }
        return args;
    }

    /**
     * @return where the spec came from, for messages.
     */
    public String source()
    {
        return source;
    }

    /**
     * @return ring name to ring, in spec order.
     */
    public Map<String, Ring> rings()
    {
        return rings;
    }

    /**
     * @return stage name to stage, in spec order.
     */
    public Map<String, Stage> stages()
    {
        return stages;
    }

    /**
     * @return every instance of every stage, in spec order.
     */
    public List<Instance> instances()
    {
        final List<Instance> all = new ArrayList<>();
        stages.values().forEach(stage -> all.addAll(stage.instances()));
        return all;
    }
}
