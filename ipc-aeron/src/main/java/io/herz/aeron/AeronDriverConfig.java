package io.herz.aeron;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;

import java.io.File;
import java.nio.file.Path;

/**
 * The media-driver settings Herz uses for an embedded driver and for {@code herz driver}, and the system properties
 * that name drivers. Aeron's own system properties ({@code aeron.term.buffer.length}, {@code aeron.mtu.length},
 * {@code aeron.socket.so_rcvbuf}, {@code aeron.threading.mode}, ...) always win: Herz only changes the defaults that
 * do not fit a small machine, and only when the property is not set.
 * <pre>
 * setting                 Herz default        Aeron default     set with
 * threading mode          SHARED (1 thread)   DEDICATED (3)     -Daeron.threading.mode=
 * term length, udp        1 MiB (3 MiB/log)   16 MiB (48 MiB)   -Daeron.term.buffer.length= or URI term-length=
 * term length, ipc        1 MiB               64 MiB            -Daeron.ipc.term.buffer.length= or URI term-length=
 * MTU                     Aeron's (1408)      1408              -Daeron.mtu.length= or URI mtu=
 * socket buffers          Aeron's (128 KiB)   128 KiB           -Daeron.socket.so_rcvbuf=/so_sndbuf= or URI so-rcvbuf=
 * publication linger      1 s                 5 s               -Daeron.publication.linger.timeout= (ns)
 * timer interval          100 ms              1 s               -Daeron.timer.interval= (ns)
 * </pre>
 * The linger is how long a closed publication keeps answering NAKs after it has sent everything when its receiver
 * does not confirm the end of the stream (Aeron's unicast end-of-stream status message, which normally ends the wait
 * at once): a process whose embedded driver holds the publication waits that long before it exits. One second is
 * many NAK round trips on a LAN; raise it for long or lossy paths. The driver's timer checks run every 100 ms
 * instead of every second, so that a finished stream is noticed (and a closing process released) within a fraction
 * of a second; the checks are cheap.
 * With these a log of one stream takes 3 MiB plus 4 KiB metadata at each end, so a 64 MB {@code /dev/shm} holds
 * the driver files (about 9 MiB, sparse) and a handful of streams beside Herz rings.
 */
public final class AeronDriverConfig
{
    /** System property: directory of a running standalone driver to use instead of an embedded one. */
    public static final String AERON_DIR_PROP = "herz.aeron.dir";

    /** System property: the directory under which embedded drivers make {@code aeron-PID}; default /dev/shm/herz. */
    public static final String BASE_DIR_PROP = "herz.aeron.base.dir";

    /** System property: most milliseconds the last close waits for publications to drain to receivers. */
    public static final String CLOSE_TIMEOUT_PROP = "herz.aeron.close.timeout.ms";

    /** The Herz directory, where embedded drivers live unless told otherwise. */
    public static final Path DEFAULT_BASE_DIR = Path.of("/dev/shm/herz");

    /** Prefix of an embedded driver's directory; the owner's pid follows. */
    public static final String EMBEDDED_DIR_PREFIX = "aeron-";

    /** Herz's default term length, for UDP and IPC publications. */
    public static final int DEFAULT_TERM_LENGTH = 1024 * 1024;

    /** Herz's default publication linger. */
    public static final long DEFAULT_LINGER_NS = 1_000_000_000L;

    /** Herz's default interval of the driver's timer checks (ends of streams, linger, liveness). */
    public static final long DEFAULT_TIMER_INTERVAL_NS = 100_000_000L;

    /** Default of {@link #CLOSE_TIMEOUT_PROP}. */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

    private AeronDriverConfig()
    {
    }

    /**
     * @param aeronDir the driver's directory.
     * @return a media-driver context with Herz's defaults (see the class Javadoc); the caller launches it.
     */
    public static MediaDriver.Context driverContext(final File aeronDir)
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .dirDeleteOnStart(false)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false);
        if (null == System.getProperty("aeron.threading.mode"))
        {
            context.threadingMode(ThreadingMode.SHARED);
        }
        if (null == System.getProperty("aeron.term.buffer.length"))
        {
            context.publicationTermBufferLength(DEFAULT_TERM_LENGTH);
        }
        if (null == System.getProperty("aeron.publication.linger.timeout"))
        {
            context.publicationLingerTimeoutNs(DEFAULT_LINGER_NS);
        }
        if (null == System.getProperty("aeron.timer.interval"))
        {
            context.timerIntervalNs(DEFAULT_TIMER_INTERVAL_NS);
        }
        if (null == System.getProperty("aeron.ipc.term.buffer.length"))
        {
            context.ipcTermBufferLength(DEFAULT_TERM_LENGTH);
        }
        return context;
    }

    /**
     * @return the standalone driver's directory named by {@link #AERON_DIR_PROP}, or null for an embedded driver.
     */
    public static File externalDir()
    {
        final String dir = System.getProperty(AERON_DIR_PROP);
        return null == dir || dir.isBlank() ? null : new File(dir);
    }

    /**
     * @return the directory embedded drivers are made under.
     */
    public static Path baseDir()
    {
        final String dir = System.getProperty(BASE_DIR_PROP);
        return null == dir || dir.isBlank() ? DEFAULT_BASE_DIR : Path.of(dir);
    }

    /**
     * @return most milliseconds the last close waits for publications to drain.
     */
    public static long closeTimeoutMs()
    {
        return Long.getLong(CLOSE_TIMEOUT_PROP, DEFAULT_CLOSE_TIMEOUT_MS);
    }
}
