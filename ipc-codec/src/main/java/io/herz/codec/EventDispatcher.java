package io.herz.codec;

import io.herz.codec.sbe.EndOfStreamDecoder;
import io.herz.codec.sbe.EventDecoder;
import io.herz.codec.sbe.MessageHeaderDecoder;
import io.herz.codec.sbe.WatermarkDecoder;
import io.herz.codec.sbe.WindowResultDecoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Decodes ring records in place and calls an {@link EventHandler} by SBE template id. Use it as the handler of
 * {@code RingConsumer.read(handler, limit)}; it allocates nothing per record.
 * <p>
 * Every record is checked before any callback sees it, because its bytes come from another process:
 * <ol>
 *     <li>the record holds an SBE message header and the block that header states ({@link RejectReason#TRUNCATED});
 *     <li>the schema id is Herz events' ({@link RejectReason#UNKNOWN_SCHEMA});
 *     <li>the template id is a message of this schema ({@link RejectReason#UNKNOWN_TEMPLATE}) and equals the ring
 *     record's type id ({@link RejectReason#TYPE_MISMATCH});
 *     <li>the version is readable ({@link RejectReason#INCOMPATIBLE_VERSION}): at least 1, and the block at least as
 *     long as the fields this reader reads for that version;
 *     <li>the key size is at most 32 ({@link RejectReason#INVALID_FIELD}).
 * </ol>
 * A rejected record is counted by reason, the first few are kept for {@link #report()}, and dispatching goes on:
 * nothing here throws for foreign data. Exceptions thrown by the handler itself propagate to the caller.
 * <p>
 * Compatibility follows SBE's {@code sinceVersion} rules: decoders are wrapped with the writer's block length and
 * version (SBE's acting block length and acting version), so a message from a newer writer with a longer block is
 * read up to this reader's fields and the rest skipped, and a field newer than the message reads as its null value.
 * Every field of schema version 1 has {@code sinceVersion} 0, so every version needs at least the version 1 block;
 * a later field added with {@code sinceVersion} n raises that minimum only for versions &ge; n.
 * <p>
 * Not thread-safe: one consumer thread.
 */
public final class EventDispatcher implements MessageHandler
{
    /** How many rejected records {@link #report()} describes by default. */
    public static final int DEFAULT_MAX_REPORTED = 8;

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    private static final int MIN_VERSION = 1;
    private static final int MAX_KEY_SIZE = EventDecoder.keyLength();
    private static final RejectReason[] REASONS = RejectReason.values();

    private final EventHandler handler;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EventDecoder eventDecoder = new EventDecoder();
    private final EndOfStreamDecoder endOfStreamDecoder = new EndOfStreamDecoder();
    private final WindowResultDecoder windowResultDecoder = new WindowResultDecoder();
    private final WatermarkDecoder watermarkDecoder = new WatermarkDecoder();
    private final long[] rejectedByReason = new long[REASONS.length];
    private final int maxReported;
    private final int[] reportedReason;
    private final int[] reportedTypeId;
    private final int[] reportedLength;
    private final int[] reportedIndex;
    private final int[] reportedHeader;

    private long dispatchedCount;
    private long rejectedCount;

    /**
     * Dispatch to {@code handler}, describing up to {@link #DEFAULT_MAX_REPORTED} rejected records.
     *
     * @param handler gets every accepted message.
     */
    public EventDispatcher(final EventHandler handler)
    {
        this(handler, DEFAULT_MAX_REPORTED);
    }

    /**
     * Dispatch to {@code handler}.
     *
     * @param handler     gets every accepted message.
     * @param maxReported how many rejected records {@link #report()} describes, &ge; 0; all are counted.
     * @throws IllegalArgumentException if {@code maxReported} is negative.
     */
    public EventDispatcher(final EventHandler handler, final int maxReported)
    {
        if (maxReported < 0)
        {
            throw new IllegalArgumentException("max reported is negative: expected >= 0, found " + maxReported);
        }
        this.handler = handler;
        this.maxReported = maxReported;
        this.reportedReason = new int[maxReported];
        this.reportedTypeId = new int[maxReported];
        this.reportedLength = new int[maxReported];
        this.reportedIndex = new int[maxReported];
        this.reportedHeader = new int[maxReported * 4];
    }

    /**
     * Check one ring record and dispatch it, or count and skip it.
     *
     * @param typeId ring record type, expected to be the SBE template id.
     * @param buffer holding the record.
     * @param index  of the payload (the SBE message header) in {@code buffer}.
     * @param length of the payload in bytes.
     */
    public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            reject(RejectReason.TRUNCATED, typeId, buffer, index, length);
            return;
        }
        final MessageHeaderDecoder header = headerDecoder.wrap(buffer, index);
        final int blockLength = header.blockLength();
        final int templateId = header.templateId();
        final int version = header.version();
        if (header.schemaId() != SCHEMA_ID)
        {
            reject(RejectReason.UNKNOWN_SCHEMA, typeId, buffer, index, length);
        }
        else if (templateId != typeId)
        {
            reject(RejectReason.TYPE_MISMATCH, typeId, buffer, index, length);
        }
        else if (HEADER_LENGTH + blockLength > length)
        {
            reject(RejectReason.TRUNCATED, typeId, buffer, index, length);
        }
        else
        {
            dispatch(templateId, version, blockLength, typeId, buffer, index, length);
        }
    }

    private void dispatch(
        final int templateId,
        final int version,
        final int blockLength,
        final int typeId,
        final MutableDirectBuffer buffer,
        final int index,
        final int length)
    {
        final int minBlockLength = minBlockLength(templateId);
        if (minBlockLength < 0)
        {
            reject(RejectReason.UNKNOWN_TEMPLATE, typeId, buffer, index, length);
        }
        else if (version < MIN_VERSION || blockLength < minBlockLength)
        {
            reject(RejectReason.INCOMPATIBLE_VERSION, typeId, buffer, index, length);
        }
        else if (templateId == EventDecoder.TEMPLATE_ID)
        {
            final EventDecoder decoder = eventDecoder.wrap(buffer, index + HEADER_LENGTH, blockLength, version);
            if (decoder.keySize() > MAX_KEY_SIZE)
            {
                reject(RejectReason.INVALID_FIELD, typeId, buffer, index, length);
                return;
            }
            dispatchedCount++;
            handler.onEvent(decoder);
        }
        else if (templateId == WindowResultDecoder.TEMPLATE_ID)
        {
            final WindowResultDecoder decoder =
                windowResultDecoder.wrap(buffer, index + HEADER_LENGTH, blockLength, version);
            if (decoder.keySize() > MAX_KEY_SIZE)
            {
                reject(RejectReason.INVALID_FIELD, typeId, buffer, index, length);
                return;
            }
            dispatchedCount++;
            handler.onWindowResult(decoder);
        }
        else if (templateId == WatermarkDecoder.TEMPLATE_ID)
        {
            dispatchedCount++;
            handler.onWatermark(watermarkDecoder.wrap(buffer, index + HEADER_LENGTH, blockLength, version));
        }
        else
        {
            dispatchedCount++;
            handler.onEndOfStream(endOfStreamDecoder.wrap(buffer, index + HEADER_LENGTH, blockLength, version));
        }
    }

    /**
     * Smallest block a message of any readable version must have: every field this reader reads has
     * {@code sinceVersion} 0, so it is the version 1 block length for every acting version.
     */
    private static int minBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case EventDecoder.TEMPLATE_ID:
                return EventDecoder.BLOCK_LENGTH;
            case EndOfStreamDecoder.TEMPLATE_ID:
                return EndOfStreamDecoder.BLOCK_LENGTH;
            case WindowResultDecoder.TEMPLATE_ID:
                return WindowResultDecoder.BLOCK_LENGTH;
            case WatermarkDecoder.TEMPLATE_ID:
                return WatermarkDecoder.BLOCK_LENGTH;
            default:
                return -1;
        }
    }

    private void reject(
        final RejectReason reason,
        final int typeId,
        final MutableDirectBuffer buffer,
        final int index,
        final int length)
    {
        final long n = rejectedCount++;
        rejectedByReason[reason.ordinal()]++;
        if (n < maxReported)
        {
            final int i = (int)n;
            reportedReason[i] = reason.ordinal();
            reportedTypeId[i] = typeId;
            reportedLength[i] = length;
            reportedIndex[i] = index;
            if (length >= HEADER_LENGTH)
            {
                final MessageHeaderDecoder header = headerDecoder.wrap(buffer, index);
                reportedHeader[i * 4] = header.blockLength();
                reportedHeader[i * 4 + 1] = header.templateId();
                reportedHeader[i * 4 + 2] = header.schemaId();
                reportedHeader[i * 4 + 3] = header.version();
            }
            else
            {
                reportedHeader[i * 4] = -1;
            }
        }
    }

    /**
     * @return messages handed to the handler.
     */
    public long dispatchedCount()
    {
        return dispatchedCount;
    }

    /**
     * @return records skipped for any reason.
     */
    public long rejectedCount()
    {
        return rejectedCount;
    }

    /**
     * @param reason why records were skipped.
     * @return records skipped for {@code reason}.
     */
    public long rejectedCount(final RejectReason reason)
    {
        return rejectedByReason[reason.ordinal()];
    }

    /**
     * Describe the rejections: counts by reason and the first few offending headers. Allocates; call it off the
     * read loop.
     *
     * @return e.g. {@code "rejected 2 of 10 records: UNKNOWN_SCHEMA=2; first: UNKNOWN_SCHEMA at index=8 typeId=1
     * length=80 blockLength=72 templateId=1 schemaId=7 version=1"}, or {@code "rejected 0 of 10 records"}.
     */
    public String report()
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("rejected ").append(rejectedCount).append(" of ").append(rejectedCount + dispatchedCount)
            .append(" records");
        String separator = ": ";
        for (final RejectReason reason : REASONS)
        {
            final long count = rejectedByReason[reason.ordinal()];
            if (count > 0)
            {
                sb.append(separator).append(reason.name()).append('=').append(count);
                separator = ", ";
            }
        }
        final int reported = (int)Math.min(rejectedCount, maxReported);
        for (int i = 0; i < reported; i++)
        {
            sb.append(i == 0 ? "; first: " : "; ").append(REASONS[reportedReason[i]].name())
                .append(" at index=").append(reportedIndex[i])
                .append(" typeId=").append(reportedTypeId[i])
                .append(" length=").append(reportedLength[i]);
            if (reportedHeader[i * 4] >= 0)
            {
                sb.append(" blockLength=").append(reportedHeader[i * 4])
                    .append(" templateId=").append(reportedHeader[i * 4 + 1])
                    .append(" schemaId=").append(reportedHeader[i * 4 + 2])
                    .append(" version=").append(reportedHeader[i * 4 + 3]);
            }
        }
        return sb.toString();
    }

    public String toString()
    {
        return "EventDispatcher{dispatched=" + dispatchedCount + ", rejected=" + rejectedCount + "}";
    }
}
