package io.herz.ipc.segment;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Space checks for segment files. {@link Segment#create(Path, SegmentConfig)} calls
 * {@link #requireSpace(Path, long, String)} before it allocates; launchers (the demo, {@code herz pipeline}) call it
 * with the total of every ring they will create, before they start any process, so that a too small
 * {@code /dev/shm} (Docker's default is 64 MB) is reported at once with the fix instead of by a child process later.
 */
public final class SegmentSpace
{
    private SegmentSpace()
    {
    }

    /**
     * The bytes a segment file of this configuration occupies: header plus data area.
     *
     * @param config geometry; concluded here.
     * @return the file length in bytes.
     */
    public static long fileLength(final SegmentConfig config)
    {
        config.conclude();
        return (long)SegmentDescriptor.headerLength(config.producerSlotCount(), config.counterCount()) +
            config.capacity();
    }

    /**
     * The usable space of the file system that holds (or will hold) {@code path}: that of its nearest existing
     * ancestor.
     *
     * @param path a file or directory, existing or not.
     * @return usable bytes, or -1 if it cannot be determined.
     */
    public static long usableSpace(final Path path)
    {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing))
        {
            existing = existing.getParent();
        }
        if (existing == null)
        {
            return -1;
        }
        try
        {
            final FileStore store = Files.getFileStore(existing);
            return store.getUsableSpace();
        }
        catch (final IOException | SecurityException ex)
        {
            return -1;
        }
    }

    /**
     * Fail unless the file system of {@code path} has {@code bytes} free. An unknown free space passes (the
     * allocation at create time still fails cleanly on a full file system).
     *
     * @param path  the segment file, or a directory, that will need the space.
     * @param bytes bytes needed, e.g. {@link #fileLength(SegmentConfig)} or the sum over several rings.
     * @param what  what needs it, for the message, e.g. "segment of capacity 16777216 bytes" or "3 rings".
     * @throws SegmentException naming the size asked, the space free and the fix.
     */
    public static void requireSpace(final Path path, final long bytes, final String what)
    {
        final long free = usableSpace(path);
        if (free >= 0 && bytes > free)
        {
            throw new SegmentException(path, problem(path, bytes, free, what));
        }
    }

    static String problem(final Path path, final long bytes, final long free, final String what)
    {
        final Path dir = Files.isDirectory(path) ? path.toAbsolutePath() : path.toAbsolutePath().getParent();
        return "not enough space for " + what + ": asked " + size(bytes) + ", " + dir + " has " + size(free) +
            " free; use a smaller ring (e.g. --capacity 4m) or give " + dir + " more space (Docker: " +
            "docker run --shm-size=512m; Kubernetes: an emptyDir with medium: Memory; a host: " +
            "mount -o remount,size=1g /dev/shm)";
    }

    private static String size(final long bytes)
    {
        if (bytes >= 1L << 20)
        {
            return String.format(java.util.Locale.ROOT, "%,d bytes (%.1f MiB)", bytes, bytes / (double)(1L << 20));
        }
        return String.format(java.util.Locale.ROOT, "%,d bytes", bytes);
    }
}
