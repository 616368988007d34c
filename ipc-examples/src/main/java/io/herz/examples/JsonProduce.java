package io.herz.examples;

import io.herz.codec.PartitionedEventPublisher;
import io.herz.codec.json.EventSink;
import io.herz.codec.json.JsonEventProjector;
import io.herz.codec.json.JsonProjectionConfig;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The JSON-lines source of {@code herz produce}: projects each good line into an Event and publishes it; bad lines
 * are counted by reason and the first few reported, and never stop the good ones.
 */
final class JsonProduce
{
    /** Thrown through the projector to stop reading after a SIGINT/SIGTERM; never escapes {@link #run}. */
    private static final class Stopped extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Stopped()
        {
            super("stopped by signal", null, false, false);
        }
    }

    private JsonProduce()
    {
    }

    static int run(final ProduceCommand.JsonInput input, final long intervalNs,
        final PartitionedEventPublisher publisher,
        final IdleStrategy idle, final Shutdown shutdown, final PrintStream out) throws IOException
    {
        final JsonProjectionConfig config;
        try
        {
            config = new JsonProjectionConfig()
                .tsField(input.tsField)
                .tsUnit(input.tsUnit)
                .keyField(input.keyField)
                .valueField(input.valueField)
                .conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new picocli.CommandLine.TypeConversionException(ex.getMessage());
        }
        final JsonEventProjector projector = new JsonEventProjector(config);
        final long startNs = System.nanoTime();
        final long[] published = {0};
        final EventSink sink = (eventTimeNs, key, keyOffset, keyLength, value) ->
        {
            if (shutdown.isRequested())
            {
                throw new Stopped();
            }
            if (intervalNs > 0)
            {
                publisher.poll(); // time-based watermarks while paced
                ProduceCommand.pace(startNs + published[0] * intervalNs);
            }
            idle.reset();
            while (publisher.publishEvent(eventTimeNs, key, keyOffset, keyLength, value) < 0)
            {
                if (shutdown.isRequested())
                {
                    throw new Stopped();
                }
                idle.idle();
            }
            published[0]++;
        };
        try
        {
            if ("-".equals(input.file))
            {
                projector.project(System.in, sink);
            }
            else
            {
                projector.project(Path.of(input.file), sink);
            }
        }
        catch (final Stopped ignore)
        {
            // a signal asked us to stop: EndOfStream follows in ProduceCommand
        }
        out.println(projector.report());
        return 0;
    }
}
