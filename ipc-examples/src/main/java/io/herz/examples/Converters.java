package io.herz.examples;

import org.agrona.SystemUtil;
import picocli.CommandLine;

/**
 * picocli converters for sizes ({@code 64m}) and durations ({@code 200ms}), backed by Agrona's parsers. A bad
 * value becomes a usage error (exit code 2) naming the value and what was expected.
 */
final class Converters
{
    private Converters()
    {
    }

    /**
     * A segment config for a ring this command may create, validated now so a bad capacity is a usage error.
     *
     * @param spec     the command, for the usage error.
     * @param capacity the --capacity value.
     * @return the concluded config.
     */
    /**
     * Subscription options of a reading stage, a bad {@code --consumer-name} reported as a parameter error.
     */
    static io.herz.ipc.transport.SubscriptionOptions subscriptionOptions(final CommandLine.Model.CommandSpec spec,
        final String consumerName, final io.herz.ipc.segment.SegmentConfig config)
    {
        try
        {
            return new io.herz.ipc.transport.SubscriptionOptions().consumerName(consumerName).segmentConfig(config);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--consumer-name " + ex.getMessage());
        }
    }

    static io.herz.ipc.segment.SegmentConfig segmentConfig(final CommandLine.Model.CommandSpec spec, final long capacity)
    {
        final io.herz.ipc.segment.SegmentConfig config = new io.herz.ipc.segment.SegmentConfig().capacity(capacity);
        try
        {
            return config.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--capacity " + ex.getMessage());
        }
    }

    /** An Agrona idle strategy by name ({@link io.herz.ipc.idle.IdleStrategies#NAMES}). */
    static final class Idle implements CommandLine.ITypeConverter<String>
    {
        public String convert(final String value)
        {
            try
            {
                io.herz.ipc.idle.IdleStrategies.of(value);
                return value;
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }

    /** A size such as {@code 4096}, {@code 64k}, {@code 64m}, {@code 1g}, in bytes. */
    static final class Size implements CommandLine.ITypeConverter<Long>
    {
        public Long convert(final String value)
        {
            try
            {
                return SystemUtil.parseSize("size", value);
            }
            catch (final RuntimeException ex)
            {
                throw new CommandLine.TypeConversionException(
                    "size not understood: expected a number with optional k, m or g suffix, found '" + value + "'");
            }
        }
    }

    /** A rate such as {@code 100000}, {@code 250k}, {@code 2m}, optionally followed by {@code /s}: decimal k = 1000. */
    static final class Rate implements CommandLine.ITypeConverter<Long>
    {
        public Long convert(final String value)
        {
            final String number = (value.endsWith("/s") ? value.substring(0, value.length() - 2) : value).strip();
            final char suffix = number.isEmpty() ? ' ' : Character.toLowerCase(number.charAt(number.length() - 1));
            final long multiplier = suffix == 'k' ? 1_000L : suffix == 'm' ? 1_000_000L : 1L;
            try
            {
                final long digits = Long.parseLong(multiplier == 1 ? number : number.substring(0, number.length() - 1));
                if (digits < 0)
                {
                    throw new NumberFormatException("negative");
                }
                return Math.multiplyExact(digits, multiplier);
            }
            catch (final RuntimeException ex)
            {
                throw new CommandLine.TypeConversionException(
                    "rate not understood: expected events per second like 100000, 100k or 2m/s, found '" + value + "'");
            }
        }
    }
    /**
     * A duration such as {@code 200ms}, {@code 1s}, {@code 5m}, in nanoseconds: the same syntax as window specs
     * ({@link io.herz.window.Durations}), so every duration on the command line reads alike.
     */
    static final class DurationNs implements CommandLine.ITypeConverter<Long>
    {
        public Long convert(final String value)
        {
            try
            {
                return io.herz.window.Durations.parseNs(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
