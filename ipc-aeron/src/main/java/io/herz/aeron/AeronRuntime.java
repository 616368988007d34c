package io.herz.aeron;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import org.agrona.concurrent.status.CountersReader;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one Aeron client of this JVM, and the media driver it talks to. Opened by the first Aeron publication or
 * subscription, closed when the last one closes (reference counted).
 * <p>
 * <b>Driver.</b> When {@value AeronDriverConfig#AERON_DIR_PROP} names a directory (the {@code herz} command's
 * {@code --aeron-dir}), that standalone driver is used and must be running. Otherwise an embedded driver starts in
 * {@code BASE/aeron-PID} (BASE: {@value AeronDriverConfig#BASE_DIR_PROP}, default {@code /dev/shm/herz}) with the
 * settings of {@link AeronDriverConfig}, and goes away with this JVM: at the last close, and from a shutdown hook on
 * SIGINT/SIGTERM (the hook first waits, bounded, for the process's own orderly close). Before an embedded driver
 * starts, directories {@code BASE/aeron-PID} left by processes that died without cleaning up (SIGKILL) are deleted:
 * only when that pid is gone <i>and</i> the driver's heartbeat in its CnC file is stale, so a live driver (also one
 * of another pid namespace) is never touched.
 * <p>
 * <b>Last close.</b> Closing a publication hands it to the driver, which keeps sending until the receivers have all
 * of it (Aeron's unicast end-of-stream) or its linger timeout ends. An embedded driver must live that long, or the
 * tail of the stream would die with it: so the last close waits until the driver holds no network publication,
 * at most {@value AeronDriverConfig#CLOSE_TIMEOUT_PROP} (default 10 s).
 */
public final class AeronRuntime
{
    private static final Object LOCK = new Object();
    private static AeronRuntime current;
    private static boolean hookInstalled;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final File aeronDir;
    private int refCount;
    private boolean closed;

    private AeronRuntime(final MediaDriver driver, final Aeron aeron, final File aeronDir)
    {
        this.driver = driver;
        this.aeron = aeron;
        this.aeronDir = aeronDir;
    }

    /**
     * Take a reference on this JVM's runtime, starting it if needed. Pair with {@link #release()}.
     *
     * @return the runtime.
     * @throws IllegalStateException when the standalone driver named is not running.
     */
    public static AeronRuntime acquire()
    {
        synchronized (LOCK)
        {
            if (null == current)
            {
                current = start();
                if (!hookInstalled)
                {
                    hookInstalled = true;
                    Runtime.getRuntime().addShutdownHook(new Thread(AeronRuntime::onShutdown, "herz-aeron-shutdown"));
                }
            }
            current.refCount++;
            return current;
        }
    }

    /**
     * Drop a reference; the last one closes the client and an embedded driver (after the drain wait).
     */
    public void release()
    {
        synchronized (LOCK)
        {
            if (--refCount > 0 || closed)
            {
                return;
            }
            if (current == this)
            {
                current = null;
            }
            close(AeronDriverConfig.closeTimeoutMs());
            LOCK.notifyAll();
        }
    }

    /**
     * @return the Aeron client.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the driver's directory.
     */
    public File aeronDir()
    {
        return aeronDir;
    }

    /**
     * @return true when this runtime started its own driver.
     */
    public boolean isEmbedded()
    {
        return null != driver;
    }

    /**
     * @return the directory of the driver of the runtime now open in this JVM, or null when none is open.
     */
    public static File currentAeronDir()
    {
        synchronized (LOCK)
        {
            return null == current ? null : current.aeronDir;
        }
    }

    private static AeronRuntime start()
    {
        final File external = AeronDriverConfig.externalDir();
        if (null != external)
        {
            if (!isDriverLive(external.toPath()))
            {
                throw new IllegalStateException("Aeron media driver in " + external + " is not running: start " +
                    "'herz driver --aeron-dir " + external + "' first, or leave out --aeron-dir for an embedded one");
            }
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(external.getAbsolutePath()));
            return new AeronRuntime(null, aeron, external);
        }

        final Path base = AeronDriverConfig.baseDir();
        try
        {
            Files.createDirectories(base);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("Aeron: cannot create the driver base directory " + base + ": " + ex, ex);
        }
        cleanStaleDrivers(base, ProcessHandle.current().pid());
        final File dir = base.resolve(AeronDriverConfig.EMBEDDED_DIR_PREFIX + ProcessHandle.current().pid()).toFile();
        final MediaDriver driver = MediaDriver.launch(AeronDriverConfig.driverContext(dir));
        try
        {
            final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            return new AeronRuntime(driver, aeron, dir);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /**
     * Delete the directories of embedded drivers whose process is gone and whose driver heartbeat is stale.
     *
     * @param base    where embedded drivers live.
     * @param selfPid this process's pid, never touched (its driver makes its own checks).
     * @return the directories deleted.
     */
    public static List<Path> cleanStaleDrivers(final Path base, final long selfPid)
    {
        final List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(base))
        {
            return deleted;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, AeronDriverConfig.EMBEDDED_DIR_PREFIX + "*"))
        {
            for (final Path dir : dirs)
            {
                final long pid = ownerPid(dir);
                if (pid <= 0 || pid == selfPid || !Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) ||
                    ProcessHandle.of(pid).isPresent())
                {
                    continue;
                }
                if (!isDriverLive(dir))
                {
                    IoUtil.delete(dir.toFile(), true);
                    if (!Files.exists(dir))
                    {
                        deleted.add(dir);
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("Aeron: cannot list " + base + ": " + ex, ex);
        }
        return deleted;
    }

    /**
     * @param dir a driver directory.
     * @return true when its CnC file says a driver lives there: a heartbeat younger than the driver timeout, or a
     * CnC file still being initialised and younger than that timeout.
     */
    public static boolean isDriverLive(final Path dir)
    {
        final File cncFile = dir.resolve(CncFileDescriptor.CNC_FILE).toFile();
        if (!cncFile.isFile())
        {
            return false;
        }
        final boolean young = System.currentTimeMillis() - cncFile.lastModified() < CommonContext.DRIVER_TIMEOUT_MS;
        if (cncFile.length() <= CncFileDescriptor.META_DATA_LENGTH)
        {
            return young;
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(cncFile, "CnC file");
        try
        {
            final int version = new UnsafeBuffer(mapped).getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            if (0 == version)
            {
                return young;
            }
            return CommonContext.isDriverActive(CommonContext.DRIVER_TIMEOUT_MS, ignore -> {}, mapped);
        }
        catch (final RuntimeException ex)
        {
            return young;
        }
        finally
        {
            BufferUtil.free(mapped);
        }
    }

    private static long ownerPid(final Path dir)
    {
        final String name = dir.getFileName().toString().substring(AeronDriverConfig.EMBEDDED_DIR_PREFIX.length());
        try
        {
            return Long.parseLong(name);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private void close(final long drainTimeoutMs)
    {
        closed = true;
        if (null != driver)
        {
            awaitNetworkPublicationsGone(drainTimeoutMs);
        }
        CloseHelper.closeAll(aeron, driver);
        if (null != driver)
        {
            IoUtil.delete(aeronDir, true);
        }
    }

    private void awaitNetworkPublicationsGone(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final CountersReader counters = aeron.countersReader();
        while (System.nanoTime() - deadlineNs < 0 && !aeron.isClosed())
        {
            final int[] live = new int[1];
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID == typeId)
                {
                    live[0]++;
                }
            });
            if (0 == live[0])
            {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static void onShutdown()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AeronDriverConfig.closeTimeoutMs());
        synchronized (LOCK)
        {
            // Give the application's own orderly close (e.g. herz's Shutdown: drain, send end of stream) its time.
            while (null != current && System.nanoTime() - deadlineNs < 0)
            {
                try
                {
                    LOCK.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (null != current)
            {
                final AeronRuntime runtime = current;
                current = null;
                runtime.close(0);
            }
        }
    }
}
