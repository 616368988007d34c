package io.herz.ipc.segment;

import java.nio.file.Path;

/**
 * Run as a uid with no user name (as containers do): creates a segment in {@code args[0]} and opens it again.
 * Prints {@code OPENED} on success.
 */
public final class ArbitraryUidChild
{
    private ArbitraryUidChild()
    {
    }

    public static void main(final String[] args)
    {
        final Path file = Path.of(args[0]).resolve("mine.seg");
        Segment.create(file, new SegmentConfig().capacity(4096).producerSlotCount(1).counterCount(0)).close();
        try (Segment segment = Segment.open(file, new SegmentConfig().openTimeoutMs(0)))
        {
            System.out.println("OPENED capacity=" + segment.capacity() + " user.name=" +
                System.getProperty("user.name"));
        }
    }
}
