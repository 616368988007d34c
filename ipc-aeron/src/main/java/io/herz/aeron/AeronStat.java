package io.herz.aeron;

import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.driver.reports.LossReportReader;
import io.aeron.driver.reports.LossReportUtil;
import io.aeron.driver.status.StreamCounter;
import io.aeron.driver.status.SystemCounterDescriptor;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code herz stat} shows of an Aeron media driver: read from the driver's CnC file with Aeron's own
 * {@link CountersReader} (and its loss report with {@link LossReportReader}), mapped, never written, so nobody is
 * disturbed. Per stream (publisher session, stream id, channel):
 * <ul>
 *     <li>publication: publisher position and limit, sender position and limit, back-pressure events
 *     ({@code snd-bpe}), NAKs received, connected (inferred: a network publication's limit runs ahead of its sender
 *     position only while a receiver is connected; an IPC publication is connected while it has subscribers);</li>
 *     <li>image (subscription side): receiver high-water mark and position, subscriber positions, NAKs sent;</li>
 * </ul>
 * then the driver's system counters that tell of loss recovery (NAKs sent and received, retransmits, retransmitted
 * bytes, loss gap fills, errors), the loss report (observations and bytes lost per stream), and Herz stage counters
 * ({@link AeronSubscription#STAGE_COUNTER_TYPE_ID}).
 */
public final class AeronStat implements AutoCloseable
{
    private static final int[] SYSTEM_COUNTERS = {
        SystemCounterDescriptor.BYTES_SENT.id(), SystemCounterDescriptor.BYTES_RECEIVED.id(),
        SystemCounterDescriptor.NAK_MESSAGES_SENT.id(), SystemCounterDescriptor.NAK_MESSAGES_RECEIVED.id(),
        SystemCounterDescriptor.RETRANSMITS_SENT.id(), SystemCounterDescriptor.RETRANSMITTED_BYTES.id(),
        SystemCounterDescriptor.LOSS_GAP_FILLS.id(), SystemCounterDescriptor.ERRORS.id() };

    private final File aeronDir;
    private final MappedByteBuffer cncByteBuffer;
    private final CountersReader counters;

    /**
     * Map a driver's CnC file.
     *
     * @param aeronDir the driver's directory.
     * @throws IllegalArgumentException when it holds no CnC file of a version this Aeron reads.
     */
    public AeronStat(final File aeronDir)
    {
        this.aeronDir = aeronDir;
        final File cncFile = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        if (!cncFile.isFile() || cncFile.length() <= CncFileDescriptor.META_DATA_LENGTH)
        {
            throw new IllegalArgumentException("Aeron driver directory " + aeronDir + ": expected a CnC file " +
                cncFile + ", found none");
        }
        cncByteBuffer = IoUtil.mapExistingFile(cncFile, "CnC file");
        try
        {
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cncByteBuffer);
            CncFileDescriptor.checkVersion(metaData.getInt(CncFileDescriptor.cncVersionOffset(0)));
            counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cncByteBuffer, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cncByteBuffer, metaData));
        }
        catch (final RuntimeException ex)
        {
            BufferUtil.free(cncByteBuffer);
            throw new IllegalArgumentException("Aeron driver directory " + aeronDir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param base the Herz directory (embedded drivers' {@code aeron-PID}) or any directory of drivers.
     * @return directories under it holding a running driver.
     */
    public static List<Path> findDrivers(final Path base)
    {
        final List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(base))
        {
            return found;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, Files::isDirectory))
        {
            for (final Path dir : dirs)
            {
                if (Files.isRegularFile(dir.resolve(CncFileDescriptor.CNC_FILE)) &&
                    AeronRuntime.isDriverLive(dir))
                {
                    found.add(dir);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list " + base + ": " + ex, ex);
        }
        found.sort(null);
        return found;
    }

    /**
     * What {@code herz stat} shows of Aeron: the driver named by {@value AeronDriverConfig#AERON_DIR_PROP}
     * ({@code --aeron-dir}) if set, else, when {@code scan} is true, every running driver under the Herz directory
     * ({@link AeronDriverConfig#baseDir()}: the embedded ones and {@code herz driver}'s default).
     *
     * @param scan look for running drivers when no directory is named.
     * @return the lines, empty when there is no driver to show.
     */
    public static List<String> renderAll(final boolean scan)
    {
        final List<Path> dirs = new ArrayList<>();
        final File named = AeronDriverConfig.externalDir();
        if (null != named)
        {
            dirs.add(named.toPath());
        }
        else if (scan)
        {
            dirs.addAll(findDrivers(AeronDriverConfig.baseDir()));
        }
        final List<String> lines = new ArrayList<>();
        for (final Path dir : dirs)
        {
            try (AeronStat stat = new AeronStat(dir.toFile()))
            {
                lines.addAll(stat.render());
            }
            catch (final RuntimeException ex)
            {
                lines.add("aeron driver " + dir + ": not readable (" + ex.getMessage() + ")");
            }
        }
        return lines;
    }

    /**
     * @return the counters of the driver, for callers that look up more.
     */
    public CountersReader counters()
    {
        return counters;
    }

    /**
     * @param descriptor a system counter, e.g. {@link SystemCounterDescriptor#NAK_MESSAGES_SENT}.
     * @return its value, or -1 when there is none.
     */
    public long systemCounter(final SystemCounterDescriptor descriptor)
    {
        final long[] value = { -1 };
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID == typeId &&
                keyBuffer.getInt(0) == descriptor.id())
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    /**
     * @return the lines {@code herz stat} prints for this driver, one snapshot.
     */
    public List<String> render()
    {
        final Map<String, Stream> streams = new TreeMap<>();
        final List<String> stageCounters = new ArrayList<>();
        final long[] system = new long[SYSTEM_COUNTERS.length];
        java.util.Arrays.fill(system, -1);
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final long value = counters.getCounterValue(counterId);
            if (AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID == typeId)
            {
                final int id = keyBuffer.getInt(0);
                for (int i = 0; i < SYSTEM_COUNTERS.length; i++)
                {
                    if (SYSTEM_COUNTERS[i] == id)
                    {
                        system[i] = value;
                    }
                }
            }
            else if (AeronSubscription.STAGE_COUNTER_TYPE_ID == typeId)
            {
                stageCounters.add(String.format("  counter %-40s %,d", label, value));
            }
            else if (isStreamCounter(typeId))
            {
                final int sessionId = keyBuffer.getInt(StreamCounter.SESSION_ID_OFFSET);
                final int streamId = keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET);
                final String channel = keyBuffer.getStringAscii(StreamCounter.CHANNEL_OFFSET);
                final String key = channel + "|" + streamId + "|" + sessionId;
                streams.computeIfAbsent(key, k -> new Stream(channel, streamId, sessionId)).add(typeId, value);
            }
        });

        final List<String> lines = new ArrayList<>();
        lines.add("aeron driver " + aeronDir + ":");
        for (final Stream stream : streams.values())
        {
            lines.addAll(stream.render());
        }
        if (streams.isEmpty())
        {
            lines.add("  no publications or subscriptions");
        }
        lines.add(String.format("  system: bytes sent %,d received %,d, NAKs sent %,d received %,d, retransmits %,d " +
            "(%,d bytes), loss gap fills %,d, errors %,d", system[0], system[1], system[2], system[3], system[4],
            system[5], system[6], system[7]));
        lines.addAll(lossReport());
        lines.addAll(stageCounters);
        return lines;
    }

    private List<String> lossReport()
    {
        final List<String> lines = new ArrayList<>();
        final File file = LossReportUtil.file(aeronDir.getAbsolutePath());
        if (!file.isFile() || file.length() == 0)
        {
            return lines;
        }
        final MappedByteBuffer mapped = LossReportUtil.mapLossReportReadOnly(aeronDir.getAbsolutePath());
        try
        {
            LossReportReader.read(new UnsafeBuffer(mapped),
                (observationCount, totalBytesLost, firstNs, lastNs, sessionId, streamId, channel, source) ->
                lines.add(String.format("  loss: %s stream %d session %d from %s: %,d observations, %,d bytes lost",
                    channel, streamId, sessionId, source, observationCount, totalBytesLost)));
        }
        finally
        {
            BufferUtil.free(mapped);
        }
        return lines;
    }

    private static boolean isStreamCounter(final int typeId)
    {
        return switch (typeId)
        {
            case AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID, AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID,
                AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID, AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID,
                AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID, AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID,
                AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID, AeronCounters.DRIVER_SENDER_BPE_TYPE_ID,
                AeronCounters.DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID, AeronCounters.DRIVER_RECEIVER_NAKS_SENT_TYPE_ID ->
                true;
            default -> false;
        };
    }

    public void close()
    {
        BufferUtil.free(cncByteBuffer);
    }

    /** The counters of one publisher session of one stream, as seen by this driver. */
    private static final class Stream
    {
        private final String channel;
        private final int streamId;
        private final int sessionId;
        private long pubPos = -1;
        private long pubLimit = -1;
        private long senderPos = -1;
        private long senderLimit = -1;
        private long backPressure = -1;
        private long naksReceived = -1;
        private long receiverHwm = -1;
        private long receiverPos = -1;
        private long naksSent = -1;
        private final List<Long> subscriberPositions = new ArrayList<>();

        Stream(final String channel, final int streamId, final int sessionId)
        {
            this.channel = channel;
            this.streamId = streamId;
            this.sessionId = sessionId;
        }

        void add(final int typeId, final long value)
        {
            switch (typeId)
            {
                case AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID -> pubPos = value;
                case AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID -> pubLimit = value;
                case AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID -> senderPos = value;
                case AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID -> senderLimit = value;
                case AeronCounters.DRIVER_SENDER_BPE_TYPE_ID -> backPressure = value;
                case AeronCounters.DRIVER_SENDER_NAKS_RECEIVED_TYPE_ID -> naksReceived = value;
                case AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID -> receiverHwm = value;
                case AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID -> receiverPos = value;
                case AeronCounters.DRIVER_RECEIVER_NAKS_SENT_TYPE_ID -> naksSent = value;
                case AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID -> subscriberPositions.add(value);
                default ->
                {
                }
            }
        }

        List<String> render()
        {
            final List<String> lines = new ArrayList<>();
            final String name = channel + " stream " + streamId + " session " + sessionId;
            if (pubPos >= 0 || pubLimit >= 0)
            {
                final boolean ipc = channel.startsWith("aeron:ipc");
                final boolean connected = ipc ? !subscriberPositions.isEmpty() : pubLimit > senderPos;
                lines.add(String.format("  publication %s: position %,d limit %,d%s, back-pressure events %s, " +
                    "NAKs received %s, %s", name, pubPos, pubLimit,
                    ipc ? "" : String.format(", sender position %,d limit %,d", senderPos, senderLimit),
                    optional(backPressure), optional(naksReceived), connected ? "connected" : "not connected"));
            }
            if (receiverHwm >= 0 || receiverPos >= 0 || (!subscriberPositions.isEmpty() && pubPos < 0))
            {
                final long minSub = subscriberPositions.stream().mapToLong(Long::longValue).min().orElse(-1);
                lines.add(String.format("  subscription %s: received high-water %s position %s, subscriber " +
                    "positions %s, lag %s, NAKs sent %s, connected", name, optional(receiverHwm),
                    optional(receiverPos), subscriberPositions, receiverHwm >= 0 && minSub >= 0 ?
                    String.format("%,d", receiverHwm - minSub) : "-", optional(naksSent)));
            }
            return lines;
        }

        private static String optional(final long value)
        {
            return value < 0 ? "-" : String.format("%,d", value);
        }
    }
}
