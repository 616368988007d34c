package io.herz.window;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --name value} options of {@link AggregatorMain} and {@link SinkMain} (small, dependency-free parsing
 * until the {@code herz} CLI hosts these stages). Every error is an {@link IllegalArgumentException} whose message
 * names the option and the bad value; the mains turn it into exit code 2.
 */
final class StageArgs
{
    private final Map<String, String> values = new HashMap<>();

    StageArgs(final String[] args, final List<String> knownOptions)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i];
            if (!knownOptions.contains(name))
            {
                throw new IllegalArgumentException(
                    "option is unknown: expected one of " + knownOptions + ", found '" + name + "'");
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option has no value: expected " + name + " VALUE, found the end");
            }
            if (null != values.put(name, args[++i]))
            {
                throw new IllegalArgumentException("option is repeated: expected it once, found " + name + " twice");
            }
        }
    }

    String string(final String name)
    {
        final String value = values.get(name);
        if (null == value)
        {
            throw new IllegalArgumentException("option is missing: expected " + name + " VALUE, found none");
        }
        return value;
    }

    boolean has(final String name)
    {
        return values.containsKey(name);
    }

    Path path(final String name)
    {
        return Path.of(string(name)).toAbsolutePath();
    }

    long durationNs(final String name, final long defaultNs)
    {
        if (!has(name))
        {
            return defaultNs;
        }
        try
        {
            return Durations.parseNs(values.get(name));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(name + " " + ex.getMessage(), ex);
        }
    }

    int nonNegativeInt(final String name, final int defaultValue)
    {
        if (!has(name))
        {
            return defaultValue;
        }
        final String text = values.get(name);
        try
        {
            final int value = Integer.parseInt(text);
            if (value >= 0)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(
            name + " is not a count: expected an integer >= 0, found '" + text + "'");
    }

    long sizeBytes(final String name, final long defaultBytes)
    {
        if (!has(name))
        {
            return defaultBytes;
        }
        final String text = values.get(name).toLowerCase();
        final long multiplier = text.endsWith("k") ? 1L << 10 : text.endsWith("m") ? 1L << 20 :
            text.endsWith("g") ? 1L << 30 : 1L;
        final String digits = 1L == multiplier ? text : text.substring(0, text.length() - 1);
        try
        {
            final long value = Math.multiplyExact(Long.parseLong(digits), multiplier);
            if (value > 0)
            {
                return value;
            }
        }
        catch (final NumberFormatException | ArithmeticException ignore)
        {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(
            name + " is not a size: expected bytes with an optional k, m or g suffix, found '" + values.get(name) +
            "'");
    }
}
