package io.herz.bench.ipc;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} command-line options and {@code key=value} result lines, parsed into a map and read with
 * typed getters that name the bad value.
 */
final class BenchArgs
{
    private final Map<String, String> values;

    private BenchArgs(final Map<String, String> values)
    {
        this.values = values;
    }

    /**
     * @param args    {@code --name value} pairs; a name in {@code flags} takes no value.
     * @param allowed names that may appear, without the dashes.
     * @param flags   names that take no value.
     * @return the options.
     * @throws IllegalArgumentException for an unknown name or a missing value.
     */
    static BenchArgs parseOptions(final String[] args, final Set<String> allowed, final Set<String> flags)
    {
        final Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--") || !allowed.contains(arg.substring(2)))
            {
                throw new IllegalArgumentException("unknown option: expected one of " + allowed + ", found " + arg);
            }
            final String name = arg.substring(2);
            if (flags.contains(name))
            {
                values.put(name, "true");
            }
            else
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("option " + arg + " has no value: expected a value after it");
                }
                values.put(name, args[++i]);
            }
        }
        return new BenchArgs(values);
    }

    /**
     * @param line e.g. {@code RESULT received=100 errors=0}; the first word is skipped.
     * @return the key/value pairs.
     */
    static BenchArgs parseResult(final String line)
    {
        final Map<String, String> values = new HashMap<>();
        final String[] words = line.trim().split("\\s+");
        for (int i = 1; i < words.length; i++)
        {
            final int equals = words[i].indexOf('=');
            if (equals > 0)
            {
                values.put(words[i].substring(0, equals), words[i].substring(equals + 1));
            }
        }
        return new BenchArgs(values);
    }

    boolean has(final String name)
    {
        return values.containsKey(name);
    }

    String string(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
    }

    String string(final String name)
    {
        final String value = values.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("missing option: expected --" + name);
        }
        return value;
    }

    long longValue(final String name, final long defaultValue)
    {
        final String value = values.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " is not a number: expected an integer, found " + value);
        }
    }

    long longValue(final String name)
    {
        string(name);
        return longValue(name, 0);
    }

    double doubleValue(final String name, final double defaultValue)
    {
        final String value = values.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " is not a number: expected a decimal, found " + value);
        }
    }
}
