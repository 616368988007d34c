package io.herz.codec;

import io.herz.codec.sbe.EndOfStreamEncoder;
import io.herz.codec.sbe.EventEncoder;
import io.herz.codec.sbe.MessageHeaderEncoder;
import io.herz.codec.sbe.ResultKind;
import io.herz.codec.sbe.WatermarkEncoder;
import io.herz.codec.sbe.WindowKind;
import io.herz.codec.sbe.WindowResultEncoder;
import io.herz.ipc.transport.Publication;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Encodes Herz messages straight into claimed space of a {@link Publication} (a Herz ring or an Aeron stream): each
 * publish claims exactly the encoded length, wraps SBE's header and message encoders on {@link Publication#buffer()}
 * at the claimed offset, encodes, and commits. No intermediate buffer and no allocation; the record's type id is
 * the SBE template id. Every method returns the offset of the message (&ge; 0) once committed, or the publication's
 * negative code ({@link Publication#BACK_PRESSURED}, {@link Publication#NOT_CONNECTED}, ...) when nothing was
 * written, in which case the caller picks an idle strategy and tries again. An exception while encoding aborts the
 * claim before it propagates, so a failed publish never leaves a claim behind to wedge the ring.
 * <p>
 * Events are numbered by a per-publisher sequence starting at 0 ({@link #nextSequence(long)} resumes a stream) and
 * stamped with {@code publishTimeNs} from an {@link EpochNanoClock} right before the commit; {@link
 * #publishEndOfStream()} reports the count, the last sequence and the last event time.
 * <p>
 * Keys are ASCII, 0 to {@link #MAX_KEY_LENGTH} bytes, zero-padded in the message. Not thread-safe: one per
 * producing thread, like the {@link Publication} it wraps.
 */
public final class EventPublisher
{
    /** Largest key in bytes: the schema's fixed {@code char[32]}. */
    public static final int MAX_KEY_LENGTH = EventEncoder.keyLength();

    /** Encoded length of an Event: message header plus block. */
    public static final int EVENT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + EventEncoder.BLOCK_LENGTH;
    /** Encoded length of an EndOfStream: message header plus block. */
    public static final int END_OF_STREAM_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + EndOfStreamEncoder.BLOCK_LENGTH;
    /** Encoded length of a WindowResult: message header plus block. */
    public static final int WINDOW_RESULT_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + WindowResultEncoder.BLOCK_LENGTH;

    /** Encoded length of a Watermark: message header plus block. */
    public static final int WATERMARK_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + WatermarkEncoder.BLOCK_LENGTH;

    private static final int EVENT_KEY_OFFSET = EventEncoder.keyEncodingOffset();
    /** The key field in 64-bit words. */
    private static final int KEY_WORDS = MAX_KEY_LENGTH / Long.BYTES;
    private static final int WINDOW_RESULT_KEY_OFFSET = WindowResultEncoder.keyEncodingOffset();

    private final Publication publication;
    private MutableDirectBuffer buffer;
    private final int producerId;
    private final EpochNanoClock clock;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EventEncoder eventEncoder = new EventEncoder();
    private final EndOfStreamEncoder endOfStreamEncoder = new EndOfStreamEncoder();
    private final WindowResultEncoder windowResultEncoder = new WindowResultEncoder();
    private final WatermarkEncoder watermarkEncoder = new WatermarkEncoder();

    private long nextSequence;
    private long eventCount;
    private long lastEventTimeNs = Long.MIN_VALUE;
    private long lostClaimCount;
    private long backPressureCount;

    /**
     * Publish on {@code publication}, stamping publish times from {@link SystemEpochNanoClock}.
     *
     * @param publication where to claim; the caller owns and closes it.
     * @param producerId  application-level id written into every message.
     */
    public EventPublisher(final Publication publication, final int producerId)
    {
        this(publication, producerId, new SystemEpochNanoClock());
    }

    /**
     * Publish on {@code publication} with a given clock.
     *
     * @param publication where to claim; the caller owns and closes it.
     * @param producerId  application-level id written into every message.
     * @param clock       source of {@code publishTimeNs}, epoch nanoseconds.
     * @throws IllegalArgumentException if the stream's largest claim cannot hold a WindowResult.
     */
    public EventPublisher(final Publication publication, final int producerId, final EpochNanoClock clock)
    {
        if (publication.maxClaimLength() < WINDOW_RESULT_LENGTH)
        {
            throw new IllegalArgumentException("max record length too small for Herz messages: expected >= " +
                WINDOW_RESULT_LENGTH + ", found " + publication.maxClaimLength() + " stream=" + publication.uri());
        }
        this.publication = publication;
        this.producerId = producerId;
        this.clock = clock;
    }

    /**
     * Publish an Event whose key is a {@link CharSequence}; no allocation.
     *
     * @param eventTimeNs event time, epoch nanoseconds.
     * @param key         ASCII (1..127 per char), at most {@link #MAX_KEY_LENGTH} chars.
     * @param value       measured value.
     * @return payload offset (&ge; 0) or a negative {@link Publication} code.
     * @throws IllegalArgumentException if the key is too long or not ASCII; nothing is claimed then.
     */
    public int publishEvent(final long eventTimeNs, final CharSequence key, final double value)
    {
        final int keyLength = checkKey(key);
        final int index = claim(EventEncoder.TEMPLATE_ID, EVENT_LENGTH);
        if (index < 0)
        {
            return index;
        }
        try
        {
            final EventEncoder encoder = wrapEvent(index, eventTimeNs, value, keyLength);
            putKey(encoder.offset() + EVENT_KEY_OFFSET, key, keyLength);
            encoder.publishTimeNs(clock.nanoTime()); // plain: published by the commit's release
        }
        catch (final RuntimeException | Error ex)
        {
            publication.abort(index);
            throw ex;
        }
        return commitEvent(index, eventTimeNs);
    }

    /**
     * Publish an Event whose key is bytes in a buffer; no allocation.
     *
     * @param eventTimeNs event time, epoch nanoseconds.
     * @param key         buffer holding the ASCII key.
     * @param keyOffset   of the key in {@code key}.
     * @param keyLength   bytes, 0 to {@link #MAX_KEY_LENGTH}.
     * @param value       measured value.
     * @return payload offset (&ge; 0) or a negative {@link Publication} code.
     * @throws IllegalArgumentException if the key is too long; nothing is claimed then.
     */
    public int publishEvent(
        final long eventTimeNs, final DirectBuffer key, final int keyOffset, final int keyLength, final double value)
    {
        checkKeyLength(keyLength);
        final int index = claim(EventEncoder.TEMPLATE_ID, EVENT_LENGTH);
        if (index < 0)
        {
            return index;
        }
        try
        {
            final EventEncoder encoder = wrapEvent(index, eventTimeNs, value, keyLength);
            putKey(encoder.offset() + EVENT_KEY_OFFSET, key, keyOffset, keyLength);
            encoder.publishTimeNs(clock.nanoTime()); // plain: published by the commit's release
        }
        catch (final RuntimeException | Error ex)
        {
            publication.abort(index);
            throw ex;
        }
        return commitEvent(index, eventTimeNs);
    }

    /**
     * Publish this producer's EndOfStream: the number of events published, the last sequence and event time.
     *
     * @return payload offset (&ge; 0) or a negative {@link Publication} code.
     */
    public int publishEndOfStream()
    {
        final int index = claim(EndOfStreamEncoder.TEMPLATE_ID, END_OF_STREAM_LENGTH);
        if (index < 0)
        {
            return index;
        }
        try
        {
            endOfStreamEncoder.wrapAndApplyHeader(buffer, index, headerEncoder)
                .eventCount(eventCount)
                .lastSequence(nextSequence - 1)
                .lastEventTimeNs(lastEventTimeNs)
                .producerId(producerId)
                .publishTimeNs(clock.nanoTime());
        }
        catch (final RuntimeException | Error ex)
        {
            publication.abort(index);
            throw ex;
        }
        return commit(index);
    }

    /**
     * Publish a Watermark: this producer's event-time progress, e.g. the highest event time it has published on any
     * partition of a partitioned ring ({@link PartitionedEventPublisher} does this for every partition).
     *
     * @param eventTimeNs highest event time published so far, epoch nanoseconds; {@link Long#MIN_VALUE} if none.
     * @return payload offset (&ge; 0) or a negative {@link Publication} code.
     */
    public int publishWatermark(final long eventTimeNs)
    {
        final int index = claim(WatermarkEncoder.TEMPLATE_ID, WATERMARK_LENGTH);
        if (index < 0)
        {
            return index;
        }
        try
        {
            watermarkEncoder.wrapAndApplyHeader(buffer, index, headerEncoder)
                .eventTimeNs(eventTimeNs)
                .producerId(producerId)
                .reserved(0)
                .publishTimeNs(clock.nanoTime());
        }
        catch (final RuntimeException | Error ex)
        {
            publication.abort(index);
            throw ex;
        }
        return commit(index);
    }

    /**
     * @return the event time of the last Event this publisher published, {@link Long#MIN_VALUE} if none.
     */
    public long lastEventTimeNs()
    {
        return lastEventTimeNs;
    }

    /**
     * Publish the aggregates of one key over one window, with the mean the aggregator computed (it is written as
     * given, not recomputed).
     *
     * @param windowStartNs window start, epoch nanoseconds, inclusive.
     * @param windowEndNs   window end, epoch nanoseconds, exclusive.
     * @param key           buffer holding the ASCII key.
     * @param keyOffset     of the key in {@code key}.
     * @param keyLength     bytes, 0 to {@link #MAX_KEY_LENGTH}.
     * @param count         events in the window.
     * @param sum           sum of values.
     * @param min           smallest value.
     * @param max           largest value.
     * @param windowKind    how the window was formed.
     * @param resultKind    {@link ResultKind#FINAL} the first time, {@link ResultKind#UPDATE} for a late correction.
     * @return payload offset (&ge; 0) or a negative {@link Publication} code.
     * @throws IllegalArgumentException if the key is too long; nothing is claimed then.
     */
    public int publishWindowResult(
        final long windowStartNs,
        final long windowEndNs,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final long count,
        final double sum,
        final double min,
        final double max,
        final double mean,
        final WindowKind windowKind,
        final ResultKind resultKind)
    {
        checkKeyLength(keyLength);
        final int index = claim(WindowResultEncoder.TEMPLATE_ID, WINDOW_RESULT_LENGTH);
        if (index < 0)
        {
            return index;
        }
        try
        {
            final WindowResultEncoder encoder = wrapWindowResult(
                index, windowStartNs, windowEndNs, keyLength, count, sum, min, max, mean, windowKind, resultKind);
            putKey(encoder.offset() + WINDOW_RESULT_KEY_OFFSET, key, keyOffset, keyLength);
            encoder.publishTimeNs(clock.nanoTime());
        }
        catch (final RuntimeException | Error ex)
        {
            publication.abort(index);
            throw ex;
        }
        return commit(index);
    }

    /**
     * {@link #publishWindowResult(long, long, DirectBuffer, int, int, long, double, double, double, double,
     * WindowKind, ResultKind)} with a {@link CharSequence} key and the mean computed as {@code sum / count} (NaN for
     * a count of 0); no allocation.
     *
     * @param windowStartNs window start, epoch nanoseconds, inclusive.
     * @param windowEndNs   window end, epoch nanoseconds, exclusive.
     * @param key           ASCII (1..127 per char), at most {@link #MAX_KEY_LENGTH} chars.
     * @param count         events in the window.
     * @param sum           sum of values.
     * @param min           smallest value.
     * @param max           largest value.
     * @param windowKind    how the window was formed.
     * @param resultKind    FINAL or UPDATE.
     * @return payload offset (&ge; 0) or a negative {@link Publication} code.
     * @throws IllegalArgumentException if the key is too long or not ASCII; nothing is claimed then.
     */
    public int publishWindowResult(
        final long windowStartNs,
        final long windowEndNs,
        final CharSequence key,
        final long count,
        final double sum,
        final double min,
        final double max,
        final WindowKind windowKind,
        final ResultKind resultKind)
    {
        final int keyLength = checkKey(key);
        final int index = claim(WindowResultEncoder.TEMPLATE_ID, WINDOW_RESULT_LENGTH);
        if (index < 0)
        {
            return index;
        }
        try
        {
            final WindowResultEncoder encoder = wrapWindowResult(index, windowStartNs, windowEndNs, keyLength, count,
                sum, min, max, count == 0 ? Double.NaN : sum / count, windowKind, resultKind);
            putKey(encoder.offset() + WINDOW_RESULT_KEY_OFFSET, key, keyLength);
            encoder.publishTimeNs(clock.nanoTime());
        }
        catch (final RuntimeException | Error ex)
        {
            publication.abort(index);
            throw ex;
        }
        return commit(index);
    }

    private WindowResultEncoder wrapWindowResult(
        final int index,
        final long windowStartNs,
        final long windowEndNs,
        final int keyLength,
        final long count,
        final double sum,
        final double min,
        final double max,
        final double mean,
        final WindowKind windowKind,
        final ResultKind resultKind)
    {
        return windowResultEncoder.wrapAndApplyHeader(buffer, index, headerEncoder)
            .windowStartNs(windowStartNs)
            .windowEndNs(windowEndNs)
            .count(count)
            .sum(sum)
            .min(min)
            .max(max)
            .mean(mean)
            .producerId(producerId)
            .keySize((short)keyLength)
            .windowKind(windowKind)
            .resultKind(resultKind);
    }

    /**
     * @return the sequence the next Event gets.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * Resume a stream: the next Event gets {@code sequence}.
     *
     * @param sequence the next sequence, &ge; 0.
     * @throws IllegalArgumentException if negative.
     */
    public void nextSequence(final long sequence)
    {
        if (sequence < 0)
        {
            throw new IllegalArgumentException("sequence is negative: expected >= 0, found " + sequence);
        }
        nextSequence = sequence;
    }

    /**
     * @return Events published by this publisher.
     */
    public long eventCount()
    {
        return eventCount;
    }

    /**
     * Make every message published so far deliverable before the caller goes idle: {@link Publication#flush()}, which
     * commits the open batch of a batching publication ({@code PublicationOptions.batchBytes}) and does nothing on
     * others. Call it at the end of each duty cycle.
     */
    public void flush()
    {
        publication.flush();
    }

    /**
     * Tell monitors this producer is alive while it has nothing to publish: {@link Publication#keepAlive()} (a
     * clock read; a heartbeat at most once an interval). Call it from an idle duty cycle, e.g. a paced producer
     * between events.
     */
    public void keepAlive()
    {
        publication.keepAlive();
    }

    /**
     * @return claims that the ring took away before they were committed (each was published again by the caller's
     * retry, or dropped if the caller gave up).
     */
    public long lostClaimCount()
    {
        return lostClaimCount;
    }

    /**
     * @return claims refused because the stream was full.
     */
    public long backPressureCount()
    {
        return backPressureCount;
    }

    /**
     * @return the producer id written into every message.
     */
    public int producerId()
    {
        return producerId;
    }

    /**
     * @return the publication this publisher claims on.
     */
    public Publication publication()
    {
        return publication;
    }

    private EventEncoder wrapEvent(final int index, final long eventTimeNs, final double value, final int keyLength)
    {
        return eventEncoder.wrapAndApplyHeader(buffer, index, headerEncoder)
            .eventTimeNs(eventTimeNs)
            .sequence(nextSequence)
            .value(value)
            .producerId(producerId)
            .keySize((short)keyLength);
    }

    private int claim(final int typeId, final int length)
    {
        final int index = publication.tryClaim(typeId, length);
        if (index >= 0)
        {
            buffer = publication.buffer(); // may change per claim (Aeron); the same object on a Herz ring
        }
        else if (Publication.BACK_PRESSURED == index)
        {
            backPressureCount++;
        }
        return index;
    }

    /**
     * Commit a claim. A claim that the ring took away meanwhile (its producer was judged dead and the record padded)
     * was never delivered: it is counted and reported as back-pressure, so the caller's retry publishes the message
     * again under the same sequence, and nothing is delivered twice.
     */
    private int commit(final int index)
    {
        if (publication.commit(index))
        {
            return index;
        }
        lostClaimCount++;
        return Publication.BACK_PRESSURED;
    }

    private int commitEvent(final int index, final long eventTimeNs)
    {
        final int result = commit(index);
        if (result >= 0)
        {
            nextSequence++;
            eventCount++;
            lastEventTimeNs = eventTimeNs;
        }
        return result;
    }

    private void putKey(final int keyIndex, final CharSequence key, final int keyLength)
    {
        final MutableDirectBuffer buffer = this.buffer;
        zeroKey(buffer, keyIndex);
        for (int i = 0; i < keyLength; i++)
        {
            buffer.putByte(keyIndex + i, (byte)key.charAt(i));
        }
    }

    /**
     * The key field's four words, each stored once: the key's whole words, its last partial word assembled from its
     * last bytes with zeros above, then zero words. Word by word rather than {@code putBytes}, which between two
     * buffers is {@code Unsafe.copyMemory}, a call with checks (~10% of the results path for an 11-byte key,
     * ResultsPathBenchmark), and without zeroing the field first (the result publish of a sparse job stored every
     * key byte twice). The last bytes are read one by one: the key may end its buffer.
     */
    private void putKey(final int keyIndex, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final MutableDirectBuffer buffer = this.buffer;
        final int words = keyLength >>> 3;
        int i = 0;
        for (; i < words; i++)
        {
            buffer.putLong(keyIndex + (i << 3), key.getLong(keyOffset + (i << 3), LITTLE_ENDIAN), LITTLE_ENDIAN);
        }
        if (0 != (keyLength & 7))
        {
            long last = 0;
            for (int b = keyLength - 1; b >= i << 3; b--)
            {
                last = (last << 8) | (key.getByte(keyOffset + b) & 0xFF);
            }
            buffer.putLong(keyIndex + (i << 3), last, LITTLE_ENDIAN);
            i++;
        }
        for (; i < KEY_WORDS; i++)
        {
            buffer.putLong(keyIndex + (i << 3), 0L);
        }
    }

    /**
     * Zero the 32 key bytes (8-aligned in every message) with four long stores rather than {@code setMemory}, which
     * is a call into the VM rather than inlined code on JDK 17. The difference was within the noise of
     * {@code EventPublishBenchmark} on the 2-core machine it ran on.
     */
    private static void zeroKey(final MutableDirectBuffer buffer, final int keyIndex)
    {
        buffer.putLong(keyIndex, 0L);
        buffer.putLong(keyIndex + 8, 0L);
        buffer.putLong(keyIndex + 16, 0L);
        buffer.putLong(keyIndex + 24, 0L);
    }

    private static int checkKey(final CharSequence key)
    {
        final int keyLength = key.length();
        checkKeyLength(keyLength);
        for (int i = 0; i < keyLength; i++)
        {
            final char c = key.charAt(i);
            if (c == 0 || c > 127)
            {
                throw new IllegalArgumentException("key is not ASCII: expected chars 1..127, found " + (int)c +
                    " at index " + i);
            }
        }
        return keyLength;
    }

    private static void checkKeyLength(final int keyLength)
    {
        if (keyLength < 0 || keyLength > MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("key length out of range: expected 0.." + MAX_KEY_LENGTH +
                ", found " + keyLength);
        }
    }
}
