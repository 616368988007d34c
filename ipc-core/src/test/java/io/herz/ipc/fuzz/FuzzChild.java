package io.herz.ipc.fuzz;

import io.herz.ipc.ring.RingConsumer;
import io.herz.ipc.ring.RingProducer;
import io.herz.ipc.segment.Segment;
import io.herz.ipc.segment.SegmentConfig;
import io.herz.ipc.segment.SegmentException;
import io.herz.ipc.status.SegmentStatus;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The child JVM of the segment fuzzer: reads {@code CASE <id> <path>} lines on stdin, runs every public operation
 * on the file at that path, answers one line per case on stdout, and exits on EOF. It only uses the public API
 * (open, read-only open, {@link SegmentStatus}, {@link RingConsumer#read}, {@link RingProducer} claim / commit /
 * abort / offer), so it runs unchanged against any layout version.
 * <p>
 * Answers: {@code OK <id> <outcomes>} where outcomes lists each step with {@code ok} or the normalised
 * {@link SegmentException} message; {@code FAIL <id> <signature>\t<details>} for anything else (another exception
 * type, or data outside the buffer handed to the handler). A crash shows as EOF with no answer; a hang as no answer.
 */
public final class FuzzChild
{
    /** Step names, in order. */
    static final String[] STEPS = {"status", "open", "status-rw", "consume", "produce", "consume-again"};

    private static final Pattern NUMBERS = Pattern.compile("0x[0-9a-fA-F]+|-?\\d+");
    private static final int PRODUCER_ID = 3;
    /** How long a consumer attach waits for a ring lock held by a live-looking token (the product default is 5 s). */
    private static final long LOCK_TIMEOUT_MS = 20;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64 * 1024]);
    private final StringBuilder outcomes = new StringBuilder();
    private String failure;

    public static void main(final String[] args) throws Exception
    {
        final FuzzChild child = new FuzzChild();
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("READY " + ProcessHandle.current().pid());
        out.flush();
        String line;
        while ((line = in.readLine()) != null)
        {
            final String[] parts = line.split(" ", 3);
            if (parts.length != 3 || !parts[0].equals("CASE"))
            {
                out.println("PROTOCOL " + line);
                out.flush();
                continue;
            }
            out.println(child.run(Path.of(parts[2])).replace("@ID@", parts[1]));
            out.flush();
        }
    }

    String run(final Path file)
    {
        outcomes.setLength(0);
        failure = null;
        try
        {
            runSteps(file);
        }
        catch (final Throwable ex)
        {
            fail("driver", ex);
        }
        return failure != null ? "FAIL @ID@ " + failure : "OK @ID@ " + outcomes;
    }

    private void runSteps(final Path file)
    {
        step("status", () -> SegmentStatus.read(file));
        final Segment segment;
        try
        {
            // A ring lock held by a live-looking token (a copied owner token, a holder in another pid namespace)
            // makes a consumer wait for it: the wait is the product's rule, its length only the fuzzer's business.
            segment = Segment.open(file, new SegmentConfig().openTimeoutMs(0).lockTimeoutMs(LOCK_TIMEOUT_MS));
            outcome("open", "ok");
        }
        catch (final SegmentException ex)
        {
            outcome("open", normalise(ex));
            return;
        }
        catch (final Throwable ex)
        {
            fail("open", ex);
            return;
        }
        try
        {
            step("status-rw", () -> SegmentStatus.capture(segment));
            step("consume", () -> consume(segment));
            step("produce", () -> produce(segment));
            step("consume-again", () -> consume(segment));
        }
        finally
        {
            segment.close();
        }
    }

    private void consume(final Segment segment)
    {
        try (RingConsumer consumer = new RingConsumer(segment))
        {
            final int maxRecordLength = segment.maxRecordLength();
            for (int batch = 0; batch < 8; batch++)
            {
                final int read = consumer.read((type, buffer, offset, length) ->
                    checkDelivered(buffer, offset, length, maxRecordLength), 16);
                if (read == 0)
                {
                    break;
                }
            }
        }
    }

    private void checkDelivered(final org.agrona.DirectBuffer buffer, final int offset, final int length,
        final int maxRecordLength)
    {
        if (offset < 0 || length < 0 || length > maxRecordLength || (long)offset + length > buffer.capacity())
        {
            throw new BadDataError("record outside the data area: offset " + offset + " length " + length +
                " buffer capacity " + buffer.capacity() + " maxRecordLength " + maxRecordLength);
        }
        if (length > 0)
        {
            buffer.getByte(offset);
            buffer.getByte(offset + length - 1);
        }
    }

    private void produce(final Segment segment)
    {
        try (RingProducer producer = new RingProducer(segment, PRODUCER_ID))
        {
            final int max = Math.min(producer.maxRecordLength(), payload.capacity());
            final int[] lengths = {0, 1, 8, 13, max / 2, max};
            for (final int wanted : lengths)
            {
                final int length = Math.min(wanted, max); // a valid segment may have a tiny maxRecordLength
                final int index = producer.tryClaim(7, length);
                if (index >= 0)
                {
                    final AtomicBuffer buffer = producer.buffer();
                    buffer.setMemory(index, length, (byte)0x5A);
                    producer.commit(index);
                }
            }
            final int aborted = producer.tryClaim(8, Math.min(16, max));
            if (aborted >= 0)
            {
                producer.abort(aborted);
            }
            producer.offer(9, payload, 0, Math.min(32, max));
        }
    }

    private void step(final String name, final Runnable action)
    {
        if (failure != null)
        {
            return;
        }
        try
        {
            action.run();
            outcome(name, "ok");
        }
        catch (final SegmentException ex)
        {
            outcome(name, normalise(ex));
        }
        catch (final Throwable ex)
        {
            fail(name, ex);
        }
    }

    private void outcome(final String step, final String result)
    {
        outcomes.append(step).append('=').append(result).append('|');
    }

    private void fail(final String step, final Throwable ex)
    {
        if (failure != null)
        {
            return;
        }
        failure = signature(step, ex) + "\t" + details(ex);
    }

    /** Failure signature: step, exception type and the first Herz frame, e.g. "consume IndexOutOfBoundsException at RingConsumer.readContiguous". */
    static String signature(final String step, final Throwable ex)
    {
        String frame = "?";
        for (final StackTraceElement element : ex.getStackTrace())
        {
            if (element.getClassName().startsWith("io.herz.ipc.") && !element.getClassName().startsWith("io.herz.ipc.fuzz."))
            {
                frame = element.getClassName().substring(element.getClassName().lastIndexOf('.') + 1) + "." +
                    element.getMethodName();
                break;
            }
        }
        return step + " " + ex.getClass().getSimpleName() + " at " + frame;
    }

    private static String details(final Throwable ex)
    {
        final StringBuilder sb = new StringBuilder(ex.toString());
        final StackTraceElement[] trace = ex.getStackTrace();
        for (int i = 0; i < Math.min(14, trace.length); i++)
        {
            sb.append(" \\n    at ").append(trace[i]);
        }
        return sb.toString().replace('\n', ' ').replace('\t', ' ');
    }

    /** The message without the path and with every number as N: one entry per kind of error. */
    static String normalise(final SegmentException ex)
    {
        String message = ex.getMessage();
        final String prefix = ex.path() + ": ";
        if (message.startsWith(prefix))
        {
            message = message.substring(prefix.length());
        }
        final int cause = message.indexOf(": java.");
        if (cause > 0)
        {
            message = message.substring(0, cause);
        }
        return NUMBERS.matcher(message).replaceAll("N").replace('|', '/').replace('\t', ' ').replace('\n', ' ');
    }

    /** Data handed to the handler that lies outside the data area. */
    static final class BadDataError extends Error
    {
        private static final long serialVersionUID = 1L;

        BadDataError(final String message)
        {
            super(message);
        }
    }
}
