package io.herz.examples;

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
 * ring events  = ${dir}/events.seg
 * ring windows = ${dir}/windows.seg
 * stage sink      = sink --ring ${windows}
 * stage aggregate = aggregate --in ${events} --out ${windows} --window tumbling:1s --producers 2
 * stage p1        = produce --ring ${events} --producer-id 1 --synthetic --count 1000000
 * </pre>
 * A stage is a {@code herz} subcommand with its arguments, started as its own JVM. {@code ${dir}} is the ring
 * directory of the run; {@code ${NAME}} is the path of ring NAME. Arguments are split on white space; single or
 * double quotes keep spaces. Errors name the file, the line and what was expected.
 */
public final class PipelineSpec
{
    private static final Pattern LINE = Pattern.compile("^(ring|stage)\\s+([A-Za-z][A-Za-z0-9_.-]*)\\s*=\\s*(.*)$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_.-]*)}");

    private final Map<String, Path> rings;
    private final Map<String, List<String>> stages;

    private PipelineSpec(final Map<String, Path> rings, final Map<String, List<String>> stages)
    {
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
        final Map<String, Path> rings = new LinkedHashMap<>();
        final Map<String, List<String>> stages = new LinkedHashMap<>();
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
                throw new IllegalArgumentException(where + ": line not understood: expected 'ring NAME = PATH' or " +
                    "'stage NAME = SUBCOMMAND ARGS...', found '" + line + "'");
            }
            final String name = matcher.group(2);
            if (rings.containsKey(name) || stages.containsKey(name))
            {
                throw new IllegalArgumentException(where + ": duplicate name: expected a new name, found '" + name + "'");
            }
            final String value = expand(where, matcher.group(3).strip(), rings, ringDir);
            if (value.isEmpty())
            {
                throw new IllegalArgumentException(where + ": empty " + matcher.group(1) + " '" + name + "'");
            }
            if ("ring".equals(matcher.group(1)))
            {
                rings.put(name, Path.of(value).toAbsolutePath());
            }
            else
            {
                stages.put(name, split(where, value));
            }
        }
        if (stages.isEmpty())
        {
            throw new IllegalArgumentException(source + ": no stages: expected at least one 'stage NAME = ...' line");
        }
        return new PipelineSpec(rings, stages);
    }

    private static String expand(final String where, final String value, final Map<String, Path> rings,
        final Path ringDir)
    {
        final Matcher matcher = VARIABLE.matcher(value);
        final StringBuilder sb = new StringBuilder();
        while (matcher.find())
        {
            final String name = matcher.group(1);
            final String replacement;
            if ("dir".equals(name))
            {
                replacement = ringDir.toAbsolutePath().toString();
            }
            else if (rings.containsKey(name))
            {
                replacement = rings.get(name).toString();
            }
            else
            {
                throw new IllegalArgumentException(where + ": unknown variable: expected ${dir} or a ring defined above, " +
                    "found ${" + name + "}");
            }
            matcher.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(sb);
        return sb.toString();
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
     * @return ring name to absolute path, in spec order.
     */
    public Map<String, Path> rings()
    {
        return rings;
    }

    /**
     * @return stage name to {@code herz} arguments, in spec order.
     */
    public Map<String, List<String>> stages()
    {
        return stages;
    }
}
