package io.herz.ipc.fuzz;

import io.herz.ipc.process.ProcessIdentity;
import io.herz.ipc.ring.ConsumerSlotDescriptor;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingConsumers;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentDescriptor;
import io.herz.ipc.test.DeadProcess;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Valid segment files to mutate, built with the library itself (create, produce, consume, counters), so they are
 * valid for whatever layout version the library writes. For each one the template also lists its
 * <em>interesting offsets</em>: every 4-byte word that is not zero (geometry, positions, owner tokens, claim
 * intents, record headers, counter states and labels) plus every word of the first 1 KiB, found by looking at the
 * bytes rather than at the layout, so that the fuzzer needs no layout knowledge. Every slot an owner takes records
 * its pid namespace (producer slot {@code pidNamespace}, the ring block's consumer namespace table), so those words
 * are among the interesting offsets of every template with an owner; {@code foreign-namespace} also holds a
 * producer slot, an uncommitted claim and a consumer name by a process recorded in another pid namespace.
 */
final class SegmentTemplates
{
    /** One valid segment file. */
    record Template(String name, byte[] bytes, int capacity, int maxRecordLength, int[] headerWords,
        int[] lowWords, int[] recordWords)
    {
        /**
         * @param region 0: non-zero words of the header; 1: any word of the first 1 KiB; 2: the words just before
         *               each record's payload (its header); else: non-zero words anywhere.
         * @return the word offsets of that region, never empty.
         */
        int[] words(final int region)
        {
            return switch (region)
            {
                case 0 -> headerWords;
                case 1 -> lowWords;
                case 2 -> recordWords.length > 0 ? recordWords : headerWords;
                default -> headerWords;
            };
        }
    }

    private SegmentTemplates()
    {
    }

    static List<Template> build(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            final List<Template> templates = new ArrayList<>();
            templates.add(empty(dir));
            templates.add(committed(dir));
            templates.add(wrapped(dir));
            templates.add(claimOpen(dir));
            templates.add(counters(dir));
            templates.add(full(dir));
            templates.add(consumerHeld(dir));
            templates.add(large(dir));
            templates.add(foreignNamespace(dir));
            templates.add(exclusiveDead(dir, "exclusive-dead", false));
            templates.add(exclusiveDead(dir, "exclusive-gate-landed", true));
            return templates;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static SegmentConfig small()
    {
        return new SegmentConfig().capacity(4096).producerSlotCount(2).counterCount(4).maxRecordLength(256);
    }

    private static Template snapshot(final String name, final Segment segment) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segment.path());
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final TreeSet<Integer> header = new TreeSet<>();
        final TreeSet<Integer> low = new TreeSet<>();
        for (int offset = 0; offset + 4 <= segment.headerLength(); offset += 4)
        {
            if (buffer.getInt(offset) != 0)
            {
                header.add(offset);
            }
            if (offset < 1024)
            {
                low.add(offset);
            }
        }
        return new Template(name, bytes, segment.capacity(), segment.maxRecordLength(), toArray(header),
            toArray(low), recordHeaderWords(segment.path().resolveSibling(name + ".probe"), bytes,
            segment.headerLength()));
    }

    private static int[] toArray(final TreeSet<Integer> offsets)
    {
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Where the record headers are, without knowing their layout: consume a copy and take the 16 bytes before
     * each payload the consumer delivers (a record header sits right before its payload in any layout).
     */
    private static int[] recordHeaderWords(final Path probe, final byte[] bytes, final int headerLength)
        throws IOException
    {
        final TreeSet<Integer> words = new TreeSet<>();
        Files.write(probe, bytes);
        try (Segment copy = Segment.open(probe, new SegmentConfig().openTimeoutMs(0));
            RingConsumer consumer = new RingConsumer(copy))
        {
            while (consumer.read((type, buffer, offset, length) ->
            {
                for (int word = Math.max(0, offset - 16); word < offset; word += 4)
                {
                    words.add(headerLength + word);
                }
            }, 100) > 0)
            {
                // until drained
            }
        }
        catch (final RuntimeException heldOrEmpty)
        {
            // a template whose consumer slot is held: no probe, the other regions still apply
        }
        finally
        {
            Files.deleteIfExists(probe);
        }
        return toArray(words);
    }

    private static Path fresh(final Path dir, final String name) throws IOException
    {
        final Path path = dir.resolve(name + ".seg");
        Files.deleteIfExists(path);
        return path;
    }

    private static void offer(final RingProducer producer, final int length)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[Math.max(1, length)]);
        for (int i = 0; i < length; i++)
        {
            payload.putByte(i, (byte)(i * 31 + length));
        }
        if (!producer.offer(1 + length % 5, payload, 0, length))
        {
            throw new IllegalStateException("template ring full at a record of " + length + " bytes");
        }
    }

    private static Template empty(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "empty"), small()))
        {
            return snapshot("empty", segment);
        }
    }

    private static Template committed(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "committed"), small()))
        {
            try (RingProducer producer = new RingProducer(segment, 11))
            {
                for (final int length : new int[]{0, 1, 7, 8, 100, segment.maxRecordLength()})
                {
                    offer(producer, length);
                }
            }
            return snapshot("committed", segment);
        }
    }

    private static Template wrapped(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "wrapped"), small()))
        {
            try (RingProducer producer = new RingProducer(segment, 12);
                RingConsumer consumer = new RingConsumer(segment))
            {
                int length = 3;
                while (consumer.position() < 3L * segment.capacity())
                {
                    offer(producer, length);
                    offer(producer, (length * 7) % segment.maxRecordLength());
                    consumer.read((type, buffer, offset, len) ->
                    {
                    }, 100);
                    length = (length * 13 + 5) % segment.maxRecordLength();
                }
                for (int i = 0; i < 5; i++)
                {
                    offer(producer, 40 + i * 50);
                }
                consumer.read((type, buffer, offset, len) ->
                {
                }, 2);
            }
            return snapshot("wrapped", segment);
        }
    }

    private static Template claimOpen(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "claim-open"), small());
            RingProducer producer = new RingProducer(segment, 13))
        {
            offer(producer, 24);
            final int index = producer.tryClaim(2, 64);
            producer.buffer().setMemory(index, 64, (byte)7);
            final Template template = snapshot("claim-open", segment);
            producer.abort(index);
            return template;
        }
    }

    /**
     * A dead exclusive producer's claim in flight: payload written, the gate (the claim's first word) either not
     * written yet or written with the tail not moved (killed between its two commit stores); the slot and the
     * exclusive word name a process that is gone, so a producer registering resolves the claim (F29).
     */
    private static Template exclusiveDead(final Path dir, final String name, final boolean gateLanded)
        throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, name), small());
            RingProducer producer = RingProducer.exclusive(segment, 14))
        {
            offer(producer, 24);
            offer(producer, 100);
            final int index = producer.tryClaim(3, 64);
            producer.buffer().setMemory(index, 64, (byte)7);
            if (gateLanded)
            {
                producer.buffer().putLongRelease(index - RecordDescriptor.HEADER_LENGTH,
                    RecordDescriptor.headerWord(RecordDescriptor.HEADER_LENGTH + 64, 3));
            }
            final AtomicBuffer header = segment.buffer();
            final int slot = SegmentDescriptor.producerSlotOffset(producer.slotIndex());
            final long live = header.getLongVolatile(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET);
            final long dead;
            try
            {
                dead = DeadProcess.token();
            }
            catch (final Exception ex)
            {
                throw new IOException("cannot make a dead process token", ex);
            }
            header.putLongVolatile(slot + ProducerSlotDescriptor.PID_OFFSET, ProcessIdentity.pidOf(dead));
            header.putLongVolatile(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, dead);
            header.putLongVolatile(SegmentDescriptor.EXCLUSIVE_PRODUCER_TOKEN_OFFSET, dead);
            final Template template = snapshot(name, segment);
            header.putLongVolatile(SegmentDescriptor.EXCLUSIVE_PRODUCER_TOKEN_OFFSET, live);
            header.putLongVolatile(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, live);
            header.putLongVolatile(slot + ProducerSlotDescriptor.PID_OFFSET, ProcessIdentity.current().pid());
            producer.abort(index);
            return template;
        }
    }

    private static Template counters(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "counters"), small()))
        {
            try (RingProducer producer = new RingProducer(segment, 14);
                RingConsumer consumer = new RingConsumer(segment))
            {
                final CountersManager manager = consumer.countersManager();
                manager.setCounterValue(manager.allocate("late events"), 42);
                manager.setCounterValue(manager.allocate("decode errors: window 1m, key sensor"), -1);
                manager.free(manager.allocate("freed"));
                manager.allocate("x".repeat(300));
                for (int i = 0; i < 10; i++)
                {
                    offer(producer, 16 * i);
                }
                consumer.read((type, buffer, offset, len) ->
                {
                }, 4);
            }
            return snapshot("counters", segment);
        }
    }

    private static Template full(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "full"), small()))
        {
            try (RingProducer producer = new RingProducer(segment, 15);
                RingConsumer consumer = new RingConsumer(segment))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[200]);
                while (producer.offer(3, payload, 0, 200))
                {
                    // fill until back-pressured
                }
                consumer.read((type, buffer, offset, len) ->
                {
                }, 2);
                while (producer.offer(3, payload, 0, 120))
                {
                    // and again, across the wrap
                }
            }
            return snapshot("full", segment);
        }
    }

    private static Template consumerHeld(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "consumer-held"), small());
            RingConsumer consumer = new RingConsumer(segment))
        {
            try (RingProducer producer = new RingProducer(segment, 16))
            {
                offer(producer, 50);
                offer(producer, 60);
            }
            consumer.read((type, buffer, offset, len) ->
            {
            }, 1);
            return snapshot("consumer-held", segment);
        }
    }

    private static Template large(final Path dir) throws IOException
    {
        final SegmentConfig config = new SegmentConfig().capacity(64 * 1024).producerSlotCount(8).counterCount(16);
        try (Segment segment = Segment.create(fresh(dir, "large"), config))
        {
            try (RingProducer a = new RingProducer(segment, 1);
                RingProducer b = new RingProducer(segment, 2);
                RingConsumer consumer = new RingConsumer(segment))
            {
                for (int i = 0; i < 40; i++)
                {
                    offer(a, 100 + i * 17);
                    offer(b, 3 * i);
                }
                consumer.read((type, buffer, offset, len) ->
                {
                }, 30);
                consumer.countersManager().allocate("records late");
            }
            return snapshot("large", segment);
        }
    }

    /**
     * Holders in another pid namespace, with a pid that does not exist here: producer slot 0 with a claim it won
     * and has not committed (the consumer must wait at it, never unblock it), and the consumer name "other".
     * The name "default" is registered and free, so the consume step reads the committed records and then waits.
     */
    private static Template foreignNamespace(final Path dir) throws IOException
    {
        try (Segment segment = Segment.create(fresh(dir, "foreign-namespace"), small()))
        {
            new RingConsumer(segment).close();
            final int other;
            try (RingConsumer consumer = new RingConsumer(segment, "other", RingConsumers.StartPosition.TAIL))
            {
                other = consumer.slotIndex();
            }
            try (RingProducer producer = new RingProducer(segment, 17))
            {
                offer(producer, 30);
                offer(producer, 70);
            }
            final long foreignNamespace = (ProcessIdentity.current().pidNamespace() + 1) & 0xFFFF_FFFFL;
            final long token = ProcessIdentity.token((1L << 22) + 1, 5); // above any pid_max: no such pid here
            final AtomicBuffer header = segment.buffer();
            final long tail = header.getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
            final int slot = SegmentDescriptor.producerSlotOffset(0);
            header.putLong(slot + ProducerSlotDescriptor.OWNER_TOKEN_OFFSET, token);
            header.putInt(slot + ProducerSlotDescriptor.PID_NAMESPACE_OFFSET, (int)foreignNamespace);
            header.putLong(slot + ProducerSlotDescriptor.PID_OFFSET, ProcessIdentity.pidOf(token));
            header.putLong(slot + ProducerSlotDescriptor.CLAIM_POSITION_OFFSET, tail);
            header.putLong(slot + ProducerSlotDescriptor.CLAIM_LENGTH_OFFSET, 32);
            header.putLong(slot + ProducerSlotDescriptor.CLAIMED_POSITION_OFFSET, tail);
            header.putLong(SegmentDescriptor.TAIL_POSITION_OFFSET, tail + 32);
            final int consumerSlot = SegmentDescriptor.consumerSlotOffset(other);
            header.putInt(SegmentDescriptor.consumerPidNamespaceOffset(other), (int)foreignNamespace);
            header.putLong(consumerSlot + ConsumerSlotDescriptor.PID_OFFSET, ProcessIdentity.pidOf(token));
            header.putLongVolatile(consumerSlot + ConsumerSlotDescriptor.OWNER_TOKEN_OFFSET, token);
            return snapshot("foreign-namespace", segment);
        }
    }
}
