package io.herz.ipc.segment;

import io.herz.ipc.ring.RecordDescriptor;
import io.herz.ipc.ring.ProducerSlotDescriptor;
import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code docs/read_segment.py}, a reader written from {@code docs/LAYOUT.md} alone, on a segment whose
 * unconsumed part holds records of two producers, an aborted record, a maximum-length record whose length is not a
 * multiple of 8, a wrap with padding and an uncommitted claim, and compares its output with what the Java side
 * wrote. Skipped when {@code python3} is not installed.
 */
@Timeout(60)
class ReadSegmentScriptTest
{
    private static final int CAPACITY = 8192;

    @TempDir
    Path dir;

    @Test
    void shouldPrintTheCommittedRecordsAsTheJavaSideWroteThem() throws Exception
    {
        Assumptions.assumeTrue(python3Available(), "python3 is not installed");
        final Path file = dir.resolve("script.seg");
        final List<String> expected = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();
        final List<String> written = new ArrayList<>();
        final long pid = ProcessHandle.current().pid();
        final long ns = io.herz.ipc.process.ProcessIdentity.current().pidNamespace();
        assertTrue(ns != 0, "the owners' pid namespace is recorded (needs /proc/self/ns/pid)");
        try (Segment segment = Segment.create(file, new SegmentConfig()
                .capacity(CAPACITY).maxRecordLength(1001).producerSlotCount(40).counterCount(3));
            RingProducer first = new RingProducer(segment, 7);
            RingProducer second = new RingProducer(segment, 9);
            RingConsumer consumer = new RingConsumer(segment))
        {
            int value = 0;
            while (tail(segment) < CAPACITY - 700)
            {
                offer(segment, first, 3, 100 + value % 50, value++, positions, written);
            }
            assertEquals(50, consumer.read((type, buffer, index, length) -> { }, 50));
            final int aborted = second.tryClaim(4, 64);
            second.abort(aborted);
            for (int i = 0; i < 12; i++)
            {
                final RingProducer producer = (i & 1) == 0 ? first : second;
                final int length = i == 3 ? 1001 : 1 + i * 37 % 400;
                offer(segment, producer, 5 + (i & 1), length, value++, positions, written);
            }
            assertTrue(tail(segment) > CAPACITY, "the records wrapped");
            final int uncommitted = first.tryClaim(3, 20);
            final long head = consumer.position();
            for (int i = 0; i < written.size(); i++)
            {
                if (positions.get(i) >= head)
                {
                    expected.add(written.get(i));
                }
            }
            assertTrue(expected.size() > 12, "records of both phases are unconsumed: " + expected.size());
            expected.add("stop position=" + (tail(segment) - 32) + " reason=uncommitted length=0");

            final List<String> header = List.of(
                "segment path=" + file + " capacity=8192 maxRecordLength=1001 producerSlotCount=40 counterCount=3" +
                    " headerLength=12288 head=" + head + " tail=" + tail(segment),
                "consumer slot=0 name=default pid=" + pid + " pidNamespace=" + ns + " position=" + head + " recordsConsumed=50",
                "producer slot=0 pid=" + pid + " pidNamespace=" + ns + " producerId=7 recordsOffered=" + slotLong(segment, 0, ProducerSlotDescriptor.RECORDS_OFFERED_OFFSET) +
                    " bytesOffered=" + slotLong(segment, 0, ProducerSlotDescriptor.BYTES_OFFERED_OFFSET) +
                    " backPressureCount=0",
                "producer slot=1 pid=" + pid + " pidNamespace=" + ns + " producerId=9 recordsOffered=" + slotLong(segment, 1, ProducerSlotDescriptor.RECORDS_OFFERED_OFFSET) +
                    " bytesOffered=" + slotLong(segment, 1, ProducerSlotDescriptor.BYTES_OFFERED_OFFSET) +
                    " backPressureCount=0");
            expected.addAll(0, header);

            final List<String> output = runScript(file);

            assertEquals(expected, output);
            first.abort(uncommitted);
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotASegment() throws Exception
    {
        Assumptions.assumeTrue(python3Available(), "python3 is not installed");
        final Path file = dir.resolve("bad.seg");
        Segment.create(file, new SegmentConfig().capacity(4096).producerSlotCount(1).counterCount(0)).close();
        SegmentBadInputTest.putInt(file, SegmentDescriptor.MAGIC_OFFSET, 0x1234_5678);

        final Process process = new ProcessBuilder("python3", LayoutTest.locate("docs/read_segment.py").toString(),
            file.toString()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "read_segment.py finished");
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(2, process.exitValue(), output);
        assertEquals(file + ": not a Herz segment, magic mismatch: expected 0x5a524548, found 0x12345678\n", output);
    }

    private static void offer(
        final Segment segment, final RingProducer producer, final int typeId, final int length, final int value,
        final List<Long> positions, final List<String> written)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(value * 31 + i);
        }
        assertTrue(producer.offer(typeId, new UnsafeBuffer(payload), 0, length), "offer " + value);
        final long position = tail(segment) - RecordDescriptor.alignedRecordLength(length);
        positions.add(position);
        written.add("record position=" + position + " offset=" + (position & (CAPACITY - 1)) + " type=" + typeId +
            " payloadLength=" + length + " payload=" + HexFormat.of().formatHex(payload));
    }

    private static long tail(final Segment segment)
    {
        return segment.buffer().getLongVolatile(SegmentDescriptor.TAIL_POSITION_OFFSET);
    }

    private static long slotLong(final Segment segment, final int slot, final int offset)
    {
        return segment.buffer().getLongVolatile(SegmentDescriptor.producerSlotOffset(slot) + offset);
    }

    private static List<String> runScript(final Path file) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder("python3", LayoutTest.locate("docs/read_segment.py").toString(),
            file.toString()).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("read_segment.py did not finish within 30 s");
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        return List.of(output.split("\n"));
    }

    private static boolean python3Available()
    {
        try
        {
            final Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }
}
