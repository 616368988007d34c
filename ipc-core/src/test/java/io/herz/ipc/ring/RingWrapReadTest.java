package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class RingWrapReadTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDeliverWrappedRecordInOneReadWhenOnlyPaddingPrecedesIt()
    {
        try (Segment segment = Segment.create(dir.resolve("wrap.seg"), new SegmentConfig().capacity(1024));
            RingConsumer consumer = new RingConsumer(segment);
            RingProducer producer = new RingProducer(segment, 1))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[200]);
            for (int i = 0; i < 9; i++)
            {
                assertTrue(producer.offer(1, payload, 0, 104)); // 112 bytes each: 1008 of 1024 used
            }
            assertEquals(9, consumer.read((type, buffer, offset, length) -> { }, 100));

            assertTrue(producer.offer(2, payload, 0, 100)); // does not fit in the last 16 bytes: padding, then index 0
            final int[] types = new int[1];
            final int count = consumer.read((type, buffer, offset, length) -> types[0] = type, 100);

            assertEquals(1, count, "a read that met only padding before the end goes on from the start");
            assertEquals(2, types[0]);
            assertEquals(1024 + 112, consumer.position());
        }
    }
}
