package io.herz.examples.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 and of OpenMetrics 1.0 text, for tests: the
 * Prometheus Java client has no parser. Every line must be a {@code # HELP}, {@code # TYPE} (or, in OpenMetrics,
 * {@code # UNIT}) line or a sample of the family whose {@code # TYPE} came last; names, label names, escapes and
 * values are checked against the grammar; a family is declared once and its samples are contiguous; no series
 * appears twice; counters are never negative. Any violation throws {@link AssertionError} naming the line.
 */
final class PrometheusText
{
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Set<String> OPENMETRICS_TYPES =
        Set.of("counter", "gauge", "histogram", "gaugehistogram", "stateset", "info", "summary", "unknown");

    /**
     * One sample.
     *
     * @param name   sample name.
     * @param labels its labels, sorted by name.
     * @param value  its value.
     * @param type   the type of its family.
     */
    record Sample(String name, Map<String, String> labels, double value, String type)
    {
    }

    private PrometheusText()
    {
    }

    static List<Sample> parse(final String text, final boolean openMetrics)
    {
        if (!text.endsWith("\n"))
        {
            throw new AssertionError("exposition does not end with a newline");
        }
        final String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        final List<Sample> samples = new ArrayList<>();
        final Set<String> declared = new HashSet<>();
        final Set<String> helped = new HashSet<>();
        final Set<String> series = new HashSet<>();
        final Map<String, String> types = new HashMap<>();
        String family = null;
        boolean eof = false;
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i];
            final String where = "line " + (i + 1) + " '" + line + "'";
            if (eof)
            {
                throw new AssertionError(where + ": after # EOF");
            }
            if (line.startsWith("#"))
            {
                if (openMetrics && line.equals("# EOF"))
                {
                    eof = true;
                    continue;
                }
                final String[] parts = line.split(" ", 4);
                check(parts.length >= 3 && parts[0].equals("#"), where, "expected '# HELP|TYPE NAME ...'");
                final String name = parts[2];
                check(METRIC_NAME.matcher(name).matches(), where, "invalid metric name");
                switch (parts[1])
                {
                    case "TYPE" ->
                    {
                        check(parts.length == 4, where, "TYPE without a type");
                        check((openMetrics ? OPENMETRICS_TYPES : TYPES).contains(parts[3]), where, "unknown type");
                        check(declared.add(name), where, "family declared twice");
                        check(!openMetrics || !parts[3].equals("counter") || !name.endsWith("_total"), where,
                            "an OpenMetrics counter family name must not end in _total");
                        types.put(name, parts[3]);
                        family = name;
                    }
                    case "HELP" ->
                    {
                        check(helped.add(name), where, "HELP given twice");
                        if (parts.length == 4)
                        {
                            checkEscapes(parts[3], where, false);
                        }
                    }
                    case "UNIT" -> check(openMetrics, where, "# UNIT is OpenMetrics only");
                    default -> throw new AssertionError(where + ": unknown comment: expected HELP or TYPE");
                }
                continue;
            }
            check(!line.isEmpty(), where, "empty line");
            final Sample sample = sample(line, where, family, types);
            check(series.add(sample.name() + sample.labels()), where, "series repeated");
            check(!"counter".equals(sample.type()) || sample.value() >= 0, where, "negative counter");
            samples.add(sample);
        }
        check(!openMetrics || eof, "end", "OpenMetrics exposition without # EOF");
        return samples;
    }

    private static Sample sample(final String line, final String where, final String family,
        final Map<String, String> types)
    {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ')
        {
            i++;
        }
        final String name = line.substring(0, i);
        check(METRIC_NAME.matcher(name).matches(), where, "invalid sample name");
        check(family != null, where, "sample before any # TYPE");
        final String type = types.get(family);
        final boolean belongs = name.equals(family) ||
            (type.equals("counter") && (name.equals(family + "_total") || name.equals(family + "_created"))) ||
            ((type.equals("histogram") || type.equals("summary")) &&
                (name.equals(family + "_bucket") || name.equals(family + "_sum") || name.equals(family + "_count")));
        check(belongs, where, "sample does not belong to the family " + family + " declared above it");
        final Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{')
        {
            i++;
            while (line.charAt(i) != '}')
            {
                final int eq = line.indexOf('=', i);
                check(eq > i, where, "label without '='");
                final String label = line.substring(i, eq);
                check(LABEL_NAME.matcher(label).matches() && !label.startsWith("__"), where,
                    "invalid label name '" + label + "'");
                check(line.charAt(eq + 1) == '"', where, "label value not quoted");
                final StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (true)
                {
                    check(j < line.length(), where, "unterminated label value");
                    final char c = line.charAt(j);
                    if (c == '\\')
                    {
                        final char next = line.charAt(j + 1);
                        check(next == '\\' || next == '"' || next == 'n', where, "bad escape \\" + next);
                        value.append(next == 'n' ? '\n' : next);
                        j += 2;
                    }
                    else if (c == '"')
                    {
                        break;
                    }
                    else
                    {
                        check(c != '\n', where, "newline in label value");
                        value.append(c);
                        j++;
                    }
                }
                check(labels.put(label, value.toString()) == null, where, "label repeated");
                i = j + 1;
                if (line.charAt(i) == ',')
                {
                    i++;
                }
                else
                {
                    check(line.charAt(i) == '}', where, "expected ',' or '}' after a label");
                }
            }
            i++;
        }
        check(i < line.length() && line.charAt(i) == ' ', where, "expected one space before the value");
        final String[] rest = line.substring(i + 1).split(" ", -1);
        check(rest.length == 1 || rest.length == 2, where, "expected VALUE [TIMESTAMP]");
        final double value = value(rest[0], where);
        if (rest.length == 2)
        {
            value(rest[1], where);
        }
        return new Sample(name, labels, value, type);
    }

    private static double value(final String text, final String where)
    {
        switch (text)
        {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                check(text.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?"), where,
                    "value is not a number: '" + text + "'");
                return Double.parseDouble(text);
        }
    }

    private static void checkEscapes(final String text, final String where, final boolean quotes)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) == '\\')
            {
                check(i + 1 < text.length(), where, "dangling backslash");
                final char next = text.charAt(++i);
                check(next == '\\' || next == 'n' || (quotes && next == '"'), where, "bad escape in HELP");
            }
        }
    }

    private static void check(final boolean ok, final String where, final String problem)
    {
        if (!ok)
        {
            throw new AssertionError(where + ": " + problem);
        }
    }

    /**
     * @return the single sample of that name whose labels include all of {@code labels}.
     */
    static Sample find(final List<Sample> samples, final String name, final Map<String, String> labels)
    {
        Sample found = null;
        for (final Sample sample : samples)
        {
            if (sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
            {
                if (found != null)
                {
                    throw new AssertionError("two samples " + name + labels + ": " + found + " and " + sample);
                }
                found = sample;
            }
        }
        if (found == null)
        {
            throw new AssertionError("no sample " + name + labels + " in " + samples);
        }
        return found;
    }
}
