package io.herz.ipc.ring;

import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM for the liveness tests. Records are type 1 with payload {@code [producerId:int][pad:int][seq:long]}.
 * <pre>
 * produce      RING ID COUNT                 publish COUNT records and exit 0
 * halt-claimed RING ID COMMITTED             publish COMMITTED records, claim one more, halt(42) without committing
 * halt-cas     RING ID COMMITTED             same, but halt right after the claim (the tail CAS), before writing the payload
 * halt-intent  RING ID COMMITTED             publish, then publish a claim intent and halt before the CAS
 * hold         RING ID COUNT HOLD_AT GO_FILE publish; hold the claim of record HOLD_AT until GO_FILE exists
 * consume      RING CHECKPOINT PRODUCERS TOTAL LIMIT  consume with a checkpoint in a mapped file (see below)
 * </pre>
 */
public final class LivenessChild
{
    static final int TYPE = 1;
    static final int PAYLOAD_LENGTH = 16;
    static final int HALT_STATUS = 42;
    static final int REFUSED_STATUS = 3;
    static final int LOST_STATUS = 4;

    private LivenessChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String mode = args[0];
        final Path ring = Path.of(args[1]);
        try (Segment segment = Segment.open(ring, new SegmentConfig().openTimeoutMs(10_000)))
        {
            if ("consume".equals(mode))
            {
                consume(segment, Path.of(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]),
                    Integer.parseInt(args[5]), args.length > 6 ? args[6] : RingConsumer.DEFAULT_NAME);
                return;
            }

            final int id = Integer.parseInt(args[2]);
            final long count = Long.parseLong(args[3]);
            final RingProducer producer = new RingProducer(segment, id);
            switch (mode)
            {
                case "produce":
                    publish(producer, id, 0, count);
                    break;
                case "halt-claimed":
                case "halt-cas":
                    publish(producer, id, 0, count);
                    final int index = "halt-cas".equals(mode) ? claimOnly(producer) : claim(producer, id, count);
                    System.out.println("HALTING with a claim at offset " + index);
                    Runtime.getRuntime().halt(HALT_STATUS);
                    break;
                case "halt-intent":
                    publish(producer, id, 0, count);
                    final int slot = SegmentDescriptor.producerSlotOffset(producer.slotIndex());
                    final long tail = segment.buffer().getLongAcquire(SegmentDescriptor.TAIL_POSITION_OFFSET);
                    segment.buffer().putLong(slot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET, 64);
                    segment.buffer().putLongRelease(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET, tail);
                    System.out.println("HALTING with an intent at position " + tail);
                    Runtime.getRuntime().halt(HALT_STATUS);
                    break;
                case "hold":
                    final long holdAt = Long.parseLong(args[4]);
                    final Path go = Path.of(args[5]);
                    publish(producer, id, 0, holdAt);
                    final int held = claim(producer, id, holdAt);
                    System.out.println("HOLDING");
                    while (!Files.exists(go))
                    {
                        Thread.sleep(1);
                    }
                    producer.commit(held);
                    publish(producer, id, holdAt + 1, count);
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode: " + mode);
            }
            producer.close();
        }
    }

    private static void publish(final RingProducer producer, final int id, final long from, final long to)
    {
        for (long seq = from; seq < to; seq++)
        {
            producer.commit(claim(producer, id, seq));
        }
    }

    private static int claimOnly(final RingProducer producer)
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        int index;
        while ((index = producer.tryClaim(TYPE, PAYLOAD_LENGTH)) < 0)
        {
            idle.idle();
        }
        return index;
    }

    private static int claim(final RingProducer producer, final int id, final long seq)
    {
        final int index = claimOnly(producer);
        producer.buffer().putInt(index, id);
        producer.buffer().putLong(index + 8, seq);
        return index;
    }

    /**
     * Consume with a crash-proof checkpoint: a mapped file holding, per producer id, the last sequence seen
     * (offset 8 * id, initially -1). Each record is checked against it: seq == last + 1 advances; seq &lt;= last
     * is a redelivery (counted at offset 8 * PRODUCERS... as total redeliveries); seq &gt; last + 1 is a loss and
     * exits with LOST_STATUS. Exits 0 when every producer reached TOTAL records.
     */
    private static void consume(final Segment segment, final Path checkpointFile, final int producers, final long total,
        final int limit, final String name)
    {
        final RingConsumer consumer;
        try
        {
            consumer = new RingConsumer(segment, name, RingConsumers.StartPosition.OLDEST);
        }
        catch (final RuntimeException ex)
        {
            System.out.println("REFUSED " + ex.getMessage());
            System.exit(REFUSED_STATUS);
            return;
        }
        final File file = checkpointFile.toFile();
        final boolean fresh = !file.exists();
        final MappedByteBuffer mapped = fresh ? IoUtil.mapNewFile(file, 4096) : IoUtil.mapExistingFile(file, "checkpoint");
        final UnsafeBuffer checkpoint = new UnsafeBuffer(mapped);
        if (fresh)
        {
            for (int p = 0; p < producers; p++)
            {
                checkpoint.putLong(8 * p, -1);
            }
        }
        final int redeliveriesOffset = 8 * producers;
        System.out.println("CONSUMING from position " + consumer.position());
        final IdleStrategy idle = new BackoffIdleStrategy();
        final long[] lost = {-1, -1};
        while (lost[0] < 0)
        {
            final int read = consumer.read((type, buffer, index, length) ->
            {
                final int id = buffer.getInt(index);
                final long seq = buffer.getLong(index + 8);
                final long last = checkpoint.getLongVolatile(8 * id);
                if (seq == last + 1)
                {
                    checkpoint.putLongVolatile(8 * id, seq);
                }
                else if (seq <= last)
                {
                    checkpoint.putLongVolatile(redeliveriesOffset, checkpoint.getLong(redeliveriesOffset) + 1);
                }
                else if (lost[0] < 0)
                {
                    lost[0] = id;
                    lost[1] = seq;
                    System.out.println("LOST producer=" + id + " expected seq=" + (last + 1) + " found " + seq);
                }
            }, limit);
            boolean done = true;
            for (int p = 0; p < producers; p++)
            {
                done &= checkpoint.getLongVolatile(8 * p) == total - 1;
            }
            if (done)
            {
                System.out.println("DONE redeliveries=" + checkpoint.getLong(redeliveriesOffset));
                consumer.close();
                return;
            }
            idle.idle(read);
        }
        System.exit(LOST_STATUS);
    }
}
